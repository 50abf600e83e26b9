"""Someone's own words on a page or in the booklet, isolated with their own direction and
marked with their language (passport.models.entries.AsWritten): `as_written` inline,
`written_attrs` on a block that holds only the value."""

import unicodedata

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html

register = template.Library()


def direction(text: str) -> str:
    """HTML's rule for dir="auto", worked out here because the booklet's layout engine does
    not apply it: the direction of the first letter that has one ("ltr" if none does)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def _attrs(value) -> str:
    lang = getattr(value, "lang", False)
    if lang is False:
        return ""
    if lang is None:  # mixed with the app's words: its direction, no language claimed
        return format_html(' dir="{}"', direction(value))
    return format_html(' dir="{}" lang="{}"', direction(value), lang)


@register.filter(needs_autoescape=True)
def as_written(value, autoescape=True):
    """Line breaks kept, as `linebreaksbr`. A value someone wrote is wrapped in `<bdi>` with
    its own direction and its `lang` ("" when unknown): read aloud in its own voice, and its
    punctuation stays at its own end on a right-to-left page. Anything else (the app's words,
    dates, numbers) is in the page's language already."""
    text = linebreaksbr(value, autoescape)
    attrs = _attrs(value)
    return format_html("<bdi{}>{}</bdi>", attrs, text) if attrs else text


@register.filter
def written_attrs(value) -> str:
    """The same marks as attributes, for a block that holds only the value (`<dd{{ value|
    written_attrs }}>`): the block takes the value's direction and alignment."""
    return _attrs(value)


@register.filter
def in_the_record(value):
    """Text kept in the record's language (the services directory, the service's own
    details), marked as such for `as_written` and `written_attrs`."""
    from django.conf import settings

    from passport.models.entries import AsWritten

    return AsWritten(str(value), settings.RECORD_LANGUAGE) if value else value


@register.filter
def number_as_written(value):
    """A phone number inside a sentence: left to right whatever the page's direction (an
    Arabic page showed "116 123" as "123 116")."""
    return format_html('<span dir="ltr">{}</span>', value)
