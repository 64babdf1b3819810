"""A scripted session of a Cofactr Platform API client against a running bomgraph.

Run by ./run (standard library only). It does what an integration written for Cofactr's
BOMs, Programs and Async Jobs operations does, with `Authorization: Api-Key <key>`, and
checks every answer against figures worked out by hand. Reads its connection details
from the environment:

    COMPAT_URL           base URL of the server, e.g. http://127.0.0.1:8123
    COMPAT_TOKEN         an API key of a user with write access
    COMPAT_OTHER_TOKEN   an API key of a user of another team

The script stops at the first failed check, prints which one failed and exits 1; it
prints "OK" and exits 0 when every check passed.
"""

import json
import os
import secrets
import sys
import time
import traceback
import urllib.error
import urllib.request

URL = os.environ["COMPAT_URL"].rstrip("/")
KEY = os.environ["COMPAT_TOKEN"]
OTHER_KEY = os.environ["COMPAT_OTHER_TOKEN"]
TAG = secrets.token_hex(3)


class CheckFailed(Exception):
    pass


def step(name):
    print(f"  .. {name}", flush=True)


def check(cond, message):
    if not cond:
        raise CheckFailed(message)


def call(method, path, body=None, key=KEY, scheme="Api-Key"):
    """One request; returns (status, parsed JSON body or None)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{URL}{path}", data=data, method=method)
    req.add_header("Accept", "application/json")
    if key is not None:
        req.add_header("Authorization", f"{scheme} {key}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, raw, ctype = resp.status, resp.read(), resp.headers.get("Content-Type")
    except urllib.error.HTTPError as e:
        status, raw, ctype = e.code, e.read(), e.headers.get("Content-Type")
    if not raw:
        return status, None
    json_types = ("application/json", "application/graphql-response+json")
    check(ctype in (json_types if path == "/graphql" else json_types[:1]),
          f"{method} {path}: Content-Type {ctype!r}")
    return status, json.loads(raw)


def ok(method, path, body=None, want=200):
    status, got = call(method, path, body)
    check(status == want, f"{method} {path}: expected {want}, got {status}: {got}")
    return got


def graphql(query, variables):
    status, got = call("POST", "/graphql", {"query": query, "variables": variables},
                       scheme="Bearer")
    check(status == 200 and not got.get("errors"), f"GraphQL failed: {got}")
    return got["data"]


def create_part(**input):
    return graphql("mutation($i: CreatePartInput!) { createPart(input: $i) { part { rowId } } }",
                   {"i": input})["createPart"]["part"]["rowId"]


def wait_job(job_id):
    for _ in range(600):
        job = ok("GET", f"/v1/jobs/{job_id}/")
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.05)
    raise CheckFailed(f"job {job_id} did not finish in 30 s: {job}")


def bom_lines(bom_id):
    """The lines of a BOM (one page: the BOMs here are small)."""
    return ok("GET", f"/v1/boms/{bom_id}/lines/")["results"]


def by_mpn(lines):
    return {line["mpn"]: line for line in lines}


def session():
    step("every path needs a key; a wrong key is refused")
    status, body = call("GET", "/v1/boms/", key=None)
    check(status == 401 and "detail" in body, f"no key: {status} {body}")
    status, body = call("GET", "/v1/boms/", key="not-a-key")
    check(status == 401 and "detail" in body, f"wrong key: {status} {body}")

    step("a catalogue to match against (GraphQL)")
    timer = create_part(name=f"555 timer {TAG}", mpn=f"NE555P-{TAG}",
                        manufacturer="Texas Instruments",
                        offers=[{"supplier": "Distributor", "stock": "1000", "moq": "1",
                                 "orderMultiple": "1", "currency": "USD",
                                 "priceBreaks": [{"quantity": "1", "unitPrice": "0.50"},
                                                 {"quantity": "100", "unitPrice": "0.40"}]}])
    resistor = create_part(name=f"10k 0402 {TAG}", mpn=f"RC0402FR-0710KL-{TAG}",
                           manufacturer="Yageo", inStock="500")

    step("create a BOM from raw CAD lines (POST /v1/boms/raw/)")
    raw = [
        {"mpn": f"ne555p-{TAG}", "quantity": 1, "reference_designators_string": "U1"},
        {"mpn": f"RC0402FR-0710KL-{TAG}", "quantity": "4",
         "reference_designators_string": "R1-R4"},
        {"mpn": f"UNKNOWN-{TAG}", "quantity": 2, "reference_designators_string": "X1, X2"},
        {"mpn": f"CUSTOM-{TAG}", "description": "bracket", "quantity": 1,
         "is_custom_part": True},
    ]
    bom = ok("POST", "/v1/boms/raw/", {"name": f"Board {TAG}", "version": "A", "lines": raw},
             want=201)
    lines = bom_lines(bom["id"])
    got = by_mpn(lines)
    check(len(lines) == 4, f"4 lines expected, got {len(lines)}")
    check(got[f"ne555p-{TAG}"]["match_status"] == "matched"
          and str(got[f"ne555p-{TAG}"]["part_id"]) == str(timer),
          f"the MPN in another case matches the timer: {got[f'ne555p-{TAG}']}")
    r = got[f"RC0402FR-0710KL-{TAG}"]
    check(r["reference_designators"] == ["R1", "R2", "R3", "R4"],
          f"R1-R4 expands to four designators: {r['reference_designators']}")
    check(got[f"UNKNOWN-{TAG}"]["match_status"] == "no_match", "unknown MPN is no_match")
    check(got[f"CUSTOM-{TAG}"]["match_status"] == "custom", "custom part line is custom")

    step("a raw line with the same part and designators sums into its line")
    ok("POST", f"/v1/boms/{bom['id']}/lines/raw/",
       {"mpn": f"NE555P-{TAG}", "quantity": 2, "reference_designators_string": "U1"}, want=201)
    lines = bom_lines(bom["id"])
    check(len(lines) == 4, f"still 4 lines, got {len(lines)}")
    check(by_mpn(lines)[f"ne555p-{TAG}"]["quantity"] == "3",
          f"1 + 2 = 3: {by_mpn(lines)[f'ne555p-{TAG}']['quantity']}")

    step("another team's key sees none of it")
    status, body = call("GET", f"/v1/boms/{bom['id']}/", key=OTHER_KEY)
    check(status == 404 and body == {"detail": "Not found."}, f"{status} {body}")
    status, body = call("PATCH", f"/v1/boms/{bom['id']}/", {"name": "mine"}, key=OTHER_KEY)
    check(status == 404, f"another team's PATCH: {status} {body}")

    step("Upsert BOM Async: a bad body is refused at once")
    status, body = call("PUT", "/integrations/async_boms/", {"name": "x", "lines": "nope"})
    check(status == 400 and "lines" in body, f"{status} {body}")

    step("Upsert BOM Async: a job id, the job runs, the BOM holds the payload's lines")
    payload = {
        "name": f"Synced {TAG}", "version": None, "part_number": None, "approved": False,
        "lines": [{"mpn": f"NE555P-{TAG}", "quantity": 2, "reference_designators_string": "U1 U2",
                   "alternative_mpns": [], "metadata": {}, "is_custom_part": False}],
        "metadata": {}, "integration_record_id": f"erp-{TAG}", "synced_from_integration": True,
        "integration_source_name": "erp", "synced_from_integration_at": "2019-08-24T14:15:22Z",
    }
    job_id = ok("PUT", "/integrations/async_boms/", payload)
    check(isinstance(job_id, str), f"the job id is a JSON string: {job_id!r}")
    job = wait_job(job_id)
    check(job["status"] == "succeeded", f"upsert job: {job}")
    found = ok("GET", f"/v1/boms/?search=Synced%20{TAG}")
    check(found["count"] == 1, f"one synced BOM: {found}")
    synced = found["results"][0]

    step("the same payload again changes nothing (idempotent)")
    job = wait_job(ok("PUT", "/v1/integrations/async_boms/", payload))
    check(job["status"] == "succeeded", f"second upsert: {job}")
    again = ok("GET", f"/v1/boms/?search=Synced%20{TAG}")
    check(again["count"] == 1 and again["results"][0]["id"] == synced["id"], f"{again}")
    lines = bom_lines(synced["id"])
    check([(l["quantity"], l["reference_designators"]) for l in lines] == [("2", ["U1", "U2"])],
          f"exactly the payload's line: {lines}")

    step("an approved BOM is not upserted: the job fails with a reason")
    ok("POST", f"/v1/boms/{synced['id']}/approve/")
    payload["lines"][0]["quantity"] = 5
    job = wait_job(ok("PUT", "/integrations/async_boms/", payload))
    check(job["status"] == "failed" and "approved" in (job["error"] or ""), f"{job}")
    lines = bom_lines(synced["id"])
    check(lines[0]["quantity"] == "2", f"unchanged: {lines}")

    step("a program builds the board 10 times: availability by hand")
    program = ok("POST", "/v1/programs/", {"name": f"Pilot {TAG}"}, want=201)
    ok("POST", f"/v1/programs/{program['id']}/lines/", {"bom_id": bom["id"], "quantity": 10},
       want=201)
    report = ok("GET", f"/v1/programs/{program['id']}/availabilities/")
    rows = {str(r["part_id"]) if r["part_id"] is not None else r["name"]: r
            for r in report["parts"]}
    t = rows[str(timer)]
    check((t["demand"], t["on_hand"], t["to_buy"], t["status"]) == ("30", "0", "30", "buyable"),
          f"timer: 3 per board x 10, none on hand, 1000 at the supplier: {t}")
    res = rows[str(resistor)]
    check((res["demand"], res["on_hand"], res["status"]) == ("40", "500", "on_hand"),
          f"resistor: 4 x 10 from 500 on hand: {res}")
    unknown = rows[f"UNKNOWN-{TAG}"]
    check((unknown["demand"], unknown["status"]) == ("20", "no_match"), f"{unknown}")

    step("the same report as an async job")
    job = wait_job(ok("GET", f"/v1/programs/{program['id']}/availabilities/async/"))
    check(job["status"] == "succeeded" and job["result"]["parts"] == report["parts"],
          f"async availability: {job}")

    step("reference pricing at 1 and 100 builds, by hand")
    pricing = ok("GET", f"/v1/programs/{program['id']}/reference_pricing/?quantities=1,100")
    at = {p["build_quantity"]: p for p in pricing}
    check(at["1"]["totals"] == {"USD": "15"},
          f"1 build of 10 boards: 30 timers at 0.50: {at['1']['totals']}")
    check(at["100"]["totals"] == {"USD": "1200"},
          f"100 builds: 3,000 timers at the 100 break, 0.40 each: {at['100']['totals']}")
    check(at["100"]["per_unit"] == {"USD": "12"}, f"per build: {at['100']['per_unit']}")
    check(int(resistor) in at["1"]["unpriced"], "the resistor has no offer: unpriced")

    step("a part override fixes the timer's stock")
    override = ok("POST", f"/v1/programs/{program['id']}/part_overrides/",
                  {"part_id": timer, "on_hand_quantity": "100"}, want=201)
    report = ok("GET", f"/v1/programs/{program['id']}/availabilities/")
    t = {str(r["part_id"]): r for r in report["parts"] if r["part_id"] is not None}[str(timer)]
    check((t["on_hand"], t["status"]) == ("100", "on_hand"), f"overridden: {t}")
    status, _ = call("DELETE", f"/v1/programs/{program['id']}/part_overrides/{override['id']}/")
    check(status == 204, f"override removed: {status}")

    step("delete: the program, then the unapproved BOM (204); the approved one archives")
    status, _ = call("DELETE", f"/v1/programs/{program['id']}/")
    check(status == 204, f"program delete: {status}")
    status, _ = call("DELETE", f"/v1/boms/{bom['id']}/")
    check(status == 204, f"unapproved BOM delete: {status}")
    archived = ok("DELETE", f"/v1/boms/{synced['id']}/")
    check(archived["archived"] is True, f"approved BOM archived: {archived}")


def main():
    try:
        session()
    except CheckFailed as e:
        print(f"FAILED: {e}", flush=True)
        sys.exit(1)
    except Exception:  # a crash is a failure too, with its trace
        traceback.print_exc()
        sys.exit(1)
    print("OK: the Cofactr session passed", flush=True)


if __name__ == "__main__":
    main()
