"""Sessions: idle and absolute limits, sign out everywhere, disabled accounts."""

import datetime

from django.test import Client
from django.utils import timezone

from passport.accounts import sessions
from passport.models import User
from tests.conftest import PASSWORD, current_code, second_factor


def signed_in(user, stay: bool = False) -> Client:
    """Through the real pages: password (and the second factor for professionals)."""
    client = Client()
    data = {"username": user.username, "password": PASSWORD}
    if stay:
        data["stay_signed_in"] = "on"
    assert client.post("/accounts/login/", data).status_code == 302
    if user.role != "young_person":
        second_factor(user)
        assert client.post("/accounts/two-factor/", {"code": current_code(user)}
                           ).status_code == 302
    return client


def age_session(client: Client, *, idle: datetime.timedelta,
                started: datetime.timedelta | None = None) -> None:
    """Move the session's clock back, as if time had passed."""
    session = client.session
    now = timezone.now()
    session[sessions.SEEN] = (now - idle).isoformat()
    if started is not None:
        session[sessions.STARTED] = (now - started).isoformat()
    session.save()


def test_thirty_idle_minutes_end_a_professionals_session(her_passport, her_nurse):
    client = signed_in(her_nurse)
    age_session(client, idle=datetime.timedelta(minutes=29))
    assert client.get(f"/p/{her_passport.pk}/").status_code == 200
    age_session(client, idle=datetime.timedelta(minutes=31))
    response = client.get(f"/p/{her_passport.pk}/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?ended=1"
    assert "signed out to keep your account safe" in client.get(response["Location"]
                                                               ).content.decode()
    assert client.get(f"/p/{her_passport.pk}/").status_code == 302  # really signed out


def test_the_api_answers_401_when_the_session_has_ended(her_passport, her_nurse):
    client = signed_in(her_nurse)
    age_session(client, idle=datetime.timedelta(hours=1))
    response = client.get(f"/api/v1/passports/{her_passport.pk}/conditions/")
    assert response.status_code == 401


def test_a_busy_session_still_ends_at_its_absolute_limit(her_passport, her_nurse):
    client = signed_in(her_nurse)
    age_session(client, idle=datetime.timedelta(minutes=1), started=datetime.timedelta(hours=13))
    assert client.get(f"/p/{her_passport.pk}/").status_code == 302


def test_a_young_person_may_stay_signed_in_on_her_own_phone(her_passport, young_person):
    short = signed_in(young_person)
    age_session(short, idle=datetime.timedelta(hours=2))
    assert short.get(f"/p/{her_passport.pk}/").status_code == 302
    own_phone = signed_in(young_person, stay=True)
    age_session(own_phone, idle=datetime.timedelta(days=3))
    assert own_phone.get(f"/p/{her_passport.pk}/").status_code == 200
    age_session(own_phone, idle=datetime.timedelta(days=15))
    assert own_phone.get(f"/p/{her_passport.pk}/").status_code == 302


def test_a_professional_cannot_choose_a_long_session(her_nurse):
    client = signed_in(her_nurse, stay=True)
    assert client.session[sessions.LONG] is False


def test_sign_out_everywhere_ends_every_session(her_passport, young_person):
    phone, laptop = signed_in(young_person), signed_in(young_person)
    assert laptop.get(f"/p/{her_passport.pk}/").status_code == 200
    phone.post("/accounts/sign-out-everywhere/")
    assert phone.get(f"/p/{her_passport.pk}/").status_code == 302
    assert laptop.get(f"/p/{her_passport.pk}/").status_code == 302
    assert signed_in(young_person).get(f"/p/{her_passport.pk}/").status_code == 200


def test_disabling_an_account_ends_its_sessions(her_passport, her_nurse):
    client = signed_in(her_nurse)
    User.objects.filter(pk=her_nurse.pk).update(is_active=False)
    assert client.get(f"/p/{her_passport.pk}/").status_code == 302
    assert Client().post("/accounts/login/", {"username": her_nurse.username,
                                              "password": PASSWORD}).status_code == 200
