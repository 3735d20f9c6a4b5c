"""The API's reference page, rendered on the server from the OpenAPI schema (no JavaScript, no
assets from other hosts), and the JSON 404 for unknown addresses under /api/."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from clustertalks.core.caching import public_page

from .errors import error_response

METHODS = ("get", "post", "put", "patch", "delete")


@csrf_exempt  # it changes nothing; a POST must get this JSON 404, not the HTML CSRF 403
def not_found(request, *args, **kwargs):
    return error_response(404, _("Not found."))


def operations(schema: dict) -> list[dict]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation:
                found.append(describe(path, method, operation))
    return found


def describe(path: str, method: str, operation: dict) -> dict:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return {
        "id": operation.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "tag": (operation.get("tags") or ["other"])[0],
        "needs_token": bool(operation.get("security")),
        "parameters": [
            {
                "name": param["name"],
                "where": param["in"],
                "required": param.get("required", False),
                "type": type_name(param.get("schema", {})),
                "description": param.get("description", "") or param.get("schema", {}).get("description", ""),
            }
            for param in operation.get("parameters", [])
        ],
        "body": type_name(body.get("schema", {})) if body else "",
        "responses": [
            {"status": status, "type": type_name(answer.get("content", {}).get("application/json", {}).get("schema", {}))}
            for status, answer in operation.get("responses", {}).items()
        ],
    }


def type_name(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {type_name(schema.get('items', {}))}"
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            return " or ".join(type_name(part) for part in schema[combined])
    return schema.get("format") or schema.get("type") or ""


def models(schema: dict) -> list[dict]:
    components = schema.get("components", {}).get("schemas", {})
    return [
        {
            "name": name,
            "fields": [
                {"name": field, "type": type_name(spec), "required": field in model.get("required", []),
                 "description": spec.get("description", "")}
                for field, spec in model.get("properties", {}).items()
            ],
            "choices": model.get("enum", []),
        }
        for name, model in sorted(components.items())
    ]


@public_page
def docs(request):
    from .api import api

    schema = api.get_openapi_schema()
    found = operations(schema)
    tags = list(dict.fromkeys(operation["tag"] for operation in found))
    return render(request, "api/docs.html", {
        "schema": schema,
        "groups": [(tag, [op for op in found if op["tag"] == tag]) for tag in tags],
        "models": models(schema),
    })
