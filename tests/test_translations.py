"""Every user-facing string goes through Django's translation: a scan of the templates and the
Python modules fails on a string shown to people that is not marked; and the catalogues
compile cleanly, with nothing left untranslated or fuzzy."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "frontend" / "templates").rglob("*.html"))
MODULES = sorted(p for d in ("passport", "frontend", "api") for p in (ROOT / d).rglob("*.py")
                 if "migrations" not in p.parts)

BLOCKS = re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", re.S)
TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<!--.*?-->", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
HTML_TAG = re.compile(r"<[^>]+>")
# Attributes people read or hear: they must be translated as well.
READ_ATTRIBUTES = re.compile(r'\s(?:aria-label|alt|title|placeholder)="([^"]*)"')


def untranslated_text(source: str) -> list[str]:
    text = SCRIPT.sub(" ", BLOCKS.sub(" ", source))
    found = [value for value in READ_ATTRIBUTES.findall(text)
             if re.search(r"[A-Za-z]", TAGS.sub("", value))]
    text = HTML_TAG.sub(" ", TAGS.sub(" ", text))
    found += [chunk.strip() for chunk in re.split(r"\s{2,}|\n", text)
              if re.search(r"[A-Za-z]{2,}", chunk)]
    return found


def test_the_scanner_finds_an_unmarked_word():
    assert untranslated_text('<p>Hello {% translate "there" %}</p>') == ["Hello"]
    assert untranslated_text('<a aria-label="Close">x</a>') == ["Close"]
    assert untranslated_text('<p>{% translate "Hi" %} {{ name }}</p>') == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_mark_every_string(template):
    assert untranslated_text(template.read_text()) == []


SHOWN_CALLS = {"ValidationError", "success", "error", "warning", "info", "add_error",
               "send_mail", "message_user"}
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "title"}


def _literal_strings(node) -> list[str]:
    """Plain string literals in an argument: directly, or in a dict's values or a list."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if re.search(r"[A-Za-z]{2,}", node.value) and " " in node.value \
            else []
    if isinstance(node, ast.Dict):
        return [s for v in node.values for s in _literal_strings(v)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for v in node.elts for s in _literal_strings(v)]
    if isinstance(node, ast.JoinedStr):
        return ["f-string"]
    return []


def unmarked_in(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        owner = getattr(getattr(node.func, "value", None), "id", "")
        if name in SHOWN_CALLS and owner not in {"logger", "log", "logging"}:  # logs: English
            for arg in node.args:
                found += _literal_strings(arg)
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS:
                found += _literal_strings(keyword.value)
    return found


def test_the_python_scanner_finds_an_unmarked_message():
    assert unmarked_in('raise ValidationError({"x": "Enter a date."})') == ["Enter a date."]
    assert unmarked_in('raise ValidationError({"x": _("Enter a date.")})') == []
    assert unmarked_in('forms.CharField(label="Your name")') == ["Your name"]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_marks_every_message(module):
    assert unmarked_in(module.read_text()) == []


@pytest.mark.parametrize("language", ["ar", "fa", "sq"])
def test_the_catalogues_compile_clean_and_complete(language):
    assert shutil.which("msgfmt"), "gettext is missing: apt-get install gettext"
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr
