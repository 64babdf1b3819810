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


def listed(client_module, endpoints, dialect, path, prefix, filters, key, wanted, expect):
    """Lists through the generated client's function for GET `path`, authenticated as
    `dialect`'s clients are (`Authorization: <prefix> <token>`), with those `filters` the
    function takes; the item whose `key` is `wanted` must be listed, with the attributes
    `expect`."""
    module, file = endpoint_module(endpoints, "GET", path)
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    print(f"  .. {dialect}: {file} (GET {path}?{query}) with {prefix} auth", flush=True)
    client = client_module.AuthenticatedClient(base_url=URL, token=TOKEN, prefix=prefix,
                                               timeout=30.0)
    with client:
        resp, kwargs = call_list(module, client, **filters)
    check(resp.status_code == 200, f"GET {path} {kwargs}: status {resp.status_code}: {resp.content[:500]!r}")
    check(resp.parsed is not None, f"GET {path}: the client parsed nothing from {resp.content[:500]!r}")
    items = results_of(resp.parsed)
    keys = [getattr(item, key, None) for item in items]
    check(wanted in keys, f"GET {path} {kwargs}: {key} {wanted} not among {keys}")
    item = items[keys.index(wanted)]
    for attr, value in expect.items():
        got = getattr(item, attr, None)
        check(got == value, f"GET {path}: item {wanted}: {attr} {got!r}, expected {value!r}")


def main():
    print("  .. an assembly, a component and a BOM with one line (GraphQL)", flush=True)
    parts = graphql("mutation($a: CreatePartInput!, $c: CreatePartInput!) "
                    "{ a: createPart(input: $a) { part { id rowId } }"
                    " c: createPart(input: $c) { part { id rowId } } }",
                    {"a": {"name": f"main board {TAG}", "assembly": True},
                     "c": {"name": f"10k 0402 {TAG}", "mpn": f"RC0402-10K-{TAG}"}})
    assembly, component = parts["a"]["part"], parts["c"]["part"]
    assembly_id, component_id = assembly["rowId"], component["rowId"]
    bom_name = f"main board {TAG}"
    bom = graphql("mutation($i: CreateBomInput!) "
                  "{ createBom(input: $i) { bom { rowId lines { rowId } } } }",
                  {"i": {"name": bom_name, "version": "1", "assemblyPartId": assembly["id"],
                         "lines": [{"partId": component["id"], "quantity": "2",
                                    "reference": "R1, R2"}]}})["createBom"]["bom"]
    bom_id, line_id = bom["rowId"], bom["lines"][0]["rowId"]

    sys.path.insert(0, str(CLIENT_DIR))
    client_module = importlib.import_module(f"{PACKAGE}.client")
    endpoints = client_endpoints(CLIENT_DIR / PACKAGE)

    lists = (
        ("InvenTree BOM list", dict(dialect="InvenTree", path="/api/bom/", prefix="Token",
                                    filters={"part": assembly_id}, key="pk", wanted=line_id,
                                    expect={"part": assembly_id})),
        ("Cofactr BOM list", dict(dialect="Cofactr", path="/v1/boms/", prefix="Api-Key",
                                  filters={"name": bom_name}, key="id", wanted=bom_id,
                                  expect={"name": bom_name})),
    )
    failed = 0
    for name, check_list in lists:
        try:
            listed(client_module, endpoints, **check_list)
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
