"""A scripted session of the real `inventree` Python client against bomgraph.

Run by ./run once per client version, inside a virtualenv that has that
version of `inventree` installed. Reads its connection details from the
environment:

    COMPAT_URL        base URL of the server, e.g. http://127.0.0.1:8123
    COMPAT_USERNAME   a user with write access
    COMPAT_PASSWORD   that user's password
    COMPAT_TOKEN      an API token of that user

Every check is an assertion with a message; the script stops at the first
failed check, prints which one failed and exits with status 1. It prints
"OK" and exits 0 when every check passed.

The client library spells paths without a leading slash ("bom/substitute/")
on purpose: clients from 0.16 on join them to the API URL with urljoin and
would otherwise drop the "/api/" prefix.
"""

import contextlib
import json
import logging
import os
import secrets
import sys
import traceback

# The client reads INVENTREE_API_* variables as defaults for arguments we do
# not pass (e.g. a token in the environment would silently replace the
# username/password login). Make sure only what we pass is used.
for _name in list(os.environ):
    if _name.startswith("INVENTREE_API_"):
        del os.environ[_name]

import requests  # noqa: E402  (installed with the client)

import inventree  # noqa: E402
from inventree.api import InvenTreeAPI  # noqa: E402
from inventree.base import INVENTREE_PYTHON_VERSION  # noqa: E402
from inventree.part import BomItem, Part  # noqa: E402

try:  # only in newer clients
    from inventree.part import BomItemSubstitute  # noqa: E402
except ImportError:  # pragma: no cover - depends on the client version
    BomItemSubstitute = None

CLIENT = INVENTREE_PYTHON_VERSION
URL = os.environ["COMPAT_URL"]
USERNAME = os.environ["COMPAT_USERNAME"]
PASSWORD = os.environ["COMPAT_PASSWORD"]
TOKEN = os.environ["COMPAT_TOKEN"]

# Fields every BOM item must carry (InvenTree API 180, BomItemSerializer).
BOM_FIELDS = [
    "pk", "part", "sub_part", "quantity", "reference", "note", "overage",
    "optional", "consumable", "inherited", "allow_variants", "validated",
    "substitutes",
]
SUBSTITUTE_FIELDS = ["pk", "bom_item", "part"]
PART_FIELDS = ["pk", "name", "description", "IPN", "active", "assembly", "component"]


class CheckFailed(Exception):
    pass


_step = "start"


def step(name):
    global _step
    _step = name
    print(f"  .. {name}", flush=True)


def check(cond, message):
    if not cond:
        raise CheckFailed(message)


@contextlib.contextmanager
def quiet_client_log():
    """Silence the client's own logging for calls that are meant to fail."""
    logger = logging.getLogger("inventree")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def http_error_of(exc):
    """(status_code, body text) of a client HTTPError.

    The client raises requests.exceptions.HTTPError(detail) for any status
    >= 300, where detail is a dict with 'status_code' and 'body'.
    """
    detail = exc.args[0] if exc.args else None
    if isinstance(detail, dict):
        return detail.get("status_code"), detail.get("body")
    response = getattr(exc, "response", None)
    if response is not None:
        return response.status_code, response.text
    return None, str(exc)


def expect_http_error(what, fn, status, field=None):
    """Call fn; it must raise the client's HTTPError with `status`.

    With `field`, the body must be a JSON object that has that key
    (DRF validation errors: {"field": ["message"]}).
    """
    try:
        with quiet_client_log():
            result = fn()
    except requests.exceptions.HTTPError as exc:
        got, body = http_error_of(exc)
        check(got == status, f"{what}: expected HTTP {status}, got {got}: {body}")
        if field is not None:
            try:
                parsed = json.loads(body)
            except (TypeError, ValueError):
                raise CheckFailed(f"{what}: error body is not JSON: {body!r}")
            check(isinstance(parsed, dict) and field in parsed,
                  f"{what}: expected an error under {field!r}, got {body}")
            check(isinstance(parsed[field], list) and parsed[field]
                  and all(isinstance(m, str) for m in parsed[field]),
                  f"{what}: {field!r} must be a non-empty list of messages, got {parsed[field]!r}")
        return
    raise CheckFailed(f"{what}: expected HTTP {status}, but the call succeeded and returned {result!r}")


def as_list(response, what):
    """A list endpoint's results: a bare array without `limit`."""
    check(isinstance(response, list),
          f"{what}: expected a bare JSON array (no limit given), got {type(response).__name__}: {response!r}")
    return response


def check_part(part, sent, what):
    for key in PART_FIELDS:
        check(key in part, f"{what}: part has no field {key!r}: {dict(part._data)}")
    check(isinstance(part["pk"], int) and part["pk"] > 0, f"{what}: pk must be a positive integer, got {part['pk']!r}")
    for key, value in sent.items():
        check(part[key] == value, f"{what}: {key} should be {value!r}, got {part[key]!r}")
    check(part["active"] is True, f"{what}: a new part should be active, got {part['active']!r}")


def check_bom_item(item, what, **expected):
    data = item._data if hasattr(item, "_data") else item
    for key in BOM_FIELDS:
        check(key in data, f"{what}: BOM item has no field {key!r}: {data}")
    check(isinstance(data["pk"], int) and data["pk"] > 0, f"{what}: pk must be a positive integer, got {data['pk']!r}")
    check(is_number(data["quantity"]), f"{what}: quantity must be a JSON number, got {data['quantity']!r}")
    check(isinstance(data["substitutes"], list), f"{what}: substitutes must be a list, got {data['substitutes']!r}")
    check(isinstance(data["validated"], bool), f"{what}: validated must be a boolean, got {data['validated']!r}")
    for key, value in expected.items():
        got = data[key]
        if key == "quantity":
            check(float(got) == float(value), f"{what}: quantity should be {value}, got {got!r}")
        else:
            check(got == value, f"{what}: {key} should be {value!r}, got {got!r}")


def session():
    tag = f"{CLIENT}-{secrets.token_hex(3)}"

    # ---- connecting -----------------------------------------------------
    step("connect with username and password (GET /api/, /api/user/me/, /api/user/token/)")
    api = InvenTreeAPI(URL, username=USERNAME, password=PASSWORD, timeout=30)
    check(api.connected, "client did not mark the connection as established")
    details = api.server_details or {}
    check(str(details.get("server", "")).lower() == "inventree",
          f"GET /api/ must answer server='InvenTree', got {details.get('server')!r}")
    check(api.api_version >= InvenTreeAPI.getMinApiVersion(),
          f"apiVersion {api.api_version} is below this client's minimum {InvenTreeAPI.getMinApiVersion()}")
    check(api.token, "GET /api/user/token/ did not give the client a token "
          "(it then silently falls back to HTTP Basic for every request)")
    print(f"     server apiVersion {api.api_version}, version {details.get('version')!r}", flush=True)

    step("connect with the token fetched from /api/user/token/")
    api_fetched = InvenTreeAPI(URL, token=api.token, timeout=30)
    check(api_fetched.username == USERNAME,
          f"/api/user/me/ with the fetched token should name {USERNAME!r}, got {api_fetched.username!r}")

    step("connect with a token only (no username, no password)")
    api_t = InvenTreeAPI(URL, token=TOKEN, timeout=30)
    check(api_t.connected, "token connection not established")
    check(api_t.username == USERNAME,
          f"/api/user/me/ should report username {USERNAME!r}, got {api_t.username!r}")

    step("a wrong password is refused")
    try:
        with quiet_client_log():
            InvenTreeAPI(URL, username=USERNAME, password=PASSWORD + "-wrong", timeout=30)
    except ConnectionError as exc:
        check("Authentication" in str(exc), f"expected an authentication failure, got {exc!r}")
    else:
        raise CheckFailed("connecting with a wrong password succeeded (GET /api/user/me/ must answer 401)")

    step("a wrong token is refused")
    try:
        with quiet_client_log():
            InvenTreeAPI(URL, token="not-a-real-token", timeout=30)
    except ConnectionError as exc:
        check("Authentication" in str(exc), f"expected an authentication failure, got {exc!r}")
    else:
        raise CheckFailed("connecting with a bogus token succeeded (GET /api/user/me/ must answer 401)")

    # ---- parts ------------------------------------------------------------
    step("create an assembly part (POST /api/part/)")
    asm_data = {"name": f"compat-asm-{tag}", "description": "compat assembly",
                "IPN": f"ASM-{tag}", "assembly": True, "component": False}
    asm = Part.create(api_t, dict(asm_data))
    check(isinstance(asm, Part), f"Part.create returned {asm!r}")
    check_part(asm, asm_data, "assembly part")

    step("create component parts")
    comps = []
    for i, name in enumerate(["resistor", "capacitor", "alt-resistor"]):
        data = {"name": f"compat-{name}-{tag}", "description": f"compat {name}",
                "IPN": f"C{i}-{tag}", "assembly": False, "component": True}
        p = Part.create(api, dict(data))
        check(isinstance(p, Part), f"Part.create returned {p!r}")
        check_part(p, data, f"component part {name}")
        comps.append(p)
    res, cap, alt = comps
    check(len({asm.pk, res.pk, cap.pk, alt.pk}) == 4, "new parts must get distinct pks")

    step("read a part back (GET /api/part/{id}/)")
    again = Part(api_t, asm.pk)
    check(again.pk == asm.pk, f"GET part {asm.pk} returned pk {again.pk}")
    check_part(again, asm_data, "assembly part read back")

    # ---- BOM items ----------------------------------------------------------
    step("create BOM items (POST /api/bom/)")
    item1 = BomItem.create(api, {"part": asm.pk, "sub_part": res.pk, "quantity": 2, "reference": "R1"})
    check(isinstance(item1, BomItem), f"BomItem.create returned {item1!r}")
    check_bom_item(item1, "created item R1", part=asm.pk, sub_part=res.pk, quantity=2, reference="R1",
                   optional=False, substitutes=[])
    item2 = BomItem.create(api_t, {"part": asm.pk, "sub_part": cap.pk, "quantity": 1.5, "reference": "C1, C2"})
    check(isinstance(item2, BomItem), f"BomItem.create returned {item2!r}")
    check_bom_item(item2, "created item C1", part=asm.pk, sub_part=cap.pk, quantity=1.5, reference="C1, C2")
    check(item1.pk != item2.pk, "two BOM items got the same pk")

    step("list the assembly's BOM (GET /api/bom/?part=...)")
    items = BomItem.list(api, part=asm.pk)
    check(isinstance(items, list), f"BomItem.list returned {items!r}")
    check(len(items) == 2, f"expected 2 BOM items for part {asm.pk}, got {len(items)}")
    by_pk = {i.pk: i for i in items}
    check(set(by_pk) == {item1.pk, item2.pk}, f"listed pks {sorted(by_pk)} != created {[item1.pk, item2.pk]}")
    check_bom_item(by_pk[item1.pk], "listed item R1", part=asm.pk, sub_part=res.pk, quantity=2, reference="R1")
    check_bom_item(by_pk[item2.pk], "listed item C1", part=asm.pk, sub_part=cap.pk, quantity=1.5,
                   reference="C1, C2")
    via_part = asm.getBomItems()
    check(sorted(i.pk for i in via_part) == sorted(by_pk), "Part.getBomItems() disagrees with BomItem.list(part=...)")

    step("filters as the Python client sends them (booleans as 'True'/'False')")
    opt = BomItem.list(api, part=asm.pk, optional=True)
    check(len(opt) == 0, f"optional=True (sent as 'True') should match no line, got {len(opt)}: "
          "the server probably ignored a capitalised boolean")
    not_opt = BomItem.list(api, part=asm.pk, optional=False)
    check(len(not_opt) == 2, f"optional=False (sent as 'False') should match both lines, got {len(not_opt)}")
    used = res.isUsedIn()
    check([i.pk for i in used] == [item1.pk], f"uses={res.pk} should give [{item1.pk}], got {[i.pk for i in used]}")

    step("paginated list (GET /api/bom/?part=...&limit=1)")
    page = api.get("bom/", params={"part": asm.pk, "limit": 1})
    check(isinstance(page, dict), f"with limit the list must be an object, got {page!r}")
    for key in ("count", "next", "previous", "results"):
        check(key in page, f"paginated list has no {key!r}: {page}")
    check(page["count"] == 2, f"paginated count should be 2, got {page['count']!r}")
    check(len(page["results"]) == 1, f"limit=1 should return 1 result, got {len(page['results'])}")
    check(page["previous"] is None, f"first page has previous={page['previous']!r}")
    check(isinstance(page["next"], str) and page["next"].startswith("http"),
          f"next must be an absolute URL, got {page['next']!r}")

    if hasattr(BomItem, "count"):
        step("BomItem.count (GET /api/bom/?part=...&limit=1, reads 'count')")
        n = BomItem.count(api, part=asm.pk)
        check(n == 2, f"BomItem.count(part={asm.pk}) should be 2, got {n!r}")

    step("reload a BOM item (GET /api/bom/{id}/)")
    item1.reload()
    check_bom_item(item1, "reloaded item R1", part=asm.pk, sub_part=res.pk, quantity=2, reference="R1")

    step("edit and save a BOM item (PATCH /api/bom/{id}/ with the whole object)")
    item1["reference"] = "R1 R2"
    item1["quantity"] = 3
    item1["note"] = f"saved by inventree {CLIENT}"
    saved = item1.save()
    check(isinstance(saved, dict), f"save() should return the updated object, got {saved!r}")
    check_bom_item(saved, "PATCH response", pk=item1.pk, reference="R1 R2", quantity=3)
    item1.reload()
    check_bom_item(item1, "item after save and reload", part=asm.pk, sub_part=res.pk, quantity=3,
                   reference="R1 R2", note=f"saved by inventree {CLIENT}")

    step("a partial save (PATCH with only the given fields)")
    item1.save(data={"optional": True})
    item1.reload()
    check(item1["optional"] is True, f"optional should be True after save(data=...), got {item1['optional']!r}")
    check(item1["reference"] == "R1 R2", f"a partial save changed reference to {item1['reference']!r}")
    opt = BomItem.list(api, part=asm.pk, optional=True)
    check([i.pk for i in opt] == [item1.pk], f"optional=True should now give [{item1.pk}], got {[i.pk for i in opt]}")

    # ---- metadata -------------------------------------------------------------
    legacy_metadata_url = f"bom/{item1.pk}/metadata/"
    metadata_url = getattr(item1, "metadata_url", legacy_metadata_url)
    if hasattr(item1, "getMetadata") and hasattr(item1, "setMetadata"):
        step(f"metadata through the client ({metadata_url})")
        md = item1.getMetadata()
        check(md in (None, {}), f"a new BOM item's metadata should be empty, got {md!r}")
        resp = item1.setMetadata({"compat": {"client": CLIENT}, "k": "v"})
        check(isinstance(resp, dict) and resp.get("metadata") == {"compat": {"client": CLIENT}, "k": "v"},
              f"PATCH metadata should answer the stored metadata, got {resp!r}")
        item1.setMetadata({"k2": 2})
        md = item1.getMetadata()
        check(md == {"compat": {"client": CLIENT}, "k": "v", "k2": 2},
              f"PATCH metadata must merge top-level keys, got {md!r}")
        item1.setMetadata({"only": True}, overwrite=True)
        md = item1.getMetadata()
        check(md == {"only": True}, f"PUT metadata must replace, got {md!r}")
    else:
        step(f"metadata through raw requests ({legacy_metadata_url})")
        resp = api.get(legacy_metadata_url)
        check(resp.get("metadata") in (None, {}), f"a new BOM item's metadata should be empty, got {resp!r}")
        api.patch(legacy_metadata_url, {"metadata": {"k": "v"}})
        api.patch(legacy_metadata_url, {"metadata": {"k2": 2}})
        resp = api.get(legacy_metadata_url)
        check(resp.get("metadata") == {"k": "v", "k2": 2}, f"PATCH metadata must merge, got {resp!r}")
        api.put(legacy_metadata_url, {"metadata": {"only": True}})
        resp = api.get(legacy_metadata_url)
        check(resp.get("metadata") == {"only": True}, f"PUT metadata must replace, got {resp!r}")

    step("metadata endpoint answers {'metadata': ...} (raw GET)")
    resp = api.get(metadata_url)
    check(isinstance(resp, dict) and resp.get("metadata") == {"only": True},
          f"GET {metadata_url} should answer {{'metadata': {{'only': True}}}}, got {resp!r}")

    step("metadata that is not an object is refused with 400")
    expect_http_error("PATCH metadata with a list",
                      lambda: api.patch(metadata_url, {"metadata": [1, 2, 3]}), 400)

    # ---- substitutes ------------------------------------------------------------
    step("list substitutes of a line (GET /api/bom/substitute/?bom_item=...)")
    subs = as_list(api.get("bom/substitute/", params={"bom_item": item1.pk}), "substitute list")
    check(subs == [], f"a new line should have no substitutes, got {subs!r}")

    step("add a substitute (POST /api/bom/substitute/)")
    sub = api.post("bom/substitute/", data={"bom_item": item1.pk, "part": alt.pk})
    check(isinstance(sub, dict), f"POST bom/substitute/ should answer the new object, got {sub!r}")
    for key in SUBSTITUTE_FIELDS:
        check(key in sub, f"substitute has no field {key!r}: {sub}")
    check(isinstance(sub["pk"], int) and sub["pk"] > 0, f"substitute pk must be a positive integer: {sub!r}")
    check(sub["bom_item"] == item1.pk and sub["part"] == alt.pk, f"substitute echoes wrong ids: {sub!r}")

    subs = as_list(api_t.get("bom/substitute/", params={"bom_item": item1.pk}), "substitute list")
    check([s.get("pk") for s in subs] == [sub["pk"]], f"substitute list should be [{sub['pk']}], got {subs!r}")
    subs = as_list(api.get("bom/substitute/", params={"part": alt.pk}), "substitute list by part")
    check([s.get("pk") for s in subs] == [sub["pk"]], f"substitutes with part={alt.pk}: {subs!r}")
    page = api.get("bom/substitute/", params={"bom_item": item1.pk, "limit": 5})
    check(isinstance(page, dict) and page.get("count") == 1 and len(page.get("results", [])) == 1,
          f"paginated substitute list should have count 1, got {page!r}")
    if BomItemSubstitute is not None:
        objs = BomItemSubstitute.list(api, bom_item=item1.pk)
        check([o.pk for o in objs] == [sub["pk"]], f"BomItemSubstitute.list gave {[o.pk for o in objs]}")

    item1.reload()
    check([s.get("pk") for s in item1["substitutes"]] == [sub["pk"]],
          f"the line's substitutes field should list {sub['pk']}, got {item1['substitutes']!r}")
    uses_alt = BomItem.list(api, uses=alt.pk)
    check([i.pk for i in uses_alt] == [item1.pk],
          f"uses={alt.pk} should find the line that lists it as a substitute, got {[i.pk for i in uses_alt]}")

    step("a duplicate substitute is refused with 400")
    expect_http_error("duplicate substitute",
                      lambda: api.post("bom/substitute/", data={"bom_item": item1.pk, "part": alt.pk}), 400)

    step("the line's own sub_part as substitute is refused with 400")
    expect_http_error("substitute equal to sub_part",
                      lambda: api.post("bom/substitute/", data={"bom_item": item1.pk, "part": res.pk}), 400)

    step("save() of a line that has substitutes (PATCH sends the nested list back)")
    item1["note"] = "still fine"
    item1.save()
    item1.reload()
    check(item1["note"] == "still fine", f"note not saved: {item1['note']!r}")
    check(len(item1["substitutes"]) == 1, f"PATCH with the substitutes list changed them: {item1['substitutes']!r}")

    step("delete the substitute (DELETE /api/bom/substitute/{id}/)")
    resp = api.delete(f"bom/substitute/{sub['pk']}/")
    check(resp is not None and resp.status_code == 204,
          f"DELETE substitute should answer 204, got {getattr(resp, 'status_code', resp)}")
    subs = as_list(api.get("bom/substitute/", params={"bom_item": item1.pk}), "substitute list")
    check(subs == [], f"substitute still listed after delete: {subs!r}")

    # ---- validation errors ----------------------------------------------------------
    step("a BOM item whose sub_part is its part is refused with 400")
    expect_http_error("BomItem.create with sub_part == part",
                      lambda: BomItem.create(api, {"part": asm.pk, "sub_part": asm.pk, "quantity": 1}),
                      400, "sub_part")

    step("a BOM item with quantity 0 is refused with 400")
    expect_http_error("BomItem.create with quantity 0",
                      lambda: BomItem.create(api, {"part": asm.pk, "sub_part": res.pk, "quantity": 0}),
                      400, "quantity")

    step("an unknown BOM item is 404")
    expect_http_error("BomItem(api, pk=<missing>)", lambda: BomItem(api, pk=2_000_000_000), 404)

    # ---- delete -------------------------------------------------------------------------
    step("delete a BOM item (DELETE /api/bom/{id}/)")
    gone_pk = item2.pk
    resp = item2.delete()
    check(resp is not None and resp.status_code == 204,
          f"DELETE bom item should answer 204, got {getattr(resp, 'status_code', resp)}")
    items = BomItem.list(api, part=asm.pk)
    check([i.pk for i in items] == [item1.pk], f"after delete the BOM should be [{item1.pk}], got {[i.pk for i in items]}")
    expect_http_error(f"GET deleted BOM item {gone_pk}", lambda: BomItem(api, pk=gone_pk), 404)
    if hasattr(BomItem, "count"):
        n = BomItem.count(api, part=asm.pk)
        check(n == 1, f"BomItem.count after delete should be 1, got {n!r}")

    step("clean up the remaining line")
    resp = item1.delete()
    check(resp is not None and resp.status_code == 204, "DELETE of the last line failed")
    check(BomItem.list(api_t, part=asm.pk) == [], "the BOM should be empty after deleting every line")


def main():
    print(f"inventree client {CLIENT} (module {inventree.__file__}) against {URL}", flush=True)
    try:
        session()
    except CheckFailed as exc:
        print(f"FAIL [inventree {CLIENT}] {_step}: {exc}", flush=True)
        return 1
    except Exception as exc:  # an unexpected exception is a failed check too
        traceback.print_exc()
        print(f"FAIL [inventree {CLIENT}] {_step}: unexpected {type(exc).__name__}: {exc}", flush=True)
        return 1
    print(f"OK [inventree {CLIENT}] all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
