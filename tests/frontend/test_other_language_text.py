"""Words someone wrote, shown on a page in another language: isolated with their own direction
and marked with their language, on her pages and in her booklet (read back from the PDF), so
that an English sentence on an Arabic page keeps its full stop at its end."""

import datetime
import io

import pypdf
from django.test import Client

from passport.models import Condition, SelfAssessment, User
from passport.models.entries import AsWritten
from passport.outputs import booklet
from passport.records import actions
from tests.conftest import login

ENGLISH = "Muslim; I prefer a male doctor."
ARABIC = "أشعر بخير اليوم."


def entries(nurse_reach, young_person, her_passport):
    from passport.access.policy import reach

    nurses = actions.do_add_entry(nurse_reach, Condition, {
        "kind": "condition", "name": "Asthma", "details": ENGLISH})
    hers = actions.do_add_entry(reach(young_person, her_passport.pk), SelfAssessment, {
        "recorded_on": datetime.date(2026, 11, 1), "how_i_feel": ARABIC})
    return nurses, hers


def test_what_someone_wrote_is_marked_and_the_apps_words_are_not(
        her_passport, nurse_reach, young_person):
    nurses, hers = entries(nurse_reach, young_person, her_passport)
    details = nurses.display_value("details")
    assert isinstance(details, AsWritten) and details.lang == "en-GB"  # the record's language
    feeling = hers.display_value("how_i_feel")
    assert isinstance(feeling, AsWritten) and feeling.lang == ""  # hers: not claimed
    assert not isinstance(nurses.display_value("kind"), AsWritten)  # a translated choice


def test_on_her_arabic_pages_each_keeps_its_own_direction_and_language(
        her_passport, nurse_reach, young_person):
    entries(nurse_reach, young_person, her_passport)
    User.objects.filter(pk=young_person.pk).update(language="ar")
    client = login(Client(), young_person)
    conditions = client.get(f"/p/{her_passport.pk}/conditions/").content.decode()
    assert '<html lang="ar" dir="rtl">' in conditions
    assert f'<dd dir="ltr" lang="en-GB">{ENGLISH}</dd>' in conditions
    # The title, her nurse's word and the app's ("Asthma · condition"): isolated in its own
    # direction, its language not claimed.
    assert '<h3 class="entry-title"><bdi dir="ltr">Asthma · ' in conditions
    wellbeing = client.get(f"/p/{her_passport.pk}/wellbeing/").content.decode()
    assert f'<dd dir="rtl" lang="">{ARABIC}</dd>' in wellbeing


def runs(pdf: bytes) -> list[str]:
    """The text runs the PDF draws, each as one piece of text in the order it lays it out."""
    found: list[str] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, *_args: found.append(text.strip()))
    return [text for text in found if text]


def test_in_her_arabic_booklet_an_english_sentence_ends_with_its_full_stop(
        her_passport, nurse_reach, young_person):
    from passport.access.policy import reach

    entries(nurse_reach, young_person, her_passport)
    mine = reach(young_person, her_passport.pk)
    drawn = runs(booklet.render(mine, ["conditions"], language="ar"))
    # Laid out left to right as one run, its full stop last; laid out in the page's direction
    # it came out as "." then "Muslim; I prefer a male doctor" (or ".Muslim; ...").
    assert ENGLISH in drawn, [t for t in drawn if "Muslim" in t]
    assert not any(t.startswith(".Muslim") for t in drawn)
