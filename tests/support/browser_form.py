"""What a browser sends when a form is submitted untouched, worked out from the page's HTML (the
HTML standard's form submission and value sanitisation), for tests that need no real browser.

The rules that lose data when a page gets a value's format wrong: an `<input type=date>` whose
value is not `YYYY-MM-DD` is emptied, as is a number that is not a plain decimal number; an
unchecked radio group sends nothing; a select with no option selected sends its first option; a
text area sends its line breaks as CR LF.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

# The HTML standard's value sanitisation, for the input types the product uses.
VALID = {
    "date": re.compile(r"\d{4,}-\d{2}-\d{2}"),
    "number": re.compile(r"-?(\d+|\d*\.\d+)([eE][-+]?\d+)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "datetime-local": re.compile(r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "month": re.compile(r"\d{4,}-\d{2}"),
    "week": re.compile(r"\d{4,}-W\d{2}"),
}


def sanitised(input_type: str, value: str) -> str:
    """The value a browser keeps for an input of this type ("" if it cannot read it)."""
    rule = VALID.get(input_type)
    if rule is None:
        return value
    if not rule.fullmatch(value):
        return ""
    if input_type == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return ""
    return value


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.fields = []
            self.forms.append(self.fields)
        if self.fields is None or "disabled" in attrs:
            return
        if tag == "input":
            self._input(attrs)
        elif tag == "select":
            self.select = {"name": attrs.get("name"), "options": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "text": "",
                           "selected": "selected" in attrs}
        elif tag == "textarea":
            self.textarea = {"name": attrs.get("name"), "text": ""}

    def _input(self, attrs) -> None:
        kind, name = (attrs.get("type") or "text").lower(), attrs.get("name")
        if not name or kind in {"submit", "button", "reset", "image", "file"}:
            return
        if kind in {"checkbox", "radio"}:
            if "checked" in attrs:
                self.fields.append((name, attrs.get("value") or "on"))
            return
        self.fields.append((name, sanitised(kind, attrs.get("value") or "")))

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "option" and self.option is not None:
            self.select["options"].append(self.option)
            self.option = None
        elif tag == "select" and self.select is not None:
            self._end_select()
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"].removeprefix("\n")  # the newline after <textarea>
            self.fields.append((self.textarea["name"],
                                text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self.textarea = None

    def _end_select(self) -> None:
        options = self.select["options"]
        chosen = [o for o in options if o["selected"]][-1:] or options[:1]
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.fields.append((self.select["name"], value))
        self.select = None


def forms_in(html: str) -> list[list[tuple[str, str]]]:
    """For each form of the page, the (name, value) pairs it sends when submitted untouched."""
    parser = _Forms()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html: str, field: str) -> list[tuple[str, str]]:
    """What the page's form that has `field` sends untouched."""
    found = [form for form in forms_in(html) if any(name == field for name, _v in form)]
    assert len(found) == 1, f"{len(found)} forms with a field {field!r}"
    return found[0]
