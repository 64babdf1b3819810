"""Fault scenarios against real `bomgraph serve` processes, one backend per run.

Run by ./run (Python 3.11 standard library only), once for SQLite and once for
PostgreSQL. It starts, kills (-9) and restarts its own servers on one database, drives
them over HTTP on 127.0.0.1, and reads their memory from /proc/PID/status. Each check
appends "<0|1>\t<name>" to the results file (0: passed) and prints its figures.

Environment (set by ./run):
    FAULTS_BIN            the bomgraph binary
    FAULTS_BACKEND        sqlite | postgres (names the checks; postgres adds the restart check)
    FAULTS_DB_URL         the database, fresh and empty
    FAULTS_WORK           a directory for logs; servers' pids are appended to server.pids
    FAULTS_RESULTS        the results file
    FAULTS_PG_VERSION     the PostgreSQL cluster version, for pg_ctlcluster (postgres only)
    FAULTS_SOAK_SECONDS   length of the soak (default 60)
    FAULTS_JOB_RETRY_LIMIT  seconds allowed for an orphaned job to run again and finish (default 20; the lease is 6 s)
    FAULTS_ONLY           run only these scenarios (space- or comma-separated): import async
                          pgrestart oversized amplified soak

Exit status: 0 when every scenario ran (passed or failed), 3 when setting up failed.
"""

import http.client as httpclient
import json
import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from collections import Counter

BIN = os.environ["FAULTS_BIN"]
BACKEND = os.environ["FAULTS_BACKEND"]
DB_URL = os.environ["FAULTS_DB_URL"]
WORK = os.environ["FAULTS_WORK"]
RESULTS = os.environ["FAULTS_RESULTS"]
PG_VERSION = os.environ.get("FAULTS_PG_VERSION", "")
SOAK_SECONDS = float(os.environ.get("FAULTS_SOAK_SECONDS", "60"))
JOB_RETRY_LIMIT = float(os.environ.get("FAULTS_JOB_RETRY_LIMIT", "20"))
HOST = "127.0.0.1"
TAG = secrets.token_hex(3)
MB = 1024 * 1024

IMPORT_ROWS = 5000
UPSERT_LINES = 3000
BIG_BOM_LINES = 5000
CATALOGUE = 50  # components; every BOM here cycles through them


class SetupError(Exception):
    pass


def say(msg):
    print(f"   {msg}", flush=True)


def record(name, passed, detail=""):
    name = f"[{BACKEND}] {name}"
    print(f"-- {'PASS' if passed else 'FAIL'} {name}{': ' + detail if detail else ''}",
          flush=True)
    with open(RESULTS, "a") as f:
        f.write(f"{0 if passed else 1}\t{name}\n")


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --- HTTP -------------------------------------------------------------------------------

class ConnError(Exception):
    """bomgraph could not be reached, or dropped the connection."""


def request(port, method, path, body=None, token=None, scheme="Bearer", headers=None,
            timeout=60):
    """One request on a fresh connection: (status, headers, raw body). JSON bodies are
    encoded; bytes are sent as they are."""
    conn = httpclient.HTTPConnection(HOST, port, timeout=timeout)
    hdrs = {"Accept": "application/json"}
    if token:
        hdrs["Authorization"] = f"{scheme} {token}"
    if body is not None and not isinstance(body, (bytes, bytearray)):
        body = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    except (OSError, httpclient.HTTPException) as e:
        raise ConnError(f"{method} {path}: {e!r}") from e
    finally:
        conn.close()


def jcall(port, method, path, body=None, token=None, want=None, timeout=60, scheme="Bearer"):
    """A JSON request; with `want`, a different status is a setup error."""
    status, _, raw = request(port, method, path, body, token, scheme=scheme, timeout=timeout)
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = None
    if want is not None and status != want:
        raise SetupError(f"{method} {path}: expected {want}, got {status}: {raw[:500]!r}")
    return status, data


def gql(port, token, query, variables=None, timeout=60):
    status, data = jcall(port, "POST", "/graphql", {"query": query, "variables": variables or {}},
                         token, timeout=timeout)
    return status, data


def gql_ok(port, token, query, variables=None):
    status, data = gql(port, token, query, variables)
    if status != 200 or not data or data.get("errors"):
        raise SetupError(f"GraphQL {query[:80]!r}: {status} {json.dumps(data)[:500]}")
    return data["data"]


def error_codes(data):
    if not isinstance(data, dict):
        return []
    return [(e.get("extensions") or {}).get("code") for e in data.get("errors") or []]


# --- servers ----------------------------------------------------------------------------

class Server:
    """One `bomgraph serve` at a time on the suite's database; restarts keep the port."""

    def __init__(self):
        self.port = free_port()
        self.proc = None
        self.log_path = os.path.join(WORK, f"server-{BACKEND}.log")

    def start(self, timeout=60):
        """Starts the server and waits for /healthz; returns the time it answered."""
        for attempt in range(2):
            with open(self.log_path, "ab") as log:
                log.write(f"\n===== start on port {self.port}\n".encode())
                log.flush()
                self.proc = subprocess.Popen(
                    [BIN, "serve", "--bind", f"{HOST}:{self.port}", "--database-url", DB_URL],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            with open(os.path.join(WORK, "server.pids"), "a") as f:
                f.write(f"{self.proc.pid}\n")
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    status, _, _ = request(self.port, "GET", "/healthz", timeout=2)
                    if status == 200:
                        return time.monotonic()
                except ConnError:
                    pass
                time.sleep(0.05)
            if self.proc.poll() is None:
                self.kill9()
                raise SetupError(f"/healthz did not answer 200 within {timeout} s")
            # exited: the port may still be held; try once more on another
            self.port = free_port()
        raise SetupError(f"bomgraph serve exited at start (see {self.log_path})")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()

    def restart(self):
        self.stop()
        return self.start()

    def mem(self):
        """(VmRSS, VmHWM) in MB."""
        out = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0]) / 1024
        return out["VmRSS"], out["VmHWM"]

    def reset_peak(self):
        """Resets VmHWM to the current RSS (Linux clear_refs 5); False when not allowed."""
        try:
            with open(f"/proc/{self.proc.pid}/clear_refs", "w") as f:
                f.write("5")
            return True
        except OSError:
            return False


def cli(*args):
    out = subprocess.run([BIN, *args, "--database-url", DB_URL], capture_output=True,
                         text=True, timeout=120)
    if out.returncode != 0:
        raise SetupError(f"bomgraph {' '.join(args[:2])}: {out.stdout}{out.stderr}")
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def make_user(name, team):
    cli("user", "create", "--username", name, "--password", f"{name}-password-{TAG}",
        "--team", team, "--role", "admin")
    token = cli("token", "create", "--username", name, "--name", "faults")
    if not token:
        raise SetupError("bomgraph token create printed no token")
    return token


# --- fixtures ---------------------------------------------------------------------------

def create_part(port, token, **fields):
    _, part = jcall(port, "POST", "/api/part/", fields, token, want=201)
    return part["pk"]


def mpn(i):
    return f"MPN-{i % CATALOGUE:03}-{TAG}"


def catalogue(port, token, prefix):
    """CATALOGUE component parts (IPN and MPN) for the token's team."""
    return [create_part(port, token, name=f"{prefix} part {i:03} {TAG}",
                        IPN=f"{prefix}-{i:03}-{TAG}", MPN=mpn(i), manufacturer="Acme")
            for i in range(CATALOGUE)]


def raw_lines(n, prefix, matched_every=1):
    """n raw lines with distinct designators (one each: "D1", "D2", ...; never a range such
    as "A1-5") and custom ids; every `matched_every`th line names a catalogue MPN, the
    others an unknown one."""
    return [{"mpn": mpn(i) if i % matched_every == 0 else f"UNKNOWN-{prefix}{i}-{TAG}",
             "quantity": 1 + i % 3, "reference_designators_string": f"D{i + 1}",
             "custom_id": f"{prefix}{i}", "alternative_mpns": [], "is_custom_part": False}
            for i in range(n)]


def gql_bom_id(port, token, name):
    nodes = gql_ok(port, token, "query($n: String!) { boms(filter: {name: $n}, first: 5) "
                   "{ nodes { id name } } }", {"n": name})["boms"]["nodes"]
    if len(nodes) != 1:
        raise SetupError(f"one BOM named {name!r} expected: {nodes}")
    return nodes[0]["id"]


def gql_part_id(port, token, part_mpn):
    nodes = gql_ok(port, token, "query($s: String!) { parts(filter: {search: $s}, first: 5) "
                   "{ nodes { id mpn } } }", {"s": part_mpn})["parts"]["nodes"]
    nodes = [n for n in nodes if n["mpn"] == part_mpn]
    if len(nodes) != 1:
        raise SetupError(f"one part with MPN {part_mpn!r} expected: {nodes}")
    return nodes[0]["id"]


def cofactr_lines(port, token, bom_id):
    """Every line of a BOM through the paged Cofactr list (bounded: 100 pages)."""
    lines, path = [], f"/v1/boms/{bom_id}/lines/?limit=500"
    for _ in range(100):
        _, page = jcall(port, "GET", path, token=token, want=200, scheme="Api-Key")
        lines.extend(page["results"])
        if not page.get("next"):
            return lines, page["count"]
        u = urllib.parse.urlsplit(page["next"])
        path = u.path + ("?" + u.query if u.query else "")
    raise SetupError("more than 100 pages of lines")


def import_count(port, token, assembly):
    _, page = jcall(port, "GET", f"/api/bom/?part={assembly}&limit=1", token=token, want=200,
                    scheme="Token")
    return page["count"]


# --- 1. kill -9 during an InvenTree import submit ---------------------------------------

def multipart(fields, file_name, data):
    boundary = f"faults-{TAG}"
    out = bytearray()
    for name, value in fields:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"data_file\"; "
            f"filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    out += data + b"\r\n" + f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


def submit_in_thread(port, token, body):
    """Starts a submit; returns (thread, state, sent event)."""
    state, sent = {}, threading.Event()

    def run():
        conn = httpclient.HTTPConnection(HOST, port, timeout=300)
        try:
            conn.putrequest("POST", "/api/bom/import/submit/")
            conn.putheader("Authorization", f"Token {token}")
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders()
            conn.send(body)
            state["sent"] = time.monotonic()
            sent.set()
            resp = conn.getresponse()
            raw = resp.read()
            state["status"], state["body"] = resp.status, raw[:300]
        except (OSError, httpclient.HTTPException) as e:
            state["error"] = repr(e)
        finally:
            state["done"] = time.monotonic()
            sent.set()
            conn.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, state, sent


def scenario_import_kill(srv, token):
    name = "kill -9 during an InvenTree import submit: all rows or none"
    # A submit refuses an item whose part the BOM already uses, so every row needs its own
    # part: IMPORT_ROWS custom parts, made in a few statements by a raw BOM of custom lines.
    t0 = time.monotonic()
    names = [f"IMP-{i:04}-{TAG}" for i in range(IMPORT_ROWS)]
    jcall(srv.port, "POST", "/v1/boms/raw/", {
        "name": f"Import parts {TAG}", "version": "A",
        "lines": [{"custom_id": n, "mpn": n, "quantity": 1, "is_custom_part": True}
                  for n in names]}, token, want=201, timeout=300, scheme="Api-Key")
    say(f"{IMPORT_ROWS} parts made in {time.monotonic() - t0:.1f} s")
    assemblies = [create_part(srv.port, token, name=f"Import assembly {k} {TAG}", assembly=True)
                  for k in range(4)]
    csv = "part_name,quantity,reference\n" + "".join(
        f"{n},{1 + i % 4},R{i + 1}\n" for i, n in enumerate(names))
    ctype, body = multipart([("part", assemblies[0]), ("clear_existing_bom", "false")],
                            "bom.csv", csv.encode())
    t0 = time.monotonic()
    status, _, raw = request(srv.port, "POST", "/api/bom/import/upload/", body, token,
                             scheme="Token", headers={"Content-Type": ctype}, timeout=120)
    if status != 201:
        raise SetupError(f"upload: {status} {raw[:300]!r}")
    up = json.loads(raw)
    columns = [up["file_fields"][h]["value"] for h in up["columns"]]
    t1 = time.monotonic()
    _, ex = jcall(srv.port, "POST", "/api/bom/import/extract/",
                  {"columns": columns, "rows": up["rows"]}, token, want=201, timeout=300,
                  scheme="Token")
    t2 = time.monotonic()
    rows = ex["rows"]
    bad = [r for r in rows if r.get("errors")]
    if len(rows) != IMPORT_ROWS or bad or len({r["part"] for r in rows}) != IMPORT_ROWS:
        raise SetupError(f"extract: {len(rows)} rows, errors in {bad[:3]}")
    say(f"upload {t1 - t0:.2f} s, extract {t2 - t1:.2f} s ({IMPORT_ROWS} rows)")

    def items_for(assembly):
        return json.dumps({"items": [
            {"part": assembly, "sub_part": r["part"], "quantity": r["quantity"],
             "reference": r["reference"]} for r in rows]}).encode()

    # an uninterrupted submit: it works, and how long it takes
    t, state, sent = submit_in_thread(srv.port, token, items_for(assemblies[0]))
    t.join(300)
    if state.get("status") != 201:
        raise SetupError(f"uninterrupted submit: {state}")
    took = state["done"] - state["sent"]
    full = import_count(srv.port, token, assemblies[0])
    say(f"uninterrupted submit: {took:.2f} s after the body was sent, {full} rows")
    ok = full == IMPORT_ROWS
    interrupted = 0
    for k, fraction in enumerate((0.3, 0.6, 0.85), start=1):
        assembly = assemblies[k]
        t, state, sent = submit_in_thread(srv.port, token, items_for(assembly))
        sent.wait(60)
        delay = took * fraction
        time.sleep(delay)
        srv.kill9()
        killed = time.monotonic()
        t.join(30)
        answered = "status" in state and state["done"] <= killed
        if not answered:
            interrupted += 1
        srv.start()
        count = import_count(srv.port, token, assembly)
        whole = count in (0, IMPORT_ROWS)
        ok = ok and whole
        what = (f"answered {state.get('status')} before the kill" if answered
                else "killed before the answer")
        say(f"attempt {k}: kill -9 {delay:.2f} s after the body was sent ({what}); "
            f"after restart the BOM has {count} of {IMPORT_ROWS} rows"
            f"{'' if whole else '  <-- PARTIAL'}")
    if interrupted == 0:
        say("no kill landed before the submit answered")
    record(name, ok and interrupted > 0,
           f"{interrupted} of 3 kills landed mid-submit")


# --- 2. kill -9 during an async upsert --------------------------------------------------

def job_of(port, token, job_id):
    _, job = jcall(port, "GET", f"/v1/jobs/{job_id}/", token=token, want=200, scheme="Api-Key")
    return job


def seconds_between(start, end):
    """'12.3 s' between two RFC 3339 times of the job, or '?'."""
    from datetime import datetime

    def parse(t):
        t = t.replace("Z", "+00:00")
        head, dot, tail = t.partition(".")
        if dot:  # at most microseconds
            digits = "".join(c for c in tail if c.isdigit())
            t = f"{head}.{digits[:6]}{tail[len(digits):]}"
        return datetime.fromisoformat(t)

    try:
        return f"{(parse(end) - parse(start)).total_seconds():.1f} s"
    except (TypeError, ValueError, AttributeError):
        return "?"


def scenario_async_kill(srv, token):
    name = "kill -9 during an async upsert: the orphaned job runs again, lines exactly once"
    for attempt, n in enumerate((UPSERT_LINES, UPSERT_LINES * 2), start=1):
        bom_name = f"Async {attempt} {TAG}"
        body = {"name": bom_name, "version": "A", "part_number": None, "approved": False,
                "lines": raw_lines(n, f"A{attempt}-", matched_every=3), "metadata": {},
                "integration_record_id": f"faults-{attempt}-{TAG}",
                "synced_from_integration": True, "integration_source_name": "faults",
                "synced_from_integration_at": "2024-01-01T00:00:00Z"}
        _, job_id = jcall(srv.port, "PUT", "/integrations/async_boms/", body, token, want=200,
                          timeout=120, scheme="Api-Key")
        queued = time.monotonic()
        job = None
        while time.monotonic() - queued < 60:
            job = job_of(srv.port, token, job_id)
            if job["status"] != "queued":
                break
            time.sleep(0.005)
        if job["status"] != "running":
            say(f"{n} lines: the job was {job['status']} before it could be killed")
            continue
        srv.kill9()
        say(f"{n} lines: job {job_id} running {time.monotonic() - queued:.2f} s after the PUT "
            f"(progress {job['progress']}); kill -9")
        up = srv.start()
        retried = finished = None
        job = None
        while time.monotonic() - up < JOB_RETRY_LIMIT:
            job = job_of(srv.port, token, job_id)
            now = time.monotonic() - up
            if retried is None and job["attempts"] >= 2 and job["status"] in ("running",
                                                                                 "succeeded"):
                retried = now
            if job["status"] in ("succeeded", "failed"):
                finished = now
                break
            time.sleep(0.1)
        if retried is None or finished is None:
            say(f"after the restart the job is {job and job['status']} "
                f"(attempts {job and job['attempts']}) after {JOB_RETRY_LIMIT:.0f} s")
            record(name, False, f"not finished within {JOB_RETRY_LIMIT:.0f} s of the restart")
            return
        print(f"   orphaned job retried after {retried:.1f} s, finished after {finished:.1f} s",
              flush=True)
        say(f"(the retry itself ran {seconds_between(job['started_at'], job['finished_at'])})")
        if job["status"] != "succeeded" or job["attempts"] < 2:
            record(name, False, f"job {job['status']} after {job['attempts']} attempts: "
                                f"{job.get('error')}")
            return
        bom_id = job["result"]["bom_id"]
        lines, count = cofactr_lines(srv.port, token, bom_id)
        ids = Counter(l["custom_id"] for l in lines)
        want = {f"A{attempt}-{i}" for i in range(n)}
        dupes = sum(1 for c in ids.values() if c > 1)
        missing = len(want - set(ids))
        say(f"the BOM has {count} lines ({len(lines)} listed), {missing} missing, "
            f"{dupes} duplicated")
        ok = count == n and len(lines) == n and dupes == 0 and missing == 0
        record(name, ok and finished <= JOB_RETRY_LIMIT,
               f"retried after {retried:.1f} s, finished after {finished:.1f} s")
        return
    record(name, False, "the job finished before it could be killed, twice")


# --- 3. PostgreSQL restart under load ---------------------------------------------------

class Load:
    """Mixed reads and writes from `threads` threads, counted by outcome."""

    def __init__(self, port, token, fx):
        self.port, self.token, self.fx = port, token, fx
        self.counts = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.failures = []

    def count(self, what, detail=None):
        with self.lock:
            self.counts[what] += 1
            if detail and len(self.failures) < 10:
                self.failures.append(detail)

    def classify(self, method, path, status, headers, raw, graphql=False):
        if status == 503:
            if headers.get("Retry-After"):
                self.count("503+Retry-After")
            else:
                self.count("503 without Retry-After (failure)", f"{method} {path} 503 {raw[:200]!r}")
            return None
        if status >= 500:
            self.count(f"{status} (failure)", f"{method} {path} {status} {raw[:200]!r}")
            return None
        if graphql and status == 200:
            try:
                data = json.loads(raw)
            except ValueError:
                self.count("graphql non-JSON (failure)", f"{raw[:200]!r}")
                return None
            codes = error_codes(data)
            if "INTERNAL" in codes:
                self.count("200 with INTERNAL error (failure)", f"{path} {raw[:200]!r}")
                return None
            if codes:
                self.count(f"200 with {','.join(sorted(set(map(str, codes))))}")
                return data
        self.count(str(status))
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def one(self, method, path, body=None, scheme="Bearer", graphql=False):
        try:
            status, headers, raw = request(self.port, method, path, body, self.token,
                                        scheme=scheme, timeout=30)
        except ConnError as e:
            self.count("connection error (failure)", str(e))
            return None, None
        return status, self.classify(method, path, status, headers, raw, graphql)

    def step(self, i, rnd):
        fx = self.fx
        k = i % 10
        if k in (0, 5):
            self.one("POST", "/graphql", {"query": "{ boms(first: 5) { nodes { name lines "
                                                   "{ quantity part { name } } } } }"},
                     graphql=True)
        elif k == 1:
            self.one("GET", "/api/bom/?limit=5", scheme="Token")
        elif k == 2:
            self.one("GET", "/v1/boms/", scheme="Api-Key")
        elif k == 3:
            self.one("POST", "/graphql", {"query": "query($p: ID!) { whereUsed(partId: $p) "
                                                   "{ quantity bom { name } } }",
                                          "variables": {"p": fx["gql_part"]}}, graphql=True)
        elif k == 4:
            self.one("GET", f"/api/part/?limit=5&search={fx['prefix']}", scheme="Token")
        elif k == 6:
            self.one("GET", f"/v1/boms/{rnd.choice(fx['boms'])}/lines/", scheme="Api-Key")
        elif k == 7:  # a line added and removed
            status, line = self.one("POST", "/api/bom/", {
                "part": fx["assembly"], "sub_part": rnd.choice(fx["parts"]), "quantity": "2",
                "reference": f"W{i}"}, scheme="Token")
            if status == 201 and isinstance(line, dict) and "pk" in line:
                self.one("DELETE", f"/api/bom/{line['pk']}/", scheme="Token")
        elif k == 8:
            self.one("PATCH", f"/api/part/{rnd.choice(fx['parts'])}/",
                     {"description": f"touched {i}"}, scheme="Token")
        else:  # a small BOM created and deleted
            status, bom = self.one("POST", "/v1/boms/raw/", {
                "name": f"Churn {i} {secrets.token_hex(2)}",
                "lines": raw_lines(5, f"W{i}-")}, scheme="Api-Key")
            if status == 201 and isinstance(bom, dict) and "id" in bom:
                self.one("DELETE", f"/v1/boms/{bom['id']}/", scheme="Api-Key")

    def run(self, threads, seconds, max_requests=200000):
        import random

        def worker(n):
            rnd = random.Random(n)
            deadline = time.monotonic() + seconds
            i = n
            while not self.stop.is_set() and time.monotonic() < deadline and i < max_requests:
                self.step(i, rnd)
                i += threads

        ts = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
        for t in ts:
            t.start()
        return ts

    def report(self):
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items()))

    def failed(self):
        return sum(v for k, v in self.counts.items() if "failure" in k)


def load_fixtures(srv, token):
    prefix = f"LD{TAG}"
    parts = [create_part(srv.port, token, name=f"{prefix} load part {i}", IPN=f"{prefix}-{i}",
                         MPN=f"LOAD-{i}-{TAG}") for i in range(10)]
    assembly = create_part(srv.port, token, name=f"{prefix} load assembly", assembly=True)
    boms = []
    for b in range(5):
        lines = [{"mpn": f"LOAD-{(b + j) % 10}-{TAG}", "quantity": 1 + j,
                  "reference_designators_string": f"U{j}"} for j in range(10)]
        _, bom = jcall(srv.port, "POST", "/v1/boms/raw/",
                       {"name": f"aa load {b} {TAG}", "version": "A", "lines": lines}, token,
                       want=201, scheme="Api-Key")
        boms.append(bom["id"])
    return {"prefix": prefix, "parts": parts, "assembly": assembly, "boms": boms,
            "gql_part": gql_part_id(srv.port, token, f"LOAD-0-{TAG}")}


def pg_ready():
    return subprocess.run(["pg_isready", "-h", HOST, "-p", "5432", "-q"]).returncode == 0


def scenario_pg_restart(srv, token, fx):
    name = "PostgreSQL restart under load: no 500s, no dropped connections"
    probes = ["/healthz"]
    try:
        status, _, _ = request(srv.port, "GET", "/readyz", timeout=5)
        if status == 200:
            probes.append("/readyz")
        else:
            say(f"/readyz answers {status} while healthy: not probed")
    except ConnError:
        pass
    seen = {p: Counter() for p in probes}
    stop = threading.Event()

    def probe():
        while not stop.is_set():
            for p in probes:
                try:
                    status, _, _ = request(srv.port, "GET", p, timeout=5)
                    seen[p][str(status)] += 1
                except ConnError:
                    seen[p]["connection error"] += 1
            time.sleep(0.1)

    load = Load(srv.port, token, fx)
    threads = load.run(4, 12)
    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    time.sleep(4)
    t0 = time.monotonic()
    restart = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main",
                              "restart"], capture_output=True, text=True, timeout=120)
    took = time.monotonic() - t0
    say(f"pg_ctlcluster {PG_VERSION} main restart: exit {restart.returncode} in {took:.1f} s "
        f"{restart.stderr.strip()[:200]}")
    for t in threads:
        t.join(60)
    stop.set()
    prober.join(10)
    for _ in range(60):
        if pg_ready():
            break
        time.sleep(0.5)
    say(f"responses: {load.report()}")
    for p in probes:
        down = sum(v for k, v in seen[p].items() if k != "200")
        say(f"{p} during the restart: {dict(seen[p])}: "
            f"{'saw the database down' if down else 'never saw the database down'}")
    for f in load.failures[:5]:
        say(f"  e.g. {f}")
    record(name, restart.returncode == 0 and load.failed() == 0,
           f"{load.failed()} failed responses of {sum(load.counts.values())}")


# --- 4. oversized anonymous request -----------------------------------------------------

def oversized(port, path, chunked, total_mb=400, send_limit=15.0, answer_wait=5.0):
    """Streams a 400 MB body in 1 MB pieces until the server answers or closes (or
    `send_limit` seconds pass); returns (status or None, MB sent, seconds, note). A reader
    thread takes the answer as soon as it comes, before a close can reset it away."""
    sock = socket.create_connection((HOST, port), timeout=10)
    sock.settimeout(0.5)
    got, answered, closed = bytearray(), threading.Event(), threading.Event()

    def reader():
        deadline = time.monotonic() + send_limit + answer_wait + 5
        while time.monotonic() < deadline and not closed.is_set():
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not data:
                break
            got.extend(data)
            if b"\r\n" in got:
                break
        answered.set()

    head = f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
    head += ("Transfer-Encoding: chunked\r\n" if chunked
             else f"Content-Length: {total_mb * MB}\r\n")
    head += "Connection: close\r\n\r\n"
    first = b'{"query":"' + b" " * (MB - 10)
    rest = b" " * MB
    start = time.monotonic()
    deadline = start + send_limit
    sent, note = 0, ""

    def send(data):
        view = memoryview(data)
        while view:
            if answered.is_set():
                raise EOFError("the server answered or closed")
            if time.monotonic() > deadline:
                raise TimeoutError(f"still sending after {send_limit:.0f} s")
            try:
                view = view[sock.send(view):]
            except socket.timeout:
                continue

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        send(head.encode())
        for i in range(total_mb):
            piece = first if i == 0 else rest
            if chunked:
                piece = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            send(piece)
            sent += 1
        if chunked:
            send(b"0\r\n\r\n")
        note = "whole body sent"
    except (EOFError, TimeoutError) as e:
        note = str(e)
    except OSError as e:
        note = f"send stopped: {e.__class__.__name__}"
    answered.wait(answer_wait)
    closed.set()
    thread.join(2)
    sock.close()
    status = None
    if got.startswith(b"HTTP/1.") and b" " in got:
        try:
            status = int(bytes(got).split(b" ", 2)[1])
        except ValueError:
            pass
    if status is None:
        note += "; no answer"
    return status, sent, time.monotonic() - start, note


def scenario_oversized(srv):
    srv.restart()  # a fresh process, so the peak memory is this scenario's
    for path, chunked in (("/graphql", False), ("/api/bom/", False), ("/graphql", True)):
        how = "Transfer-Encoding: chunked" if chunked else "Content-Length: 419430400"
        name = f"oversized anonymous POST {path} ({how}): 413, memory bounded"
        if not srv.alive():
            srv.start()
        reset = srv.reset_peak()
        _, before = srv.mem()
        status, sent, took, note = oversized(srv.port, path, chunked)
        if not srv.alive():
            record(name, False, f"the server died (answer {status}, {sent} MB sent)")
            srv.start()
            continue
        _, after = srv.mem()
        growth = after - before
        say(f"POST {path} ({how}): answer {status} after {sent} MB in {took:.1f} s ({note}); "
            f"peak memory {before:.0f} MB before, {after:.0f} MB after "
            f"(+{growth:.0f} MB{'' if reset else ', peak not reset'})")
        record(name, status == 413 and growth <= 64,
               f"answer {status}, peak +{growth:.0f} MB")
        # a server that read the whole body holds on to it: start the next one fresh
        if growth > 64:
            srv.restart()


# --- 5. amplified query -----------------------------------------------------------------

def timed_gql(port, token, query, timeout):
    t0 = time.monotonic()
    try:
        status, data = gql(port, token, query, timeout=timeout)
    except ConnError as e:
        return None, None, time.monotonic() - t0, str(e)
    return status, data, time.monotonic() - t0, None


def scenario_amplified(srv, token):
    lines = raw_lines(BIG_BOM_LINES, "B", matched_every=1)
    bom_name = f"Big {TAG}"
    t0 = time.monotonic()
    jcall(srv.port, "POST", "/v1/boms/raw/", {"name": bom_name, "version": "A", "lines": lines},
          token, want=201, timeout=300, scheme="Api-Key")
    say(f"a BOM of {BIG_BOM_LINES} lines created in {time.monotonic() - t0:.1f} s")
    bom = gql_bom_id(srv.port, token, bom_name)
    part = gql_part_id(srv.port, token, mpn(7))
    bom_sel = "{ lines { id reference quantity availableStock } }"
    used_sel = "{ id reference quantity availableStock bom { name } }"
    cases = [
        ("bom", 400, f"bom(id: {json.dumps(bom)}) {bom_sel}"),
        ("whereUsed", 100, f"whereUsed(partId: {json.dumps(part)}) {used_sel}"),
    ]
    for field, n, one in cases:
        srv.restart()  # a fresh process, so the peak memory is this query's
        name = f"{n} aliases of {field}: refused quickly (QUERY_TOO_COMPLEX or RESPONSE_TOO_LARGE)"
        status, data, single, err = timed_gql(srv.port, token, "{ a0: " + one + " }", 120)
        if err is None and status == 200 and not (data or {}).get("errors"):
            estimate = single * n
            size = len(json.dumps(data))
            say(f"one {field}: {single:.2f} s, {size / MB:.1f} MB of JSON; "
                f"{n} would take some {estimate:.0f} s")
        else:
            estimate = None
            say(f"one {field} alone is refused or failed ({status} {error_codes(data)} {err}): "
                f"{single:.2f} s")
        query = "{ " + " ".join(f"a{i}: {one}" for i in range(n)) + " }"
        srv.reset_peak()
        _, before = srv.mem()
        limit = 15.0
        status, data, took, err = timed_gql(srv.port, token, query, limit)
        alive = srv.alive()
        after = srv.mem()[1] if alive else before
        growth = after - before
        codes = error_codes(data)
        bound = min(5.0, estimate / 4) if estimate else 5.0
        bound = max(bound, 1.0)
        say(f"{n} aliases: answer {status} {sorted(set(map(str, codes))) or 'no errors'} "
            f"in {took:.2f} s (allowed {bound:.1f} s){' ' + err if err else ''}; "
            f"peak memory {before:.0f} -> {after:.0f} MB (+{growth:.0f} MB)")
        refused = bool({"QUERY_TOO_COMPLEX", "RESPONSE_TOO_LARGE"} & set(codes))
        record(name, refused and took <= bound and growth < 200 and alive,
               f"{took:.2f} s, +{growth:.0f} MB, codes {sorted(set(map(str, codes)))}")
        if err or not alive:
            # it may still be working on the query: a fresh server for what follows
            srv.kill9()
            srv.start()


# --- 6. soak ----------------------------------------------------------------------------

def scenario_soak(srv, token, fx):
    name = f"soak: 4 threads for {SOAK_SECONDS:.0f} s, memory levels off"
    srv.restart()
    load = Load(srv.port, token, fx)
    start = time.monotonic()
    threads = load.run(4, SOAK_SECONDS)
    samples = {}
    for label, at in (("start", 5.0), ("middle", 5.0 + (SOAK_SECONDS - 5.0) / 2),
                      ("end", SOAK_SECONDS - 0.5)):
        time.sleep(max(0.0, start + at - time.monotonic()))
        samples[label] = srv.mem()[0] if srv.alive() else float("nan")
        say(f"VmRSS at {label} ({at:.0f} s): {samples[label]:.1f} MB")
    for t in threads:
        t.join(60)
    say(f"responses: {load.report()}")
    ok = srv.alive() and samples["end"] <= samples["middle"] * 1.2 + 16
    record(name, ok, f"VmRSS {samples['start']:.1f} / {samples['middle']:.1f} / "
                     f"{samples['end']:.1f} MB (limit {samples['middle'] * 1.2 + 16:.1f})")


# --- main -------------------------------------------------------------------------------

ONLY = set(filter(None, os.environ.get("FAULTS_ONLY", "").replace(",", " ").split()))


def guarded(key, label, fn, srv, *args):
    """Runs one scenario on a live server; a crash of the scenario is its failure, and the
    suite goes on."""
    if ONLY and key not in ONLY:
        return
    print(f"== [{BACKEND}] {label}", flush=True)
    t0 = time.monotonic()
    try:
        if not srv.alive():
            srv.start()
        fn(srv, *args)
    except Exception as e:  # a setup error or a crash fails this scenario only
        traceback.print_exc(limit=3)
        record(label, False, f"could not run: {e}")
    say(f"({time.monotonic() - t0:.1f} s)")


def main():
    srv = Server()
    try:
        token = make_user("faults", "faults")
        load_token = make_user("load", "load")
        # the upsert's own team, so its BOM is matched against its own small catalogue
        async_token = make_user("async", "async")
        srv.start()
        catalogue(srv.port, token, "cat")
        catalogue(srv.port, async_token, "cat")
        fx = load_fixtures(srv, load_token)
        guarded("import", "kill -9 during an InvenTree import submit", scenario_import_kill,
                srv, token)
        guarded("async", "kill -9 during an async upsert", scenario_async_kill, srv,
                async_token)
        if BACKEND == "postgres":
            guarded("pgrestart", "PostgreSQL restart under load", scenario_pg_restart, srv,
                    load_token, fx)
        guarded("oversized", "oversized anonymous requests", scenario_oversized, srv)
        guarded("amplified", "amplified queries", scenario_amplified, srv, token)
        guarded("soak", "soak", scenario_soak, srv, load_token, fx)
    except SetupError as e:
        print(f"setup failed on {BACKEND}: {e}", flush=True)
        return 3
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
