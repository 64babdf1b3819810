"""The client openapi-python-client generated from /api/schema/, used against a running
bomgraph: it lists BOMs in both dialects.

Run by ./run with the venv's interpreter (the generated client needs httpx and attrs).
Creates an assembly, a component and a BOM of the assembly with one line through GraphQL
(urllib), then calls the generated functions of
    GET /api/bom/?part=<assembly>   (InvenTree, `Authorization: Token <token>`): the line
                                    must be among the BOM items of the assembly
    GET /v1/boms/                   (Cofactr, `Authorization: Api-Key <token>`): the BOM
                                    must be among the BOMs
found by the method and path their `_get_kwargs` sends (see generated.py), and checks the
status and the parsed answer. Reads from the environment:

    COMPAT_URL            base URL of the server, e.g. http://127.0.0.1:8123
    COMPAT_TOKEN          an API token of a user with write access
    COMPAT_CLIENT_DIR     the folder holding the generated package
    COMPAT_CLIENT_PACKAGE the generated package's name (default bomgraph_client)

Prints each step; exits 0 when both lists held what was created, else 1.
"""

import importlib
import inspect
import json
import os
import secrets
import sys
import traceback
import urllib.error
import urllib.request
from pathlib import Path

from generated import client_endpoints, template_key

URL = os.environ["COMPAT_URL"].rstrip("/")
TOKEN = os.environ["COMPAT_TOKEN"]
CLIENT_DIR = Path(os.environ["COMPAT_CLIENT_DIR"])
PACKAGE = os.environ.get("COMPAT_CLIENT_PACKAGE", "bomgraph_client")
TAG = secrets.token_hex(3)


class CheckFailed(Exception):
    pass


def check(cond, message):
    if not cond:
        raise CheckFailed(message)


def graphql(query, variables):
    body = json.dumps({"query": query, "variables": variables}).encode()
    req = urllib.request.Request(f"{URL}/graphql", data=body, method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", f"Bearer {TOKEN}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            got = json.loads(resp.read())
    except urllib.error.HTTPError as e:
        raise CheckFailed(f"GraphQL answered {e.code}: {e.read()[:500]!r}") from None
    check(not got.get("errors"), f"GraphQL errors: {got.get('errors')}")
    return got["data"]


def endpoint_module(endpoints, method, path):
    found = endpoints.get((method, template_key(path)))
    check(found, f"the generated client has no function for {method} {path}")
    return importlib.import_module(f"{PACKAGE}.{found[0]['module']}"), found[0]["file"]


def call_list(module, client, **filters):
    """sync_detailed with those filters the function takes."""
    params = inspect.signature(module.sync_detailed).parameters
    kwargs = {k: v for k, v in filters.items() if k in params}
    return module.sync_detailed(client=client, **kwargs), kwargs


def results_of(parsed):
    """The items of a bare list or of a page (an object with `results`)."""
    if isinstance(parsed, list):
        return parsed
    results = getattr(parsed, "results", None)
    check(isinstance(results, list), f"the parsed answer is neither a list nor a page: {parsed!r}")
    return results


def inventree(client_module, endpoints, assembly_id, line_id):
    module, file = endpoint_module(endpoints, "GET", "/api/bom/")
    print(f"  .. InvenTree: {file} (GET /api/bom/?part={assembly_id}) with Token auth", flush=True)
    client = client_module.AuthenticatedClient(base_url=URL, token=TOKEN, prefix="Token",
                                               timeout=30.0)
    with client:
        resp, kwargs = call_list(module, client, part=assembly_id)
    check(resp.status_code == 200, f"GET /api/bom/ {kwargs}: status {resp.status_code}: {resp.content[:500]!r}")
    check(resp.parsed is not None, f"GET /api/bom/: the client parsed nothing from {resp.content[:500]!r}")
    items = results_of(resp.parsed)
    pks = [getattr(item, "pk", None) for item in items]
    check(line_id in pks, f"GET /api/bom/ {kwargs}: BOM item {line_id} not among {pks}")
    item = items[pks.index(line_id)]
    check(getattr(item, "part", None) == assembly_id,
          f"BOM item {line_id}: part {getattr(item, 'part', None)!r}, expected {assembly_id}")


def cofactr(client_module, endpoints, bom_id, bom_name):
    module, file = endpoint_module(endpoints, "GET", "/v1/boms/")
    print(f"  .. Cofactr: {file} (GET /v1/boms/) with Api-Key auth", flush=True)
    client = client_module.AuthenticatedClient(base_url=URL, token=TOKEN, prefix="Api-Key",
                                               timeout=30.0)
    with client:
        resp, kwargs = call_list(module, client, name=bom_name)
    check(resp.status_code == 200, f"GET /v1/boms/ {kwargs}: status {resp.status_code}: {resp.content[:500]!r}")
    check(resp.parsed is not None, f"GET /v1/boms/: the client parsed nothing from {resp.content[:500]!r}")
    boms = results_of(resp.parsed)
    ids = [getattr(bom, "id", None) for bom in boms]
    check(bom_id in ids, f"GET /v1/boms/ {kwargs}: BOM {bom_id} not among {ids}")
    bom = boms[ids.index(bom_id)]
    check(getattr(bom, "name", None) == bom_name, f"BOM {bom_id}: name {getattr(bom, 'name', None)!r}")


def main():
    print("  .. an assembly, a component and a BOM with one line (GraphQL)", flush=True)
    parts = graphql("mutation($a: PartInput!, $c: PartInput!) "
                    "{ a: createPart(input: $a) { id } c: createPart(input: $c) { id } }",
                    {"a": {"name": f"main board {TAG}", "assembly": True},
                     "c": {"name": f"10k 0402 {TAG}", "mpn": f"RC0402-10K-{TAG}"}})
    assembly_id, component_id = int(parts["a"]["id"]), int(parts["c"]["id"])
    bom_name = f"main board {TAG}"
    bom = graphql("mutation($i: BomInput!) { createBom(input: $i) { id lines { id } } }",
                  {"i": {"name": bom_name, "version": "1", "assemblyPartId": str(assembly_id),
                         "lines": [{"partId": str(component_id), "quantity": "2",
                                    "reference": "R1, R2"}]}})["createBom"]
    bom_id, line_id = int(bom["id"]), int(bom["lines"][0]["id"])

    sys.path.insert(0, str(CLIENT_DIR))
    client_module = importlib.import_module(f"{PACKAGE}.client")
    endpoints = client_endpoints(CLIENT_DIR / PACKAGE)

    failed = 0
    for name, run in (("InvenTree BOM list", lambda: inventree(client_module, endpoints, assembly_id, line_id)),
                      ("Cofactr BOM list", lambda: cofactr(client_module, endpoints, bom_id, bom_name))):
        try:
            run()
            print(f"  ok {name}")
        except CheckFailed as e:
            failed += 1
            print(f"  FAILED {name}: {e}")
        except Exception:
            failed += 1
            print(f"  FAILED {name}: the generated client raised")
            traceback.print_exc(file=sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CheckFailed as e:
        print(f"  FAILED: {e}")
        sys.exit(1)
