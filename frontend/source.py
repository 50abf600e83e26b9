"""The source of the running service, for anyone who uses it (decision 0028).

Health Passport is free software under the GNU Affero General Public License, version 3 or
later. Section 13 of that licence asks a service run over a network to offer its users the
source of the version they use: the page says so, and the archive is built from the running
code itself (or HP_SOURCE_URL names where a deployment publishes it).

Only the project's own folders and files go in, named one by one: never var/ (the database,
the keys), the virtual environment, collected static files or anything else that happens to
sit beside the code.
"""

from __future__ import annotations

import io
import tarfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

ROOT = Path(__file__).resolve().parents[1]
INCLUDED = ("passport", "api", "frontend", "locale", "tests", "bench", "bin", "docs", ".ci",
            "manage.py", "pyproject.toml", "README.md", "Makefile", "LICENSE")
SKIPPED_PARTS = frozenset({"__pycache__", ".pytest_cache", "node_modules"})
SKIPPED_SUFFIXES = (".pyc", ".sqlite3", ".log")


def _wanted(path: Path) -> bool:
    return (path.is_file() and not SKIPPED_PARTS & set(path.parts)
            and not path.name.endswith(SKIPPED_SUFFIXES))


@lru_cache(maxsize=1)
def archive() -> bytes:
    """The source as a .tar.gz, built once per process (the code does not change under it)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name in INCLUDED:
            top = ROOT / name
            paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if _wanted(p))
            for path in paths:
                if path.exists():
                    tar.add(path, arcname=f"health-passport/{path.relative_to(ROOT)}",
                            recursive=False)
    return buffer.getvalue()


@require_GET
def source(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/source.html", {"elsewhere": settings.HP_SOURCE_URL})


@require_GET
def source_archive(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(archive(), content_type="application/gzip")
    response["Content-Disposition"] = 'attachment; filename="health-passport-source.tar.gz"'
    return response
