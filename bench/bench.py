"""Helpers of bench/run (Python 3.11 standard library only).

    bench.py seed URL TOKEN OUT.json      creates the data set through bomgraph's GraphQL API
    bench.py check OUT_DIR SIZE KIND|NAME|URL|TOKEN|BOM_ID ...
                                          runs the deep query once on each server (KIND is
                                          bomgraph or postgraphile), writes the request bodies,
                                          and fails unless every answer has the expected rows
                                          and the same content
    bench.py wrk-lua BODY.json [TOKEN]    the wrk script (POST, headers, body) on stdout
    bench.py wrk-parse WRK.out WHAT SIZE RESULTS.jsonl
                                          req/s, p50 and p99 (ms) of one wrk run, appended
    bench.py pgbench-parse PGBENCH.out SIZE RESULTS.jsonl
                                          tx/s of one pgbench run, appended
    bench.py peak RESULTS.jsonl MB        bomgraph's peak memory, appended
    bench.py table RESULTS.jsonl          the summary table

The data set: two BOMs, of 20 and of 200 lines. Each line has its own part and two
substitutes; every one of these parts has two supplier offers with three price breaks each.
"""
import json
import re
import statistics
import sys
import urllib.request

SIZES = (20, 200)
BATCH = 40  # mutations per request (aliases of one document)

# The deep query, the same rows on both servers: the BOM, its lines, each line's part with
# its offers and their price breaks, and the line's substitutes with their parts, offers and
# price breaks.
OFFER_FIELDS = "id supplier sku stock moq currency"
BREAK_FIELDS = "id quantity unitPrice"
PART_FIELDS = "id name mpn manufacturer"

BOMGRAPH_QUERY = (
    "query Deep($id: ID!) { bom(id: $id) { id name version assemblyPart { id name } lines { id quantity reference "
    f"part {{ {PART_FIELDS} offers {{ {OFFER_FIELDS} priceBreaks {{ {BREAK_FIELDS} }} }} }} "
    f"substitutes {{ id part {{ {PART_FIELDS} offers {{ {OFFER_FIELDS} "
    f"priceBreaks {{ {BREAK_FIELDS} }} }} }} }} }} }} }}"
)

# PostGraphile 5 (amber preset) names: `rowId` is the primary key column (`id` is the global
# node id), forward relations are `<table>By<Column>`, backward ones
# `<tables>By<Column>` connections, ordered by primary key unless told otherwise.
PG_OFFERS = (
    f"supplierOffersByPartId(orderBy: PRIMARY_KEY_ASC) {{ nodes {{ rowId supplier sku stock moq currency "
    f"priceBreaksByOfferId(orderBy: PRIMARY_KEY_ASC) {{ nodes {{ rowId quantity unitPrice }} }} }} }}"
)
PG_PART = f"partByPartId {{ rowId name mpn manufacturer {PG_OFFERS} }}"
POSTGRAPHILE_QUERY = (
    "query Deep($id: Int!) { bomByRowId(rowId: $id) { rowId name version "
    "partByAssemblyPartId { rowId name } "
    "bomLinesByBomId(orderBy: PRIMARY_KEY_ASC) { nodes { rowId quantity reference "
    f"{PG_PART} "
    f"substitutesByBomLineId(orderBy: PRIMARY_KEY_ASC) {{ nodes {{ rowId {PG_PART} }} }} }} }} }} }}"
)


def post(url, body, token=None, timeout=120):
    headers = {"content-type": "application/json", "accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        raw = resp.read()
    return json.loads(raw), len(raw)


def gql(url, token, query, variables=None):
    got, _ = post(url, {"query": query, "variables": variables or {}}, token)
    if got.get("errors"):
        raise SystemExit(f"GraphQL errors from {url}: {json.dumps(got['errors'])[:2000]}")
    return got["data"]


def offers(tag):
    """Two offers with three price breaks each."""
    return [
        {
            "supplier": supplier,
            "sku": f"{prefix}-{tag}",
            "stock": str(1000 + 7 * k),
            "moq": "1",
            "currency": "USD",
            "priceBreaks": [
                {"quantity": "1", "unitPrice": f"0.{k + 1}5"},
                {"quantity": "100", "unitPrice": f"0.{k + 1}2"},
                {"quantity": "1000", "unitPrice": f"0.0{k + 1}9"},
            ],
        }
        for k, (supplier, prefix) in enumerate((("Digi-Key", "DK"), ("Mouser", "MO")))
    ]


def batched(url, token, name, items, render):
    """Runs one mutation per item, BATCH of them (as aliases) per request; returns each
    alias's answer in order."""
    out = []
    for start in range(0, len(items), BATCH):
        chunk = items[start:start + BATCH]
        params = ", ".join(f"$v{i}: {render(None)[0]}" for i in range(len(chunk)))
        fields = " ".join(f"m{i}: {render(f'$v{i}')[1]}" for i in range(len(chunk)))
        variables = {f"v{i}": item for i, item in enumerate(chunk)}
        data = gql(url, token, f"mutation {name}({params}) {{ {fields} }}", variables)
        out.extend(data[f"m{i}"] for i in range(len(chunk)))
    return out


def seed_substitutes(url, token, pairs):
    """addSubstitute's input is two ids, so its batches bind two variables per alias."""
    for start in range(0, len(pairs), BATCH):
        chunk = pairs[start:start + BATCH]
        params = ", ".join(f"$l{i}: ID!, $p{i}: ID!" for i in range(len(chunk)))
        fields = " ".join(f"m{i}: addSubstitute(input: {{bomLineId: $l{i}, partId: $p{i}}})"
                          " { substitute { id } }"
                          for i in range(len(chunk)))
        variables = {}
        for i, (l, p) in enumerate(chunk):
            variables[f"l{i}"] = l
            variables[f"p{i}"] = p
        gql(url, token, f"mutation Subs({params}) {{ {fields} }}", variables)


def seed_all(url, token, out_path):
    result = {}
    for n in SIZES:
        parts = []
        for i in range(n):
            parts.append({"name": f"P{n}-{i}", "mpn": f"MPN-{n}-{i}", "manufacturer": "Acme",
                          "inStock": "5", "offers": offers(f"{n}-{i}")})
            for s in "ab":
                parts.append({"name": f"S{n}-{i}-{s}", "mpn": f"MPN-{n}-{i}-{s}",
                              "manufacturer": "Beta", "inStock": "2",
                              "offers": offers(f"{n}-{i}-{s}")})
        parts.append({"name": f"Assembly {n}", "assembly": True})
        made = batched(url, token, "Parts", parts,
                       lambda v: ("CreatePartInput!", f"createPart(input: {v}) {{ part {{ id }} }}"))
        ids = [p["part"]["id"] for p in made]
        assembly = ids.pop()
        lines = [{"partId": p, "quantity": str(1 + i % 4), "reference": f"R{i + 1}"}
                 for i, p in enumerate(ids[0::3])]
        bom = gql(url, token,
                  "mutation($i: CreateBomInput!) { createBom(input: $i) { bom { id rowId lines { id } } } }",
                  {"i": {"name": f"Bench {n}", "version": "A", "assemblyPartId": assembly,
                         "lines": lines}})["createBom"]["bom"]
        line_ids = [l["id"] for l in bom["lines"]]
        if len(line_ids) != n:
            raise SystemExit(f"BOM of {n} lines came back with {len(line_ids)}")
        pairs = [(l, p) for l, a, b in zip(line_ids, ids[1::3], ids[2::3]) for p in (a, b)]
        seed_substitutes(url, token, pairs)
        # bomgraph's GraphQL id, and the row id that SQL and PostGraphile's rowId use
        result[str(n)] = bom["id"]
        result[f"{n}.row"] = bom["rowId"]
    with open(out_path, "w") as f:
        json.dump(result, f)


# ---- checking the answers


def count_bomgraph(data):
    c = dict.fromkeys(("lines", "parts", "offers", "breaks", "substitutes"), 0)
    def part(p):
        c["parts"] += 1
        for o in p["offers"]:
            c["offers"] += 1
            c["breaks"] += len(o["priceBreaks"])
    for line in data["bom"]["lines"]:
        c["lines"] += 1
        part(line["part"])
        for s in line["substitutes"]:
            c["substitutes"] += 1
            part(s["part"])
    return c


def count_postgraphile(data):
    c = dict.fromkeys(("lines", "parts", "offers", "breaks", "substitutes"), 0)
    def part(p):
        c["parts"] += 1
        for o in p["supplierOffersByPartId"]["nodes"]:
            c["offers"] += 1
            c["breaks"] += len(o["priceBreaksByOfferId"]["nodes"])
    for line in data["bomByRowId"]["bomLinesByBomId"]["nodes"]:
        c["lines"] += 1
        part(line["partByPartId"])
        for s in line["substitutesByBomLineId"]["nodes"]:
            c["substitutes"] += 1
            part(s["partByPartId"])
    return c


def body_for(kind, bom_id):
    if kind == "postgraphile":
        return {"query": POSTGRAPHILE_QUERY, "variables": {"id": int(bom_id)}}
    return {"query": BOMGRAPH_QUERY, "variables": {"id": bom_id}}


def normalise_bomgraph(data):
    """The answer as plain rows, without ids (they differ between backends only in form)."""
    def part(p):
        return [p["name"], p["mpn"], p["manufacturer"],
                [[o["supplier"], o["sku"], o["stock"], o["moq"], o["currency"],
                  [[b["quantity"], b["unitPrice"]] for b in o["priceBreaks"]]]
                 for o in p["offers"]]]
    bom = data["bom"]
    return [bom["name"], bom["version"], bom["assemblyPart"]["name"],
            [[l["quantity"], l["reference"], part(l["part"]),
              [part(s["part"]) for s in l["substitutes"]]] for l in bom["lines"]]]


def normalise_postgraphile(data):
    def part(p):
        return [p["name"], p["mpn"], p["manufacturer"],
                [[o["supplier"], o["sku"], o["stock"], o["moq"], o["currency"],
                  [[b["quantity"], b["unitPrice"]] for b in o["priceBreaksByOfferId"]["nodes"]]]
                 for o in p["supplierOffersByPartId"]["nodes"]]]
    bom = data["bomByRowId"]
    return [bom["name"], bom["version"], bom["partByAssemblyPartId"]["name"],
            [[l["quantity"], l["reference"], part(l["partByPartId"]),
              [part(s["partByPartId"]) for s in l["substitutesByBomLineId"]["nodes"]]]
             for l in bom["bomLinesByBomId"]["nodes"]]]


def check(out_dir, size, specs):
    """specs: kind|name|url|token|bom_id. Runs the deep query once on each server, writes
    OUT_DIR/<name>-<size>.json (the request body), and fails unless every answer has the
    expected number of rows and the same content (OUT_DIR/expected-<size>.json holds the
    first answer, for later checks)."""
    n = int(size)
    want = {"lines": n, "parts": 3 * n, "offers": 6 * n, "breaks": 18 * n,
            "substitutes": 2 * n}
    expected_path = f"{out_dir}/expected-{size}.json"
    try:
        with open(expected_path) as f:
            expected = json.load(f)
    except FileNotFoundError:
        expected = None
    ok = True
    for spec in specs:
        kind, name, url, token, bom_id = spec.split("|")
        body = body_for(kind, bom_id)
        got, size_bytes = post(url, body, token or None)
        if got.get("errors") or not got.get("data"):
            print(f"  {name}: errors: {json.dumps(got.get('errors'))[:1000]}")
            ok = False
            continue
        pgl = kind == "postgraphile"
        counts = (count_postgraphile if pgl else count_bomgraph)(got["data"])
        rows = (normalise_postgraphile if pgl else normalise_bomgraph)(got["data"])
        problems = []
        if counts != want:
            problems.append(f"expected {want}")
        if expected is None:
            expected = rows
            with open(expected_path, "w") as f:
                json.dump(rows, f)
        elif rows != expected:
            problems.append("content differs from the first server's answer")
        ok = ok and not problems
        print(f"  {name:<15} {size:>4} lines: " + ", ".join(f"{k} {v}" for k, v in counts.items())
              + f"; {size_bytes} bytes" + (f"  MISMATCH: {'; '.join(problems)}" if problems else ""))
        with open(f"{out_dir}/{name}-{size}.json", "w") as f:
            json.dump(body, f)
    if not ok:
        raise SystemExit(1)


# ---- wrk and pgbench


def wrk_lua(body_path, token):
    with open(body_path) as f:
        body = f.read()
    lines = [
        'wrk.method = "POST"',
        f"wrk.body = {lua_string(body)}",
        'wrk.headers["Content-Type"] = "application/json"',
        'wrk.headers["Accept"] = "application/json"',
    ]
    if token:
        lines.append(f'wrk.headers["Authorization"] = {lua_string("Bearer " + token)}')
    print("\n".join(lines))


def lua_string(s):
    level = ""
    while f"]{level}]" in s:
        level += "="
    return f"[{level}[{s}]{level}]"


UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNIT[m.group(2)]


def record(results_path, result):
    with open(results_path, "a") as f:
        f.write(json.dumps(result) + "\n")


def wrk_parse(path, what, size, results_path):
    """Reads one wrk run, appends it to the results and says it on stderr."""
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errs = re.search(r"Socket errors:.*", text)
    r = {"what": what, "size": int(size), "rps": rps, "p50": p50, "p99": p99,
         "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": errs.group(0) if errs else ""}
    record(results_path, r)
    print(f"   {what:<16} {size:>4} lines: {rps:8.1f} req/s   p50 {p50:7.2f} ms   p99 {p99:7.2f} ms",
          file=sys.stderr)
    if r["non2xx"] or r["socket_errors"]:
        print(f"   ^ {r['non2xx']} answers were not 2xx; {r['socket_errors']}", file=sys.stderr)


def pgbench_parse(path, size, results_path):
    text = open(path).read()
    tps = float(re.search(r"tps = ([\d.]+)", text).group(1))
    lat = re.search(r"latency average = ([\d.]+) ms", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    r = {"what": "floor", "size": int(size), "tps": tps,
         "latency_avg": float(lat.group(1)) if lat else None,
         "failed": int(failed.group(1)) if failed else 0}
    record(results_path, r)
    print(f"   {'floor (pgbench)':<16} {size:>4} lines: {tps:8.1f} tx/s    latency avg "
          f"{r['latency_avg']} ms", file=sys.stderr)
    if r["failed"]:
        raise SystemExit(f"pgbench: {r['failed']} failed transactions")


def peak(results_path, mb):
    for size in SIZES:
        record(results_path, {"what": "peak", "size": size, "peak_mb": float(mb)})


# ---- the summary


def table(results_path):
    rows = [json.loads(l) for l in open(results_path) if l.strip()]
    by = {}
    for r in rows:
        by.setdefault((r["size"], r["what"]), []).append(r)

    def agg(size, what):
        runs = by.get((size, what), [])
        if not runs:
            return None
        return {"rps": statistics.mean(r["rps"] for r in runs),
                "p50": statistics.median(r["p50"] for r in runs),
                "p99": statistics.median(r["p99"] for r in runs),
                "runs": [round(r["rps"], 1) for r in runs]}

    def cell(a):
        return "n/a" if a is None else f"{a['rps']:.0f} ({a['p50']:.1f}/{a['p99']:.1f} ms)"

    out = ["| BOM size | bomgraph PG req/s (p50/p99) | PostGraphile req/s (p50/p99) | ratio "
           "| floor tx/s | fraction of floor | bomgraph SQLite req/s (p50/p99) | peak MB |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    notes = []
    for size in sorted({r["size"] for r in rows}):
        bg, pgl, sq = (agg(size, w) for w in ("bomgraph-pg", "postgraphile", "bomgraph-sqlite"))
        floors = [r["tps"] for r in by.get((size, "floor"), [])]
        floor = statistics.mean(floors) if floors else None
        peaks = [r["peak_mb"] for r in by.get((size, "peak"), [])]
        ratio = f"{bg['rps'] / pgl['rps']:.2f}" if bg and pgl else "n/a"
        frac = f"{bg['rps'] / floor:.2f}" if bg and floor else "n/a"
        floor_cell = f"{floor:.0f}" if floor else "n/a"
        peak_cell = f"{max(peaks):.1f}" if peaks else "n/a"
        out.append(f"| {size} lines | {cell(bg)} | {cell(pgl)} | {ratio} | {floor_cell} | {frac} "
                   f"| {cell(sq)} | {peak_cell} |")
        for name, a in (("bomgraph PG", bg), ("PostGraphile", pgl), ("bomgraph SQLite", sq)):
            if a:
                notes.append(f"{size} lines, {name}: req/s per round {a['runs']}")
    print("\n".join(out))
    print()
    print("\n".join(notes))


def main(argv):
    cmd = argv[1]
    if cmd == "seed":
        seed_all(argv[2], argv[3], argv[4])
    elif cmd == "check":
        check(argv[2], argv[3], argv[4:])
    elif cmd == "wrk-lua":
        wrk_lua(argv[2], argv[3] if len(argv) > 3 else "")
    elif cmd == "wrk-parse":
        wrk_parse(argv[2], argv[3], argv[4], argv[5])
    elif cmd == "pgbench-parse":
        pgbench_parse(argv[2], argv[3], argv[4])
    elif cmd == "peak":
        peak(argv[2], argv[3])
    elif cmd == "table":
        table(argv[2])
    elif cmd == "query":
        print(BOMGRAPH_QUERY if argv[2] == "bomgraph" else POSTGRAPHILE_QUERY)
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
