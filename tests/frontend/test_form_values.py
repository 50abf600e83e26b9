"""Every value a page puts into a form comes back unchanged when the form is sent untouched
, in every language of the product. Chromium does the same for every entry type in
tests/browser/test_no_edit_loses_data.py; these run on both databases and cover every form.

A browser empties a date or number field whose value it cannot read, and the save then stores
the empty field: so every typed field's value must be in the form its widget reads, and every
entry's edit page, sent back as a browser would send it, must change nothing.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.utils import translation

import frontend
from frontend.forms import entry_form
from passport.models import AuditEvent, Revision, User
from passport.records import sections
from tests.conftest import login
from tests.support.browser_form import VALID, form_with, sanitised
from tests.support.complete_entries import add_complete_entries

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# A value of each typed field that shows up a wrong format: a day that is not the month, a
# thousands separator, a decimal separator.
SAMPLES = {
    forms.DateField: datetime.date(2027, 1, 6),
    forms.IntegerField: 12345,
    forms.DecimalField: Decimal("1234.5"),
    forms.TimeField: datetime.time(16, 15),
    forms.DateTimeField: datetime.datetime(2027, 1, 6, 16, 15, tzinfo=datetime.UTC),
}


def every_form() -> list[type[forms.BaseForm]]:
    """Every form class of the pages, the entry forms built for each entry type included."""
    for module in pkgutil.iter_modules(frontend.__path__):
        importlib.import_module(f"frontend.{module.name}")
    found, waiting = [], [forms.BaseForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("frontend."):
                found.append(subclass)
    for model in sections.TYPES.values():
        found += [entry_form(model), entry_form(model, amend=True)]
    return found


def _sample(field: forms.Field):
    return next((value for kind, value in SAMPLES.items() if isinstance(field, kind)), None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_typed_field_of_every_form_shows_a_value_its_widget_reads(language):
    problems, checked = [], 0
    with translation.override(language):
        for form_class in every_form():
            for name, field in form_class.base_fields.items():
                kind, sample = getattr(field.widget, "input_type", ""), _sample(field)
                if sample is None:
                    continue
                html = field.widget.render(name, field.prepare_value(sample))
                shown = re.search(r'value="([^"]*)"', html).group(1)
                checked += 1
                if kind in VALID and sanitised(kind, shown) != shown:
                    problems.append(f"{form_class.__name__}.{name}: {kind} shows {shown!r}")
                elif field.to_python(shown) != sample:
                    problems.append(f"{form_class.__name__}.{name}: {shown!r} reads back as "
                                    f"{field.to_python(shown)!r}")
    assert problems == []
    assert checked > 60  # the dates, numbers and decimals of every entry type, and the rest


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_date_field_reads_only_what_a_date_picker_sends(language):
    """Typed by hand (a browser without a date picker, a script), 03/04/2027 would be 3 April
    in one language and 4 March in another: every date field refuses it rather than guess."""
    guessed = []
    with translation.override(language):
        for form_class in every_form():
            for name, field in form_class.base_fields.items():
                if not isinstance(field, forms.DateField):
                    continue
                assert field.to_python("2027-04-03") == datetime.date(2027, 4, 3)
                try:
                    field.to_python("03/04/2027")
                except forms.ValidationError:
                    continue
                guessed.append(f"{form_class.__name__}.{name}")
    assert guessed == []


def _stored(added) -> tuple[int, dict]:
    entry = added.entry
    fresh = type(entry).objects.get(pk=entry.pk)
    return fresh.version, fresh.content()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_saved_untouched_from_its_edit_page_is_unchanged(loaded, language):
    added = add_complete_entries()
    clients = {}
    for username in {a.editor for a in added.values()}:
        User.objects.filter(username=username).update(language=language)
        clients[username] = login(Client(), User.objects.get(username=username))
    for type_key, entry in added.items():
        client, url = clients[entry.editor], (
            f"/p/{entry.entry.passport_id}/{entry.section}/{type_key}/{entry.entry.pk}/edit/")
        page = client.get(url)
        assert page.status_code == 200, type_key
        assert f'lang="{language}"' in page.content.decode()
        sent = form_with(page.content.decode(), "version")
        data: dict[str, list[str]] = {}
        for name, value in sent:
            data.setdefault(name, []).append(value)
        data["reason"] = ["Checked with her"]
        before = _stored(entry)
        history = (Revision.objects.filter(entry_id=entry.entry.pk).count(),
                   AuditEvent.objects.filter(object_id=entry.entry.pk).count())
        response = client.post(url, data)
        assert response.status_code == 302, (type_key, response.content.decode()[:2000])
        assert _stored(entry) == before, f"{type_key} in {language} changed"
        assert (Revision.objects.filter(entry_id=entry.entry.pk).count(),
                AuditEvent.objects.filter(object_id=entry.entry.pk).count()) == history


def test_a_choice_no_longer_offered_stays_on_the_page_and_survives_a_save(nurse_reach,
                                                                          her_nurse):
    """A value stored before its list of choices changed: the edit page still shows it, and a
    save of another field keeps it."""
    from passport.models import PlanAction
    from passport.records import actions

    action = actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "See the dentist", "responsible": "carer", "status": "open"})
    action.responsible = "health_visitor"  # as an earlier release would have stored it
    action.save(update_fields=["responsible"])
    client = login(Client(), her_nurse)
    url = f"/p/{action.passport_id}/health_plan/plan_action/{action.pk}/edit/"
    sent = dict(form_with(client.get(url).content.decode(), "reason"))
    assert sent["responsible"] == "health_visitor"
    sent |= {"reason": "Outcome", "outcome": "Seen in May."}
    assert client.post(url, sent).status_code == 302
    stored = PlanAction.objects.get(pk=action.pk)
    assert (stored.responsible, stored.outcome, stored.version) == (
        "health_visitor", "Seen in May.", 2)
