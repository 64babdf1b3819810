"""Does the client openapi-python-client generated have a function for every operation?

    python coverage.py DOCUMENT.json PACKAGE_DIR [GENERATE_LOG]

Run by ./run (standard library only). Lists the document's operations and its operationIds
(an operationId shared by several operations is reported: the generator writes one module
per operationId and tag, so all but one of them are lost), then every operation that no
generated endpoint module calls, with what the module of its name calls instead, and the
endpoint warnings of the generator's log (GENERATE_LOG, optional). Exits 0 when every
operation has a module with sync/sync_detailed/asyncio/asyncio_detailed and the log has
no endpoint warning, else 1.
"""

import collections
import re
import sys
from pathlib import Path

from generated import ENDPOINT_FUNCTIONS, client_endpoints, document_operations, python_name, template_key


def main():
    doc_path, package_dir = sys.argv[1], Path(sys.argv[2])
    log_path = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    failed = False

    ops = document_operations(doc_path)
    ids = collections.Counter(op_id for _, _, op_id, _ in ops if op_id is not None)
    print(f"{len(ops)} operations, {len(ids)} distinct operationIds")

    unnamed = [(m, p) for m, p, op_id, _ in ops if op_id is None]
    for method, path in unnamed:
        print(f"  no operationId: {method} {path}")

    shared = {op_id: n for op_id, n in ids.items() if n > 1}
    if shared:
        print(f"{len(shared)} operationIds are shared by more than one operation "
              f"({sum(shared.values())} operations):")
        for op_id in sorted(shared):
            users = [f"{m} {p} [{tag}]" for m, p, i, tag in ops if i == op_id]
            print(f"  {op_id!r} x{shared[op_id]}: " + ", ".join(users))

    if not (package_dir / "api").is_dir():
        print(f"no generated package at {package_dir} (no api/ in it)")
        return 1

    endpoints = client_endpoints(package_dir)
    modules_by_stem = collections.defaultdict(list)
    for found in endpoints.values():
        for e in found:
            modules_by_stem[e["module"].split(".")[-1]].append(e)

    covered, missing = 0, []
    for method, path, op_id, tag in ops:
        found = endpoints.get((method, template_key(path)))
        if found:
            covered += 1
            for e in found:
                lacking = [f for f in ENDPOINT_FUNCTIONS if f not in e["functions"]]
                if lacking:
                    failed = True
                    print(f"  {e['file']} ({method} {path}) lacks {', '.join(lacking)}")
            continue
        # the module this operation's name makes under its tag, which another one took
        folder = "api." + python_name(tag or "default", "tag")
        namesakes = [e for e in modules_by_stem.get(python_name(op_id), []) if op_id
                     and e["module"].rsplit(".", 1)[0] == folder]
        instead = "; ".join(f"{e['file']} calls {m} {e['path']} instead"
                            for e in namesakes
                            for (m, _), es in endpoints.items() if e in es)
        missing.append(f"  {method} {path} (operationId {op_id!r}, tag {tag!r})"
                       + (f": {instead}" if instead else ""))

    print(f"client functions for {covered} of {len(ops)} operations")
    if missing:
        failed = True
        print(f"{len(missing)} operations have no generated function:")
        print("\n".join(missing))

    # operationIds of the document against the generated modules' names
    stems = set(modules_by_stem)
    no_module = sorted(i for i in ids if python_name(i) not in stems)
    if no_module:
        failed = True
        print(f"operationIds without a module of their name: {', '.join(no_module)}")

    if log_path is not None and log_path.exists():
        warnings = [block.strip() for block in
                    re.split(r"\n(?=WARNING parsing )", log_path.read_text())
                    if block.strip().startswith("WARNING parsing ")]
        if warnings:
            failed = True
            print(f"{len(warnings)} endpoint warnings from openapi-python-client:")
            for w in warnings:
                print("  " + w.replace("\n", "\n    "))

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
