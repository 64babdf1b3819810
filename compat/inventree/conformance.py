"""Every operation of /api/schema/ that reads, updates or deletes, called on real data,
answers as documented.

schemathesis (run after this by ./run) fuzzes the whole document, but with random
identifiers most detail paths only ever answer 404, so a detail body that does not match
its documented schema can go unnoticed for many runs. This script creates one of each
resource through the REST paths themselves (validating each create response too), then
calls every GET operation with the identifiers of those resources and with an unknown
identifier, every PATCH with an empty body, every PUT with what GET answered (as the
clients' save() does), and every DELETE on the real resource and on an unknown one, and
validates the status and body of each answer against the document.

Runs inside the schemathesis virtualenv (`requests` comes with schemathesis; ./run adds
`jsonschema`). Reads

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
    content = spec.get("content", {})
    media = media_type(resp)
    if resp.content and content and media not in content:
        return [f"content type {media!r} is not one of the documented {sorted(content)}"]
    if resp.content and media != "application/json" and media in content:
        # a file (csv, xlsx): its media type is documented; there is no JSON to validate
        return []
    schema = content.get("application/json", {}).get("schema")
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
        problems.append(f"{method} {path} answered {resp.status_code}, expected {want}: {resp.text[:300]}")
        report_and_exit()
    return resp.json() if resp.content and media_type(resp) == "application/json" else None


def media_type(resp):
    return resp.headers.get("content-type", "").split(";")[0].strip()


def report_and_exit():
    """Stops with every problem so far, if there is any."""
    if problems:
        print(f"{len(problems)} mismatches between /api/schema/ and the server:")
        for p in problems:
            print(f"  - {p}")
        sys.exit(1)


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


def params_for(ids, method, template):
    names = re.findall(r"{(\w+)}", template)
    params = next((p for prefix, p in ids if template.startswith(prefix)), {}) if names else {}
    if any(n not in params for n in names):
        problems.append(f"{method} {template}: the script has no identifier for {names}")
        return None
    return params


def templates(method):
    return sorted(t for t, ops in doc["paths"].items() if method.lower() in ops)


# The upsert's body.
UPSERT = {
    "name": "conf-upsert", "version": "A", "part_number": None, "approved": False,
    "lines": [{"mpn": "CONF-NE555P", "quantity": 4, "reference_designators_string": "U1-U4",
               "alternative_mpns": [], "metadata": {}, "is_custom_part": False}],
    "metadata": {}, "integration_record_id": "conf-1", "synced_from_integration": True,
    "integration_source_name": "conformance",
    "synced_from_integration_at": "2019-08-24T14:15:22Z"}

# PUT bodies for paths that have no GET to echo.
PUT_BODIES = {
    "/api/bom/{id}/validate/": {"valid": True},
    # A new item's metadata reads as null, which a write refuses, as InvenTree's does.
    "/api/bom/{id}/metadata/": {"metadata": {"source": "conformance"}},
    "/api/bom/substitute/{id}/metadata/": {"metadata": {"source": "conformance"}},
    "/v1/integrations/async_boms/": UPSERT,
    # Cofactr's integrations call the same upsert without the version prefix.
    "/integrations/async_boms/": UPSERT,
}

# Children before parents, so each DELETE answers for a resource that still exists.
DELETE_ORDER = [
    "/api/bom/substitute/{id}/", "/api/bom/{id}/", "/v1/boms/{id}/lines/{line_id}/",
    "/v1/programs/{id}/lines/{line_id}/", "/v1/programs/{id}/part_overrides/{override_id}/",
    "/v1/programs/{id}/", "/v1/boms/{id}/", "/api/part/{id}/",
]


def main():
    ids = seed()
    counts = {}
    for template in templates("GET"):
        params = params_for(ids, "GET", template)
        if params is None:
            continue
        call("GET", template, params)
        if params:  # an unknown identifier answers a documented 404 too
            call("GET", template, {n: UNKNOWN_ID for n in params})
    # An empty PATCH changes nothing and answers the documented body.
    for template in templates("PATCH"):
        params = params_for(ids, "PATCH", template)
        if params is not None:
            call("PATCH", template, params, body={})
    # A PUT of what GET answered (the real clients' save()) answers the documented body.
    for template in templates("PUT"):
        params = params_for(ids, "PUT", template)
        if params is None:
            continue
        body = PUT_BODIES.get(template)
        if body is None:
            body = call("GET", template, params, want=200)
        call("PUT", template, params, body=body, want=200)
    # Bulk delete answers as documented, then every single DELETE.
    extra = call("POST", "/api/bom/", body=bulk_item(ids), want=201)
    call("DELETE", "/api/bom/", body={"items": [extra["pk"]]})
    deletes = templates("DELETE")
    missing = [t for t in deletes if t not in DELETE_ORDER and "{" in t]
    if missing:
        problems.append(f"DELETE {missing}: not in the script's DELETE_ORDER")
    for template in DELETE_ORDER:
        params = params_for(ids, "DELETE", template)
        if params is None:
            continue
        call("DELETE", template, params)
        call("DELETE", template, {n: UNKNOWN_ID for n in params})
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        counts[method] = len(templates(method))
    report_and_exit()
    print("OK: every " + ", ".join(f"{n} {m}" for m, n in counts.items())
          + " operations answer as documented")


def bulk_item(ids):
    """A second BOM item on the seeded assembly, for the bulk delete."""
    item = call("GET", "/api/bom/{id}/", next(p for prefix, p in ids if prefix == "/api/bom/"),
                want=200)
    other = call("POST", "/api/part/", body={"name": f"conf-bulk-{secrets.token_hex(3)}",
                                             "component": True}, want=201)
    return {"part": item["part"], "sub_part": other["pk"], "quantity": 1}


if __name__ == "__main__":
    main()
