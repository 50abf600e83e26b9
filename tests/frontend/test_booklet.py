"""The "My health" booklet, read back with a PDF tool (pypdf; pikepdf for the
password): what is in it for whom, what never is, its tags, language and title, the password,
an Arabic booklet, and the same queries for a large passport as for a small one."""

import datetime
import io
import re

import pikepdf
import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from passport.access import held_back, sharelinks
from passport.access.policy import reach, reach_by_link
from passport.care import leaver_summary
from passport.models import (
    AuditEvent,
    Condition,
    Control,
    FamilyHistory,
    ImmunisationDose,
    Passport,
    SavedService,
    SdqResult,
    Service,
)
from passport.outputs import booklet
from passport.records import actions
from tests.conftest import login

TODAY = timezone.localdate()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def her_record(her_passport, nurse_reach, young_person):
    Passport.objects.filter(pk=her_passport.pk).update(control=Control.SELF_MANAGED)
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": datetime.date(2012, 7, 1), "dose_number": 1,
        "source": "red_book"})
    actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "Penicillin",
                                                  "details": "Rash and swelling"})
    actions.do_add_entry(nurse_reach, Condition, {"kind": "condition", "name": "Anxiety",
                                                  "topic": "mental_health"})  # private
    actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_mother", "condition": "Type 2 diabetes",
        "what_this_means": "Ask your GP for a blood sugar test from 25."})
    held = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_father", "condition": "Huntington's disease",
        "what_this_means": "Held until a planned conversation."})
    held_back.do_hold_back(nurse_reach, held, opinion="Serious harm now; review in 6 months.")
    Service.objects.create(slug="childline", name="Childline", description="Free, private "
                           "support for under-19s.", phone="0800 1111", national=True)
    actions.do_add_entry(reach(young_person, her_passport.pk), SavedService, {
        "service_id": "childline", "service_name": "Childline"})
    return her_passport


def post_booklet(client, passport, **data):
    return client.post(f"/p/{passport.pk}/booklet/", {
        "preset": "everything", "language": "en-gb"} | data)


def test_her_booklet_has_her_vaccines_allergies_and_services(her_record, young_person):
    response = post_booklet(login(Client(), young_person), her_record)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="my-health-{TODAY.isoformat()}.pdf"')
    assert "no-store" in response["Cache-Control"]
    pdf = b"".join(response.streaming_content)
    text = text_of(pdf)
    for shown in ("My health", "Sam", "MMR", "Penicillin", "Rash and swelling", "Childline",
                  "0800 1111", "Anxiety"):  # her own private items are hers to print
        assert shown in text, shown
    # Family history is not in the ready-made choice; a held-back entry never is.
    assert "Type 2 diabetes" not in text and "Huntington" not in text
    made = AuditEvent.objects.filter(action="booklet_made", passport=her_record)
    assert {e.section for e in made} == set(booklet.PRESETS["everything"])
    assert all(e.actor == young_person for e in made)


def test_only_the_sections_she_chose(her_record, young_person):
    response = post_booklet(login(Client(), young_person), her_record, preset="choose",
                            sections=["immunisations", "family_history"])
    text = text_of(b"".join(response.streaming_content))
    assert "MMR" in text and "Type 2 diabetes" in text
    assert "Penicillin" not in text and "Childline" not in text
    assert "Huntington" not in text and "Serious harm" not in text


def test_a_share_link_viewers_booklet_has_only_the_shared_sections(her_record, young_person):
    own = reach(young_person, her_record.pk)
    made = sharelinks.do_create_link(own, sections_=["immunisations", "conditions"])
    use = sharelinks.do_use_link(made.link, code=made.code, viewer_name="Dr Grace Okafor",
                                 organisation="Heaton Moor Medical")
    viewer = reach_by_link(made.link, use.pk)
    assert booklet.may_make(viewer) == ("immunisations", "conditions")
    text = text_of(booklet.render(viewer, ["immunisations", "conditions"], language="en-gb"))
    assert "MMR" in text and "Penicillin" in text
    assert "Anxiety" not in text  # private: only she and her health team
    assert "Childline" not in text and "Type 2 diabetes" not in text
    with pytest.raises(PermissionDenied):  # not shared with her
        booklet.render(viewer, ["family_history"], language="en-gb")


def _link_opened(passport, young_person, shared: list[str]) -> Client:
    """A doctor's browser that has opened her share link with its code."""
    from frontend.sharelinks import SESSION_LINK, SESSION_USE

    made = sharelinks.do_create_link(reach(young_person, passport.pk), sections_=shared)
    use = sharelinks.do_use_link(made.link, code=made.code, viewer_name="Dr Grace Okafor",
                                 organisation="Heaton Moor Medical")
    viewer = Client()
    session = viewer.session
    session[SESSION_LINK], session[SESSION_USE] = str(made.link.pk), str(use.pk)
    session.save()
    return viewer


def test_the_share_link_page_makes_it_for_the_viewer(her_record, young_person):
    viewer = _link_opened(her_record, young_person, ["immunisations"])
    response = viewer.post("/share/booklet/", {"preset": "choose",
                                               "sections": ["conditions"], "language": "en-gb"})
    assert response.status_code == 400  # not shared: not a choice
    response = viewer.post("/share/booklet/", {"preset": "everything", "language": "en-gb"})
    text = text_of(b"".join(response.streaming_content))
    assert "MMR" in text and "Penicillin" not in text
    assert Client().get("/share/booklet/").status_code == 403  # no link in the session


def test_the_pdf_is_tagged_with_its_language_and_title(her_record, young_person):
    pdf = booklet.render(reach(young_person, her_record.pk), list(booklet.ORDER),
                         language="en-gb")
    document = pypdf.PdfReader(io.BytesIO(pdf))
    root = document.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-gb"
    assert document.metadata.title == "My health: Sam"
    # A cover, then the contents on a page of their own, then the sections flowing on (her
    # record is short: a few pages); A4; small.
    assert document.pages[0].extract_text().startswith("My health")
    assert "Contents" in document.pages[0].extract_text()  # on the cover, with whose it is
    assert 4 <= len(document.pages) <= 8
    width, height = document.pages[0].mediabox.width, document.pages[0].mediabox.height
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    assert len(pdf) < 150_000
    # The running header and page numbers on the pages after the cover.
    third = document.pages[2].extract_text()
    assert "Sam · My health · made on" in third
    assert re.search(rf"Page 3 / {len(document.pages)}", third)
    assert "Sam · My health" not in document.pages[0].extract_text()  # not on the cover


def test_a_password_protected_booklet(her_record, young_person):
    response = post_booklet(login(Client(), young_person), her_record,
                            password="blue whale 42", password_again="blue whale 42")
    pdf = b"".join(response.streaming_content)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(pdf))
    locked = pypdf.PdfReader(io.BytesIO(pdf))
    assert locked.is_encrypted and not locked.decrypt("wrong password")
    assert locked.decrypt("blue whale 42")
    assert "Penicillin" in "\n".join(p.extract_text() for p in locked.pages)
    with pikepdf.open(io.BytesIO(pdf), password="blue whale 42") as opened:
        info = opened.encryption
        assert (info.R, info.bits, info.stream_method.name) == (6, 256, "aesv3")
    # The password is nowhere in the log.
    assert not AuditEvent.objects.filter(section__contains="whale").exists()


def test_mismatched_or_short_passwords_make_nothing(her_record, young_person):
    client = login(Client(), young_person)
    response = post_booklet(client, her_record, password="blue whale 42", password_again="x")
    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()
    response = post_booklet(client, her_record, password="short", password_again="short")
    assert response.status_code == 400 and "at least 8 characters" in response.content.decode()
    assert not AuditEvent.objects.filter(action="booklet_made").exists()


def test_an_arabic_booklet_reads_right_to_left_in_arabic(her_record, young_person):
    pdf = booklet.render(reach(young_person, her_record.pk), ["immunisations", "conditions"],
                         language="ar")
    text = text_of(pdf)
    arabic = [c for c in text if "\u0600" <= c <= "\u06ff" or "\ufe70" <= c <= "\ufeff"]
    assert len(arabic) > 100  # real Arabic text, not empty boxes
    assert "صحتي" in text or "يتحص" in text  # "My health", in either reading order
    assert pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "ar"


def test_who_may_make_which_booklet(her_record, young_person, nurse_reach, stranger):
    nurse = login(Client(), nurse_reach.user)
    # Her nurse: only the care leaver's summary, once it is marked ready.
    assert nurse.get(f"/p/{her_record.pk}/booklet/").status_code == 403
    leaver_summary.do_save(nurse_reach, {key: {"reviewed": True, "up_to_date": True}
                                  for key in leaver_summary.CHECKED})
    leaver_summary.do_mark_ready(nurse_reach)
    response = post_booklet(nurse, her_record, preset="choose",
                            sections=["family_history", "conditions"])
    text = text_of(b"".join(response.streaming_content))
    assert "Type 2 diabetes" in text and "Huntington" not in text  # never held entries
    assert login(Client(), stranger).get(f"/p/{her_record.pk}/booklet/").status_code == 404
    api = login(APIClient(), stranger)
    assert api.post(f"/api/v1/passports/{her_record.pk}/booklet/", {},
                    format="json").status_code == 404


def test_the_api_makes_the_same_booklet(her_record, young_person):
    api = login(APIClient(), young_person)
    response = api.post(f"/api/v1/passports/{her_record.pk}/booklet/",
                        {"preset": "new_gp", "language": "en-gb"}, format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(b"".join(response.streaming_content))
    assert "Penicillin" in text and "Childline" not in text
    response = api.post(f"/api/v1/passports/{her_record.pk}/booklet/",
                        {"preset": "new_gp", "owner": "x"}, format="json")
    assert response.status_code == 400  # a field it may not set


def test_the_same_queries_for_the_largest_demo_passport_as_the_smallest(db):
    import uuid

    from passport.models import Entry, User
    from passport.operations import demo

    demo.load()
    sizes = {}
    for name in ("yp.demo1", "yp.demo2", "yp.demo3", "yp.demo4", "yp.demo5"):
        passport_id = uuid.uuid5(demo.NAMESPACE, name)
        sizes[name] = sum(m.objects.filter(passport_id=passport_id).count()
                          for m in Entry.__subclasses__())
    largest, smallest = max(sizes, key=sizes.get), min(sizes, key=sizes.get)
    assert sizes[largest] > sizes[smallest]
    counts = []
    for name in (largest, smallest):
        owner = User.objects.get(username=name)
        own = reach(owner, uuid.uuid5(demo.NAMESPACE, name))
        with CaptureQueriesContext(connection) as queries:
            booklet.render(own, list(booklet.ORDER), language="en-gb")
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _sdq(nurse_reach, completed_on):
    return actions.do_add_entry(nurse_reach, SdqResult, {
        "completed_on": completed_on, "informant": "carer", "emotional": 8, "conduct": 1,
        "hyperactivity": 3, "peer": 1, "prosocial": 9, "discussed_on": completed_on})


def test_her_booklet_reads_her_sdq_as_her_app_does(her_record, young_person, nurse_reach):
    """Under 13, words only (no scores, no bands, no chart); from 13, the kinder
    band names beside the scores. Her nurse's booklet keeps the professional bands."""
    _sdq(nurse_reach, TODAY - datetime.timedelta(days=400))
    _sdq(nurse_reach, TODAY - datetime.timedelta(days=30))
    client = login(Client(), young_person)
    fifteen = text_of(b"".join(post_booklet(client, her_record, preset="choose",
                                            sections=["wellbeing"]).streaming_content))
    assert "About the same as most people your age" in fifteen
    assert "Total difficulties" in fifteen
    actions.do_change_date_of_birth(nurse_reach, TODAY.replace(year=TODAY.year - 10),
                                    "Birth certificate seen")
    ten = text_of(b"".join(post_booklet(client, her_record, preset="choose",
                                        sections=["wellbeing"]).streaming_content))
    assert "Your nurse will talk with you about: feelings and worries" in ten
    assert "Going well:" in ten
    for hidden in ("Total difficulties", "Emotional", "Score", "Very high", "High",
                   "questionnaire scores changed"):
        assert hidden not in ten, hidden


def test_the_cover_says_whose_it_is_and_no_section_is_empty(her_record, young_person):
    """A new GP matches it to a patient from the cover: her name as registered with the NHS,
    the name she uses, her date of birth and NHS number (3-3-4). No heading stands over
    nothing; every section not in it is named once, at the end, whatever the reason."""
    response = post_booklet(login(Client(), young_person), her_record)
    pdf = b"".join(response.streaming_content)
    cover = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for shown in ("Samantha Rose Jones", "Known as", "Sam", "1 June 2011", "943 476 5919"):
        assert shown in cover, shown
    text = text_of(pdf)
    assert "Nothing recorded here yet" not in text
    not_in = text.split("Not in this booklet", 2)[-1]
    # Nothing recorded about her birth, and family history not chosen: both simply listed.
    assert "Birth history" in not_in and "Family health history" in not_in
    assert "Immunisations" not in not_in  # it is in the booklet


def test_the_doctors_view_through_a_share_link_says_whose_it_is(her_record, young_person):
    viewer = _link_opened(her_record, young_person, ["immunisations", "birth_history"])
    body = viewer.get("/share/").content.decode()
    for shown in ("Whose passport this is", "Samantha Rose Jones", "1 June 2011",
                  "943 476 5919", "MMR"):
        assert shown in body, shown
    not_in = body.split("Not in this view", 1)[1]
    # Shared, but nothing recorded: listed with everything not shown, with no heading of its own.
    assert "Birth history" in not_in and "Conditions, allergies and medicines" in not_in
    assert 'id="shared-birth_history"' not in body


@pytest.mark.parametrize("years", [1, 4, 9, 15, 18])
def test_her_booklets_vaccines_fit_her_age(her_record, young_person, years):
    """No line about a vaccine she is too old for; nothing for under-fives in an older
    child's booklet; the booster before school only while it can still be given."""
    her_record.date_of_birth = TODAY - datetime.timedelta(days=int(years * 365.25) + 10)
    her_record.save()
    text = text_of(booklet.render(reach(young_person, her_record.pk), ["immunisations"],
                                  language="en-gb"))
    assert "not given at this age" not in text
    assert "Not given from this age" not in text
    # And what is there fits her age (worked from the UK schedule: the 18-month booster for a
    # one-year-old, the pre-school booster until 10, the teenage Td/IPV course after).
    expected = {1: ("MenB", "6-in-1 booster at 18 months"), 4: ("Pre-school booster",),
                9: ("Pre-school booster",), 15: ("Tetanus, diphtheria and polio",),
                18: ("Tetanus, diphtheria and polio",)}[years]
    for line in expected:
        assert line in text[text.index("By the UK schedule"):], line
    if years >= 15:
        assert "Pre-school booster" not in text
        assert "Rotavirus" not in text and "6-in-1" not in text


def test_the_layout_gives_way_to_short_pages_and_its_errors_reach_the_request():
    """The booklet is laid out in a thread of its own at nice 10 (Linux keeps a nice value
    per thread), so short pages on the other workers go first; the request's own thread
    keeps its priority, and a failure in the layout is raised where the request can see it."""
    import os
    import threading

    from passport.outputs import booklet as making

    seen = {}

    def layout() -> bytes:
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        seen["thread"] = threading.current_thread().name
        return b"%PDF-"

    before = os.getpriority(os.PRIO_PROCESS, 0)
    assert making._yielding(layout) == b"%PDF-"
    assert seen == {"nice": min(19, before + making.BOOKLET_NICE), "thread": "booklet-layout"}
    assert os.getpriority(os.PRIO_PROCESS, 0) == before

    def broken() -> bytes:
        raise ValueError("no room on the page")

    with pytest.raises(ValueError, match="no room on the page"):
        making._yielding(broken)


def test_what_she_added_herself_says_so_and_her_notes_are_never_printed(her_record,
                                                                       young_person):
    from passport.models import MyNote

    own = reach(young_person, her_record.pk)
    actions.do_add_entry(own, Condition, {"kind": "medicine", "name": "Cetirizine"})
    actions.do_add_entry(own, MyNote, {"about": "Diary", "note": "Nobody reads this"})
    text = text_of(b"".join(post_booklet(login(Client(), young_person), her_record)
                            .streaming_content))
    after = text[text.index("Cetirizine"):]
    assert "Added by Sam" in after[:120]  # beside her medicine
    assert text.count("Added by Sam") == 1  # not beside the nurse's entries
    assert "Nobody reads this" not in text and "Notes for me" not in text
    chosen = post_booklet(login(Client(), young_person), her_record, preset="choose",
                          sections=["my_notes"])
    assert chosen.status_code in (200, 400)
    if chosen.status_code == 200:
        assert "Nobody reads this" not in text_of(b"".join(chosen.streaming_content))
