"""The repository stands alone: what the code relies on is in docs/, in our own words, and
nothing points outside the repository (the design, access table and rules it was built from
were written again as docs/architecture.md, docs/access.md and docs/clinical-rules.md)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = ("passport", "api", "frontend", "tests", "bench", "bin", "docs", "README.md", "Makefile",
        "pyproject.toml", "manage.py", ".ci")
KINDS = {".py", ".html", ".js", ".md", ".txt", ".toml", ".cfg", ""}
OUTSIDE = re.compile(r"PERMISSIONS\.md|(?<![\w/-])RULES\.md|DESIGN\.md|STYLE\.md|\.\./shared")


def _files():
    for top in OURS:
        path = ROOT / top
        found = [path] if path.is_file() else path.rglob("*")
        for file in found:
            if (file.is_file() and file.suffix in KINDS and "migrations" not in file.parts
                    and "decisions" not in file.parts and file != Path(__file__)):
                yield file


def test_nothing_points_outside_the_repository():
    """Decisions are left as they were written: they record what was decided against what."""
    found = [f"{file.relative_to(ROOT)}:{n}" for file in _files()
             for n, line in enumerate(file.read_text(errors="ignore").splitlines(), 1)
             if OUTSIDE.search(line)]
    assert found == []


def test_every_doc_the_code_points_to_exists():
    named = {m for file in _files()
             for m in re.findall(r"docs/[\w./-]+\.md", file.read_text(errors="ignore"))}
    missing = sorted(name for name in named if not (ROOT / name).exists())
    assert named and missing == []
