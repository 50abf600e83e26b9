"""Reminders on her phone through the pages (decision 0057): her settings offer them only
where she stays signed in; her browser's subscription is taken as JSON; they end when she
signs out there, signs out everywhere, uses quick exit, or ends that session from her list;
nobody else turns them on."""

import datetime
import json

import pytest

from passport.models import PushSubscription, SignedInSession
from tests.frontend.test_sessions import signed_in
from tests.support.push_service import Browser

ENDPOINT = "http://127.0.0.1:9/push/"


@pytest.fixture(autouse=True)
def loopback(settings):
    settings.HP_PUSH_ALLOW_LOOPBACK = True


def _subscribe(client, name="a"):
    return client.post("/settings/reminders/", json.dumps(
        {"subscription": Browser().subscription(ENDPOINT + name)}),
        content_type="application/json")


def test_her_settings_offer_reminders_where_she_stays_signed_in(her_passport, young_person):
    short = signed_in(young_person)
    page = short.get("/settings/").content.decode()
    assert "Reminders on this phone" in page and "data-push-on" not in page
    assert "Reminders come only to a phone where you stay signed in." in page
    assert _subscribe(short).status_code == 400
    assert not PushSubscription.objects.exists()

    phone = signed_in(young_person, stay=True)
    page = phone.get("/settings/").content.decode()
    assert "data-push-on" in page and "Reminders are off for this phone." in page
    assert "On an iPhone, reminders work only once My Health is on your home screen" in page
    assert "My Health: you have something new" in page
    assert _subscribe(phone).status_code == 201
    page = phone.get("/settings/").content.decode()
    assert "Reminders are on for this phone." in page and "Chrome" not in page  # test client
    assert PushSubscription.objects.get().user == young_person


def test_a_bad_or_foreign_subscription_is_refused_with_a_clear_message(her_passport,
                                                                     young_person, settings):
    phone = signed_in(young_person, stay=True)
    settings.HP_PUSH_ALLOW_LOOPBACK = False
    refused = _subscribe(phone)
    assert refused.status_code == 400
    assert "reminder service is not one My Health knows" in refused.json()["error"]
    assert phone.post("/settings/reminders/", "not json", content_type="application/json"
                      ).status_code == 400
    assert phone.post("/settings/reminders/", json.dumps({"subscription": {"endpoint": 1}}),
                      content_type="application/json").status_code == 400
    assert not PushSubscription.objects.exists()


def test_nobody_else_turns_them_on(her_passport, her_nurse, young_person):
    nurse = signed_in(her_nurse)
    assert _subscribe(nurse).status_code == 400
    assert "Reminders on this phone" not in nurse.get("/settings/").content.decode()
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("how", ["sign_out", "everywhere", "quick_exit", "ended_from_list",
                                 "turned_off", "stopped_in_list", "password_changed"])
def test_they_end(her_passport, young_person, how):
    phone = signed_in(young_person, stay=True)
    other = signed_in(young_person, stay=True)
    assert _subscribe(phone, "phone").status_code == 201
    assert _subscribe(other, "tablet").status_code == 201
    mine = PushSubscription.objects.get(session_id=phone.session["hp_session"])
    if how == "sign_out":
        phone.post("/accounts/logout/")
    elif how == "everywhere":
        other.post("/accounts/sign-out-everywhere/")
    elif how == "quick_exit":
        phone.post("/exit/")
    elif how == "ended_from_list":
        other.post(f"/accounts/sessions/{mine.session_id}/end/")
    elif how == "turned_off":
        phone.post("/settings/reminders/", json.dumps({"unsubscribe": ENDPOINT + "phone"}),
                   content_type="application/json")
    elif how == "stopped_in_list":
        other.post("/settings/", {"step": "push_stop", "device": str(mine.pk)})
    elif how == "password_changed":
        from tests.conftest import PASSWORD

        other.post("/accounts/password/", {
            "old_password": PASSWORD, "new_password1": "a new long passphrase 42",
            "new_password2": "a new long passphrase 42"})
    left = set(PushSubscription.objects.values_list("session_id", flat=True))
    assert mine.session_id not in left
    if how == "everywhere":
        assert left == set()
    elif how != "password_changed":
        assert SignedInSession.objects.get(pk=other.session["hp_session"]).pk in left


def test_she_chooses_how_often(her_passport, young_person):
    phone = signed_in(young_person, stay=True)
    phone.post("/settings/", {"step": "push_often", "often": "each"})
    young_person.refresh_from_db()
    assert young_person.reminders_each_time
    phone.post("/settings/", {"step": "push_often", "often": "daily"})
    young_person.refresh_from_db()
    assert not young_person.reminders_each_time


def test_she_cannot_stop_another_persons_reminders(her_passport, young_person, admin_user):
    from passport.models import Role
    from passport.records import actions
    from tests.conftest import make_user

    other = make_user("yp.other", Role.YOUNG_PERSON)
    actions.do_create_passport(admin_user, legal_name="Other Person", owner=other,
                               date_of_birth=datetime.date(2010, 1, 1))
    theirs = signed_in(other, stay=True)
    assert _subscribe(theirs, "theirs").status_code == 201
    target = PushSubscription.objects.get()
    phone = signed_in(young_person, stay=True)
    phone.post("/settings/", {"step": "push_stop", "device": str(target.pk)})
    phone.post("/settings/reminders/", json.dumps({"unsubscribe": ENDPOINT + "theirs"}),
               content_type="application/json")
    assert PushSubscription.objects.filter(pk=target.pk).exists()


def test_a_new_password_from_the_emailed_link_ends_them(her_passport, young_person):
    """The reviewer's: the reset page signs out no session of hers (Django just refuses
    them), so a lost phone kept its reminders for up to 14 days."""
    import re

    from django.core import mail
    from django.test import Client

    from passport.models import User

    User.objects.filter(pk=young_person.pk).update(email="sam@example.org")
    phone = signed_in(young_person, stay=True)
    assert _subscribe(phone).status_code == 201
    client = Client()
    client.post("/accounts/password-reset/", {"email": "sam@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True).redirect_chain[-1][0]
    assert client.post(page, {"new_password1": "A new long passphrase 42",
                              "new_password2": "A new long passphrase 42"}).status_code == 302
    assert not PushSubscription.objects.exists()
    assert not SignedInSession.objects.filter(user=young_person, ended_at__isnull=True).exists()


def test_turning_off_with_no_address_ends_this_phones(her_passport, young_person):
    phone = signed_in(young_person, stay=True)
    assert _subscribe(phone).status_code == 201
    phone.post("/settings/reminders/", json.dumps({"unsubscribe": ""}),
               content_type="application/json")
    assert not PushSubscription.objects.exists()
