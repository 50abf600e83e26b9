"""Structured logs: one JSON object per line, for a log collector. Never content:
the app logs ids, paths (which hold only UUIDs) and event names; the formatter keeps only the
message, the level, the logger and, for errors, the exception's type (not its text, which
could quote a value)."""

from __future__ import annotations

import json
import logging
import re

# A URL part named `token` is a secret (an invitation's, a share link's, a password reset's):
# it is never written to a log. Name any new secret in a URL `token`.
SECRET_KWARGS = frozenset({"token"})
HIDDEN = "[hidden]"
_PATH = re.compile(r"/[^\s\"'<>]*")


def redact_path(path: str) -> str:
    """The path with every secret part replaced, found by resolving it as Django would; a
    query string is dropped (none of ours holds anything worth logging)."""
    from django.urls import Resolver404, resolve

    path = path.split("?", 1)[0].split("#", 1)[0]
    try:
        match = resolve(path)
    except (Resolver404, ValueError):
        try:  # "/share/<token>" without its slash: Django redirects it, and it is logged
            match = resolve(path + "/")
        except (Resolver404, ValueError):
            return path
    for name, value in match.kwargs.items():
        if name in SECRET_KWARGS and value:
            path = path.replace(str(value), HIDDEN)
    return path


def redact(text: str) -> str:
    """Every path in a line of text, redacted (Django's "Gone: /accounts/invitation/…")."""
    return _PATH.sub(lambda found: redact_path(found.group(0)), text)


class HideSecrets(logging.Filter):
    """On the console handler: whatever logs a path (Django's request and server loggers,
    ours), the line that leaves the process has no secret in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/" in message:
            record.msg, record.args = redact(message), ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        for key in ("status_code", "request_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)
