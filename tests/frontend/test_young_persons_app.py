"""The young person's app, server side: home, "this isn't right", the copy on her
phone and its devices, quick exit and sign-out clearing the device, her language remembered,
the manifest and the service worker."""

import datetime
import html
import json

import pytest
from django.test import Client
from django.utils import timezone

from passport.models import (
    Appointment,
    AuditEvent,
    Condition,
    CorrectionRequest,
    ImmunisationDose,
    OfflineDevice,
    Role,
    User,
)
from passport.records import actions
from tests.conftest import login
from tests.support.people import place

TODAY = timezone.localdate()


@pytest.fixture
def filled(her_passport, nurse_reach, asthma, young_person):
    actions.do_add_entry(nurse_reach, Appointment, {
        "on_date": TODAY + datetime.timedelta(days=5), "what_for": "Dentist check-up",
        "where": "Heaton Moor Dental", "status": "booked"})
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": datetime.date(2012, 7, 1), "source": "gp_record"})
    return her_passport


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # fires user_logged_in: "since your last visit" starts
    if user.role != Role.YOUNG_PERSON:
        login(client, user)
    return client


def test_her_home_shows_what_is_new_her_next_appointment_and_her_vaccinations(
        filled, young_person, her_nurse, nurse_reach):
    User.objects.filter(pk=young_person.pk).update(
        previous_visit=timezone.now() - datetime.timedelta(days=1))
    young_person.refresh_from_db()
    home = signed_in(young_person).get("/").content.decode()
    assert "Dentist check-up" in home  # the next appointment
    assert "MMR" in home  # vaccinations at a glance
    assert "New since your last visit" in home and "Asthma" in home
    assert "Birth weight" not in home  # not known yet: only if she asks
    # Next visit: nothing new any more.
    young_person.refresh_from_db()
    again = signed_in(young_person).get("/").content.decode()
    assert "Nothing new since your last visit." in again


def test_this_isnt_right_reaches_her_nurse_and_back(filled, young_person, her_nurse, asthma):
    owner = signed_in(young_person)
    url = f"/p/{filled.pk}/conditions/condition/{asthma.pk}/not-right/"
    assert "This isn't right" in owner.get(f"/p/{filled.pk}/conditions/").content.decode()
    empty = owner.post(url, {"message": ""})
    assert not CorrectionRequest.objects.exists()
    # Sent empty: the same box opens again, saying what to do.
    back = owner.get(empty["Location"]).content.decode()
    assert '<details class="not-right" open>' in back
    assert "Write what isn't right, then send it." in html.unescape(back)
    assert owner.post(url, {"message": "I stopped the inhaler in May."}).status_code == 302
    # Once sent, the entry says it is waiting for her nurse.
    mine = owner.get(f"/p/{filled.pk}/conditions/").content.decode()
    assert "You asked your nurse to look at this on" in mine
    nurse = signed_in(her_nurse)
    page = nurse.get(f"/p/{filled.pk}/conditions/").content.decode()
    assert "I stopped the inhaler in May." in page
    request = CorrectionRequest.objects.get()
    assert nurse.post(f"/p/{filled.pk}/corrections/{request.pk}/done/").status_code == 302
    looked = owner.get(f"/p/{filled.pk}/who-has-looked/").content.decode()
    assert "dealt with something you said wasn&#x27;t right" in looked
    carer = place(filled, "carer.sam", "Sam Jones")
    assert signed_in(carer).post(url, {"message": "x"}).status_code == 403
    assert CorrectionRequest.objects.count() == 1


def test_keeping_a_copy_on_this_phone_and_revoking_it(filled, young_person, her_nurse):
    owner = signed_in(young_person)
    assert 'data-offline-copy="off"' in owner.get("/").content.decode()
    response = owner.post("/settings/", {"step": "keep"}, HTTP_USER_AGENT=(
        "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"))
    assert response.status_code == 302
    home = owner.get("/").content.decode()
    assert 'data-offline-copy="on"' in home
    assert 'href="/my-copy/"' in home  # she finds her copy from home
    settings_page = owner.get("/settings/").content.decode()
    assert "Chrome · Android" in settings_page and "Do not do this on a shared phone" in (
        settings_page)
    copy = owner.get("/my-copy/")
    assert copy.status_code == 200 and "Asthma" in copy.content.decode()
    assert copy["Cache-Control"] == "no-store"  # never in the browser's HTTP cache
    device = OfflineDevice.objects.get()
    other_phone = signed_in(young_person)
    assert other_phone.post("/settings/", {"step": "revoke", "device": device.pk}
                            ).status_code == 302
    assert 'data-offline-copy="off"' in owner.get("/").content.decode()  # it deletes its copy
    assert signed_in(her_nurse).get("/my-copy/").status_code == 403
    assert signed_in(her_nurse).post("/settings/", {"step": "keep"}).status_code == 403


def test_quick_exit_and_sign_out_clear_everything_on_the_device(filled, young_person):
    owner = signed_in(young_person)
    assert "Quick exit" in owner.get("/").content.decode()
    # A link (or another site's image) to quick exit leaves, but signs nobody out.
    response = owner.get("/exit/")
    assert response.status_code == 302 and response.url.startswith("https://www.bbc.co.uk/")
    assert owner.get("/").status_code == 200
    # The button posts, with no CSRF token needed (a page left open for hours still works).
    owner.handler.enforce_csrf_checks = True
    response = owner.post("/exit/")
    assert response.status_code == 200
    moves_on = 'http-equiv="refresh" content="0; url=https://www.bbc.co.uk/'
    assert moves_on in response.content.decode()
    assert "storage" in response["Clear-Site-Data"] and "cache" in response["Clear-Site-Data"]
    assert owner.get("/").status_code == 302  # signed out
    owner = signed_in(young_person)
    response = owner.post("/accounts/logout/")
    assert "storage" in response["Clear-Site-Data"]


def test_her_language_is_remembered_on_her_account(filled, young_person):
    owner = signed_in(young_person)
    assert owner.post("/language/", {"language": "ar", "next": "/"}).status_code == 302
    young_person.refresh_from_db()
    assert young_person.language == "ar"
    elsewhere = signed_in(young_person)  # another phone, no cookie
    page = elsewhere.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert owner.post("/language/", {"language": "xx", "next": "https://evil.example/"}
                      ).url == "/"


def test_the_manifest_and_the_service_worker(db):
    client = Client()
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["name"] == "My Health" and manifest["display"] == "standalone"
    assert {"maskable", "any"} <= {icon["purpose"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert "/offline/" in worker.content.decode()
    offline = client.get("/offline/")
    assert offline.status_code == 200 and 'href="/my-copy/"' in offline.content.decode()
    assert client.get("/accessibility/").status_code == 200
    assert AuditEvent.objects.count() == 0


def test_her_copy_says_when_it_was_made_and_is_made_again_each_visit(filled, young_person,
                                                                       nurse_reach):
    """A copy read offline may be out of date: it says when it was made, and each visit
    online makes it again, with what was added since."""
    owner = signed_in(young_person)
    owner.post("/settings/", {"step": "keep"})
    made = timezone.localtime()
    first = owner.get("/my-copy/").content.decode()
    assert f"As it was on {made:%-d %B %Y}, " in first
    assert "Penicillin" not in first
    actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "Penicillin"})
    assert "Penicillin" in owner.get("/my-copy/").content.decode()


def test_her_language_is_offered_at_first_sign_in(her_passport, young_person, nurse_reach):
    """Her record says she speaks Arabic (written by her nurse before she signed in): the
    app offers itself in Arabic until she has chosen a language, either way."""
    from passport.models import Communication

    actions.do_add_entry(nurse_reach, Communication, {"languages": "Arabic, some Dari",
                                                      "interpreter_needed": True})
    owner = signed_in(young_person)
    home = owner.get("/").content.decode()
    assert 'name="language" value="ar"' in home
    assert "Your record says you speak Arabic." in home
    chosen = owner.post("/language/", {"language": "en-gb", "next": "/"})  # she keeps English
    assert chosen.status_code == 302
    young_person.refresh_from_db()
    assert young_person.language == "en-gb"
    assert 'name="language" value="ar"' not in signed_in(young_person).get("/").content.decode()
