"""The API's reference page (``/api/docs/``), rendered on the server from the OpenAPI schema.

It replaces Swagger UI, whose page failed WCAG (163 axe-core violations per scan: contrast,
buttons nested in buttons, no ``lang``) and needed a script to show anything. This page is the
site's own layout: headings per path, a table per list of parameters and body fields, the
answers each operation may give; no script. The machine-readable schema stays at
``/api/schema/``. Every text is in the reader's language: the words around the operations come
from the template, the operations' own (descriptions, parameters, fields, answers) from the
schema, whose texts are marked for translation where they are written and generated once per
language. What is written in backticks in them (field names, codes, headers) is code.
"""

import functools
import re
from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list = field(default_factory=list)  # (name, where, required, type, description)
    body: list = field(default_factory=list)  # (name, required, type, description)
    responses: list = field(default_factory=list)  # (status, description)


@functools.cache
def _schema(language: str) -> dict:
    """The schema with its texts in ``language``, made once per language (the generator reads
    the lazy texts into strings under the language active then)."""
    with translation.override(language):
        return SchemaGenerator().get_schema(request=None, public=True)


BACKTICKS = re.compile(r"`([^`]+)`")


def _text(text: str) -> SafeString:
    """A description as HTML: escaped, and what is in backticks as ``<code>``."""
    return mark_safe(BACKTICKS.sub(r"<code>\1</code>", escape(text)))  # escaped first


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        *_, name = node["$ref"].split("/")
        node = schema["components"]["schemas"][name]
    return node


def _type(schema: dict, node: dict) -> str:
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "allOf" in node and node["allOf"]:
        return _type(schema, node["allOf"][0])
    if node.get("type") == "array":
        return f"[{_type(schema, node.get('items', {}))}]"
    kind = node.get("type", "object")
    return f"{kind} ({node['format']})" if node.get("format") else kind


def _body(schema: dict, operation: dict) -> list:
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return []
    media = content.get("application/json") or next(iter(content.values()))
    node = _resolve(schema, media.get("schema", {}))
    required = set(node.get("required", []))
    return [
        (
            name,
            name in required,
            _type(schema, prop),
            _text(_resolve(schema, prop).get("description", "")),
        )
        for name, prop in node.get("properties", {}).items()
        if not prop.get("readOnly")
    ]


def operations() -> list[Operation]:
    """The schema's operations, in the active language."""
    schema = _schema(translation.get_language())
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            params = [
                (p["name"], p["in"], p.get("required", False), _type(schema, p.get("schema", {})),
                 _text(p.get("description", "")))
                for p in item.get("parameters", []) + op.get("parameters", [])
            ]  # fmt: skip
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=op.get("operationId", f"{method}{path}").replace("/", "-"),
                    summary=_text(op.get("summary", "")),
                    description=_text(op.get("description", "")),
                    parameters=params,
                    body=_body(schema, op),
                    responses=[
                        (code, _text(r.get("description", "")))
                        for code, r in op["responses"].items()
                    ],
                )
            )
    return found


@require_GET
def api_docs(request):
    schema = _schema(translation.get_language())
    return render(
        request,
        "core/api_docs.html",
        {"info": schema.get("info", {}), "operations": operations()},
    )
