"""The OpenAPI 3 schema (drf-spectacular), and its documentation page served from here
(drf-spectacular-sidecar: no outside download), both only where HP_API_DOCS allows (on in
development, off in production unless enabled).

Every operation gets a summary (the first line of its view's docstring, or one made from its
method and path), the problem documents it can answer with (RFC 9457), and an example."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

ERRORS = {
    400: "What was sent is not valid: `errors` names each field (translated).",
    401: "Not signed in.",
    403: "Signed in, but not allowed (or the second factor is still needed).",
    404: "Not found, or not yours to know about.",
    412: "Someone changed it since you read it: read it again (If-Match was stale).",
    428: "Writes need If-Match with the ETag you read.",
    429: "Too many requests: slow down.",
}


class AutoSchema(BaseAutoSchema):
    def get_summary(self):
        """The first line of the method's docstring, else the view's."""
        handler = getattr(self.view, self.method.lower(), None)
        for doc in (getattr(handler, "__doc__", None), self.view.__class__.__doc__):
            if doc and doc.strip():
                return doc.strip().splitlines()[0].rstrip(".")[:120]
        return f"{self.method.upper()} {self.path}"


def add_problems(result, generator, request, public):
    """Postprocessing hook: every operation lists the problem documents it can answer with,
    as application/problem+json with an example, and a write names If-Match."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = {
        "type": "object", "required": ["type", "title", "status"],
        "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                       "status": {"type": "integer"}, "detail": {"type": "string"},
                       "errors": {"type": "object", "additionalProperties": True}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            writes = method in ("post", "put", "patch", "delete")
            validated = writes or any(p.get("in") == "query"
                                      for p in operation.get("parameters", []))
            wanted = [401, 403, 404, 429] + ([400] if validated else [])
            if method in ("put", "patch") or "If-Match" in operation.get("description", ""):
                wanted += [412, 428]
            responses = operation.setdefault("responses", {})
            for status in wanted:
                responses.setdefault(str(status), {
                    "description": ERRORS[status],
                    "content": {"application/problem+json": {
                        "schema": {"$ref": "#/components/schemas/Problem"},
                        "example": {"type": "https://healthpassport.example/problems/x",
                                    "title": ERRORS[status], "status": status}}}})
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Token hp_...` (api/auth.py) in the schema's security schemes."""

    target_class = "api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "A personal API token: `Token hp_...`"}
