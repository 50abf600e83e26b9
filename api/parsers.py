"""The API's one body parser: JSON, refused with a problem document (never a server error)
when it is too large, not JSON, or nested deeper than any real request."""

from __future__ import annotations

import json
import re

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


# A JSON string (brackets inside it do not count), or one bracket.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _depth(text: str) -> int:
    """How deeply brackets nest, counted without parsing (so without recursion), with the
    scanning done by the regular expression engine rather than a loop per character."""
    deepest = depth = 0
    for token in _TOKENS.finditer(text):
        found = token.group()
        if found in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif found in ("]", "}"):
            depth -= 1
    return deepest
