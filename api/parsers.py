"""The API's one body parser: JSON, refused with a problem document (never a server error)
when it is too large, not JSON, or nested deeper than any real request."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, parsers

# A FHIR Bundle, the deepest body the API takes, nests about 8 deep; 32 leaves room.
MAX_DEPTH = 32


class TooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy("What you sent is too large.")
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise TooLarge
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.ParseError(gettext_lazy("Send JSON in UTF-8.")) from None
        if _depth(text) > MAX_DEPTH:
            raise exceptions.ParseError(gettext_lazy("What you sent is nested too deeply."))
        try:
            return json.loads(text)
        except ValueError:
            raise exceptions.ParseError(gettext_lazy("What you sent is not valid JSON.")) from None


def _depth(text: str) -> int:
    """How deeply brackets nest, counted without parsing (so without recursion); brackets
    inside strings are skipped."""
    deepest = depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
