"""No edit loses data, in Chromium: every entry type of every section, opened on its
edit page by the person who may change it and saved untouched (only the reason typed), changes
nothing, in English, Arabic, Persian and Albanian; with one field changed, only that field
changes.

Each type is tried on a demo entry (as the demo holds it) and on a complete one
(tests/support/complete_entries.py: every field filled, so every date, number, choice and yes/no
is there to lose).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import models

from passport.models import Entry, Passport, Revision
from passport.operations import demo
from passport.records import sections
from tests.browser.conftest import sign_in
from tests.support.complete_entries import add_complete_entries

LANGUAGES = ("en-gb", "ar", "fa", "sq")
# Not content: the form's own fields, and confirmations asked afresh with each save (never
# stored, so never shown ticked).
NOT_CONTENT = {"csrfmiddlewaretoken", "version", "reason"} | {
    name for model in sections.TYPES.values() for name in model.CONFIRMS}

# What the form shows, read from the page as a browser would submit it: the value of each
# field; the checked one of a radio group ("" if none); "on" or "" for a checkbox.
READ_FORM = """form => {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.type === 'submit' || el.type === 'hidden') continue;
    if (el.type === 'radio') {
      if (el.checked || !(el.name in out)) out[el.name] = el.checked ? el.value : '';
    }
    else if (el.type === 'checkbox') out[el.name] = el.checked ? el.value : '';
    else out[el.name] = el.value;
  }
  return out;
}"""


def _as_shown(field: models.Field, value) -> str:
    """How a stored value must appear in its form field for the browser to send it back."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        if isinstance(field, models.BooleanField):
            return "on" if value else ""
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Decimal | int):
        return str(value)
    return value


def _stored(entry: Entry) -> tuple[int, dict]:
    fresh = type(entry).objects.get(pk=entry.pk)
    return fresh.version, fresh.content()


# Private unless chosen otherwise (docs/access.md, "Private items"): sexual health, wellbeing
# (SDQ scores and how she feels: mental health), and entries about pregnancy, gender identity,
# substance use or mental health.
PRIVATE_TOPICS = {"sexual_health", "pregnancy", "gender_identity", "substance_use",
                  "mental_health"}


def _usually_private(entry: Entry) -> bool:
    return (entry.section_key in {"sexual_health", "wellbeing"}
            or getattr(entry, "topic", None) in PRIVATE_TOPICS
            or getattr(entry, "pregnant", None) == "yes")


def _expected_form(entry: Entry) -> dict[str, str]:
    """The stored values as the form must show them; privacy "as usual" while the entry
    follows the usual rule, so a change of topic still decides it."""
    fresh = type(entry).objects.get(pk=entry.pk)
    shown = {f.name: _as_shown(f, getattr(fresh, f.name)) for f in fresh.content_fields()}
    if fresh.ALWAYS_PRIVATE:  # nothing to choose: the form has no privacy question
        return shown
    usual = _usually_private(fresh)
    privacy = ("auto" if fresh.is_private == usual
               else "private" if fresh.is_private else "shared")
    return shown | {"privacy": privacy}


def _edit_url(page, entry: Entry, section: str) -> str:
    return (f"{page.base_url}/p/{entry.passport_id}/{section}/{entry.TYPE}/{entry.pk}/edit/")


def _read(page, url: str) -> dict[str, str]:
    page.goto(url)
    form = page.locator("main form[method=post]")
    values = form.evaluate(READ_FORM)
    return {name: value for name, value in values.items() if name not in NOT_CONTENT}


def _save(page, reason: str) -> None:
    form = page.locator("main form[method=post]")
    if form.locator("[name=reason]").count():  # a draft assessment asks for none
        form.locator("[name=reason]").fill(reason)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _in_language(page, code: str) -> None:
    """The language menu at the foot of every page."""
    page.locator("#language-menu").select_option(code)
    with page.expect_navigation():
        page.locator("form.language button").click()
    assert page.locator("html").get_attribute("lang") == code


def _demo_entries() -> dict[str, tuple[Entry, str, str]]:
    """For each entry type, the demo's fullest entry that someone may change: (entry, who
    changes it, section). Her own entries are hers; the rest are her nurse's while she is in
    care (not Jay's: his care has ended)."""
    found: dict[str, tuple[int, Entry, str, str]] = {}
    passports = Passport.objects.select_related("owner")
    for passport in passports:
        for model in {*sections.TYPES.values()}:
            for entry in model.objects.filter(passport=passport):
                mine = model.OWNER_ONLY or entry.added_by_young_person
                if (not mine and passport.care_ended_on) or entry.is_locked:
                    continue
                editor = passport.owner.username if mine else "nurse"
                if not mine and entry.section_key == "sexual_health":
                    continue  # hers unless she grants it
                filled = sum(1 for v in entry.content().values() if v not in (None, ""))
                if filled > found.get(model.TYPE, (-1,))[0]:
                    found[model.TYPE] = (filled, entry, editor, entry.section_key)
    return {key: (entry, editor, section) for key, (_n, entry, editor, section) in found.items()}


@pytest.fixture
def people(browser, committed_db, live_server):
    """One signed-in browser per person (a second factor's code works once, so each signs in
    once and keeps the session)."""
    pages = {}

    def page_of(username: str):
        if username not in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 800},
                                          locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.base_url = live_server.url
            sign_in(page, username, demo.PASSWORD)
            pages[username] = page
        return pages[username]

    yield page_of
    for page in pages.values():
        page.context.close()


def _untouched(page, entry: Entry, section: str, language: str) -> None:
    url = _edit_url(page, entry, section)
    version, content = _stored(entry)
    revisions = Revision.objects.filter(entry_id=entry.pk).count()
    before = _read(page, url)
    label = f"{entry.TYPE} in {language}"
    assert before == _expected_form(entry), f"{label}: the form does not show what is stored"
    _save(page, "Checked with her")
    assert _stored(entry) == (version, content), f"{label}: saving untouched changed it"
    assert Revision.objects.filter(entry_id=entry.pk).count() == revisions, label
    if language == "en-gb":
        assert page.get_by_role("status").inner_text() == (
            "Nothing was changed, so nothing was saved.")
    assert _read(page, url) == before, f"{label}: the form reads differently after saving"


def _one_change(page, entry: Entry, section: str, change: tuple) -> None:
    name, value = change
    url = _edit_url(page, entry, section)
    version, content = _stored(entry)
    _read(page, url)
    form = page.locator("main form[method=post]")
    field = form.locator(f"[name={name}]")
    kind = field.first.get_attribute("type")
    shown = _as_shown(type(entry)._meta.get_field(name), value)
    if kind == "radio":
        form.locator(f"[name={name}][value='{shown}']").check()
    elif kind == "checkbox":
        field.set_checked(bool(shown))
    elif field.evaluate("el => el.tagName") == "SELECT":
        field.select_option(shown)
    else:
        field.fill(shown)
    _save(page, "Corrected")
    assert page.get_by_role("status").inner_text() == "Changes saved.", entry.TYPE
    new_version, new_content = _stored(entry)
    assert new_version == version + 1, entry.TYPE
    changed = {k for k in content if content[k] != new_content[k]}
    assert changed == {name}, f"{entry.TYPE}: {sorted(changed)} changed, not only {name}"
    assert _as_shown(type(entry)._meta.get_field(name), new_content[name]) == shown


def test_saving_any_entry_untouched_changes_nothing_in_any_language(people, demo_loaded):
    complete = add_complete_entries()
    assert set(complete) == set(sections.TYPES), "a complete entry of every type"
    from_demo = _demo_entries()
    missing = set(sections.TYPES) - set(from_demo)
    assert not missing, f"the demo has no entry of {sorted(missing)} that someone may change"
    for language in LANGUAGES:
        for username in sorted({a.editor for a in complete.values()}):
            page = people(username)
            _in_language(page, language)
            for added in complete.values():
                if added.editor == username:
                    _untouched(page, added.entry, added.section, language)
    for entry, editor, section in from_demo.values():
        page = people(editor)
        _in_language(page, "en-gb")
        _untouched(page, entry, section, "en-gb")


def test_changing_one_field_changes_only_that_field(people, demo_loaded):
    for added in add_complete_entries().values():
        _one_change(people(added.editor), added.entry, added.section, added.change)


def test_the_edit_page_and_its_conflict_pass_axe(page, demo_loaded):
    """A nurse saves over a change the doctor made meanwhile: she is told, sees the doctor's
    version and what she had typed, and the page passes axe."""
    from passport.access.policy import reach
    from passport.models import PlanAction, User
    from passport.records import actions
    from tests.browser.conftest import axe_violations

    mia = demo_loaded["yp.demo1"]
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "nurse", demo.PASSWORD)
    action = PlanAction.objects.filter(passport_id=mia).first()
    page.goto(_edit_url(page, action, "health_plan"))
    assert axe_violations(page) == []
    actions.do_amend_entry(reach(User.objects.get(username="doctor"), mia), action,
                           expected_version=action.version, reason="Booked",
                           changes={"status": "done"})
    page.locator("[name=action]").fill("Book the second MMR dose.\nTell her the day before.")
    page.locator("[name=reason]").fill("Clearer")
    page.get_by_role("button", name="Save changes").click()
    alert = page.get_by_role("alert")
    assert "Someone else changed this entry while you were editing it" in alert.inner_text()
    assert "Book the second MMR dose.\nTell her the day before." in alert.inner_text()
    assert page.get_by_role("radio", name="Done").is_checked()  # the doctor's, to change again
    assert page.locator("[name=reason]").input_value() == "Clearer"
    assert axe_violations(page) == []
