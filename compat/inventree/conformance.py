"""Every GET and PATCH operation of /api/schema/, called with real data, answers as documented.

schemathesis (run after this by ./run) fuzzes the whole document, but with random
identifiers most detail paths only ever answer 404, so a detail body that does not match
its documented schema can go unnoticed for many runs. This script creates one of each
resource through the REST paths themselves (validating each create response too), then
calls every GET operation with the identifiers of those resources and with an unknown
identifier, and every PATCH operation with an empty body, and validates the status and body of each answer against the document.

Runs inside the schemathesis virtualenv (it brings `requests` and `jsonschema`). Reads

    COMPAT_URL     base URL of the server, e.g. http://127.0.0.1:8123
    COMPAT_TOKEN   an API token of a user with write access

Prints one line per call and "OK" at the end; exits 1 listing every mismatch.
"""

import os
import re
import secrets
import sys

import jsonschema
import requests

URL = os.environ["COMPAT_URL"].rstrip("/")
HEADERS = {"Authorization": f"Token {os.environ['COMPAT_TOKEN']}"}
UNKNOWN_ID = 987654321

session = requests.Session()
session.headers.update(HEADERS)
doc = session.get(f"{URL}/api/schema/", timeout=30).json()
problems = []


def operation(method, template):
    op = doc["paths"].get(template, {}).get(method.lower())
    if op is None:
        raise SystemExit(f"/api/schema/ documents no {method} {template}")
    return op


def check_response(method, template, resp):
    """The status is documented for the operation and the body matches its schema."""
    what = f"{method} {resp.request.path_url} -> {resp.status_code}"
    documented = operation(method, template).get("responses", {})
    found = mismatches(documented.get(str(resp.status_code)), resp)
    problems.extend(f"{what}: {m}" for m in found)
    print(f"  {what}{'  MISMATCH' if found else ''}", flush=True)


def mismatches(spec, resp):
    if spec is None:
        return ["status not documented"]
    schema = spec.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return ["a body where the document promises none"] if resp.content else []
    try:
        body = resp.json()
    except ValueError:
        return [f"body is not JSON: {resp.text[:200]!r}"]
    # Local references (#/components/...) resolve against the root of this schema.
    root = dict(schema, components=doc.get("components", {}))
    errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(body), key=str)
    return [f"at {'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message[:300]}"
            for e in errors[:3]]


def call(method, template, params=None, body=None, want=None):
    path = template.format(**(params or {}))
    resp = session.request(method, f"{URL}{path}", json=body, timeout=60)
    check_response(method, template, resp)
    if want is not None and resp.status_code != want:
        raise SystemExit(f"{method} {path} answered {resp.status_code}, expected {want}: {resp.text[:500]}")
    return resp.json() if resp.content else None


def seed():
    """One of each resource; returns the value of every path parameter, per path prefix."""
    tag = secrets.token_hex(3)
    asm = call("POST", "/api/part/", body={"name": f"conf-asm-{tag}", "IPN": f"CA-{tag}",
                                           "assembly": True, "component": False}, want=201)
    comp = call("POST", "/api/part/", body={"name": f"conf-res-{tag}", "IPN": f"CR-{tag}",
                                            "component": True}, want=201)
    alt = call("POST", "/api/part/", body={"name": f"conf-alt-{tag}", "IPN": f"CL-{tag}",
                                           "component": True}, want=201)
    item = call("POST", "/api/bom/", body={"part": asm["pk"], "sub_part": comp["pk"],
                                           "quantity": 2, "reference": "R1 R2"}, want=201)
    sub = call("POST", "/api/bom/substitute/", body={"bom_item": item["pk"], "part": alt["pk"]},
               want=201)
    bom = call("POST", "/v1/boms/", body={"name": f"conf-{tag}", "lines": [
        {"part_id": comp["pk"], "quantity": "4", "reference_designators_string": "R1-R4"}]},
        want=201)
    line = call("POST", "/v1/boms/{id}/lines/raw/", {"id": bom["id"]},
                body={"mpn": f"UNMATCHED-{tag}", "quantity": 1}, want=201)
    program = call("POST", "/v1/programs/", body={"name": f"conf-{tag}"}, want=201)
    pline = call("POST", "/v1/programs/{id}/lines/", {"id": program["id"]},
                 body={"bom_id": bom["id"], "quantity": 5}, want=201)
    override = call("POST", "/v1/programs/{id}/part_overrides/", {"id": program["id"]},
                    body={"part_id": comp["pk"], "on_hand_quantity": "100", "unit_price": "0.25"},
                    want=201)
    job = call("GET", "/v1/programs/{id}/availabilities/async/", {"id": program["id"]}, want=200)
    return [
        ("/api/bom/substitute/", {"id": sub["pk"]}),
        ("/api/bom/", {"id": item["pk"]}),
        ("/api/part/", {"id": comp["pk"]}),
        ("/v1/boms/", {"id": bom["id"], "line_id": line["id"]}),
        ("/v1/programs/", {"id": program["id"], "line_id": pline["id"],
                           "override_id": override["id"]}),
        ("/v1/jobs/", {"id": job}),
    ]


def main():
    ids = seed()
    gets = sorted(t for t, ops in doc["paths"].items() if "get" in ops)
    for template in gets:
        names = re.findall(r"{(\w+)}", template)
        if not names:
            call("GET", template)
            continue
        params = next((p for prefix, p in ids if template.startswith(prefix)), None)
        if params is None or any(n not in params for n in names):
            problems.append(f"GET {template}: the script has no identifier for {names}")
            continue
        call("GET", template, params)
        # An unknown identifier answers a documented 404 too.
        call("GET", template, {n: UNKNOWN_ID for n in names})
    # An empty PATCH changes nothing and answers the documented body.
    patches = sorted(t for t, ops in doc["paths"].items() if "patch" in ops)
    for template in patches:
        params = next((p for prefix, p in ids if template.startswith(prefix)), None)
        names = re.findall(r"{(\w+)}", template)
        if params is None or any(n not in params for n in names):
            problems.append(f"PATCH {template}: the script has no identifier for {names}")
            continue
        call("PATCH", template, params, body={})
    if problems:
        print(f"{len(problems)} mismatches between /api/schema/ and the server:")
        for p in problems:
            print(f"  - {p}")
        sys.exit(1)
    print(f"OK: {len(gets)} GET and {len(patches)} PATCH operations answer as documented")


if __name__ == "__main__":
    main()
