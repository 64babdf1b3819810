"""What openapi-python-client generated, read back: the operations of an OpenAPI document
and the endpoint modules of a generated client, each keyed by (METHOD, path template).

Shared by coverage.py and session.py (standard library only). An endpoint module's
`_get_kwargs` returns a dict literal whose "method" and "url" entries say which operation
it calls; the url is a string, a `"...".format(...)` call, or an f-string, so the module
is read with `ast` rather than imported.
"""

import ast
import builtins
import keyword
import json
import re
from pathlib import Path

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ENDPOINT_FUNCTIONS = ("sync_detailed", "sync", "asyncio_detailed", "asyncio")


def template_key(path):
    """A path template with its parameter names blanked: the generator may rename them."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def document_operations(doc_path):
    """[(METHOD, path, operationId or None, first tag or None)] in document order."""
    doc = json.loads(Path(doc_path).read_text())
    ops = []
    for path, item in (doc.get("paths") or {}).items():
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                tags = op.get("tags") or [None]
                ops.append((method.upper(), path, op.get("operationId"), tags[0]))
    return ops


def _url_of(node):
    """The path template an AST node for the "url" entry spells, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format" and isinstance(node.func.value, ast.Constant)):
        return node.func.value.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
            else:
                out.append("{}")
        return "".join(out)
    return None


def _request_of(tree):
    """(METHOD, url) from the dict literal in `_get_kwargs`, or None."""
    for fn in tree.body:
        if isinstance(fn, ast.FunctionDef) and fn.name == "_get_kwargs":
            for node in ast.walk(fn):
                if not isinstance(node, ast.Dict):
                    continue
                entries = {k.value: v for k, v in zip(node.keys, node.values)
                           if isinstance(k, ast.Constant)}
                method, url = entries.get("method"), entries.get("url")
                if isinstance(method, ast.Constant) and url is not None:
                    return str(method.value).upper(), _url_of(url)
    return None


def client_endpoints(package_dir):
    """{(METHOD, template_key): [endpoint]} for the generated package at package_dir, where
    an endpoint is a dict: module (dotted, under the package), file, path, functions."""
    package_dir = Path(package_dir)
    found = {}
    for file in sorted((package_dir / "api").rglob("*.py")):
        if file.name == "__init__.py":
            continue
        tree = ast.parse(file.read_text(), filename=str(file))
        request = _request_of(tree)
        if request is None or request[1] is None:
            continue
        functions = sorted(fn.name for fn in tree.body
                           if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                           and fn.name in ENDPOINT_FUNCTIONS)
        rel = file.relative_to(package_dir).with_suffix("")
        found.setdefault((request[0], template_key(request[1])), []).append({
            "module": ".".join(rel.parts),
            "file": str(file.relative_to(package_dir)),
            "path": request[1],
            "functions": functions,
        })
    return found


def python_name(name, prefix="field_"):
    """The identifier openapi-python-client makes of an operationId (a module) or of a tag
    (prefix "tag": a folder under api/): its own function when it is importable, else a
    close copy (snake case, a trailing _ on a builtin or keyword)."""
    try:
        from openapi_python_client.strings import PythonIdentifier
    except ImportError:
        name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name or "")
        name = re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
        if keyword.iskeyword(name) or name in dir(builtins):
            name += "_"
        return name if name.isidentifier() else f"{prefix}{name}"
    return str(PythonIdentifier(name or "", prefix))
