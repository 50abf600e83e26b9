"""A young person with no email who forgot her password sets a new one with
a one-time code from her health team, through the real pages. Nobody else sees her password;
the code works once, for 15 minutes, and a few wrong tries void it; her other sessions and her
API tokens end; she sees both steps in "who has looked"."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from passport.models import RecoveryCode, Role, User
from passport.records import actions
from tests.api.test_tokens import as_token
from tests.conftest import current_code, login, make_user, second_factor
from tests.support.people import assign

NEW = "My own new passphrase 2026"
REFUSED = "do not match a code that is still valid"


def issue(client, passport) -> str:
    page = client.get(f"/p/{passport.pk}/")
    assert "Give them a code to set a new password" in page.content.decode()
    response = client.post(f"/p/{passport.pk}/password-code/", {"confirmed": "on"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return re.search(r"<code>([A-Z0-9-]{14})</code>", response.content.decode()).group(1)


def use(username, code, password=NEW, client=None):
    client = client or Client()
    return client.post("/accounts/password-code/", {
        "username": username, "code": code, "password1": password, "password2": password})


def test_her_nurse_gives_a_code_and_she_sets_her_own_password(her_passport, her_nurse,
                                                              young_person):
    her_old_phone = login(Client(), young_person)
    device = second_factor(young_person)  # a token needs her second factor passed
    with_factor = login(Client(), young_person)
    session = with_factor.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page = with_factor.post("/settings/api-tokens/", {"name": "My app", "days": 30})
    secret = re.search(r"<code>(hp_[^<]+)</code>", page.content.decode()).group(1)
    assert as_token(secret).get(f"/api/v1/passports/{her_passport.pk}/conditions/"
                                ).status_code == 200
    nurse = login(Client(), her_nurse)
    code = issue(nurse, her_passport)
    assert not RecoveryCode.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
    login_page = Client().get("/accounts/login/").content.decode()
    assert "I have a code from my nurse or adviser" in login_page

    response = use(young_person.username, code.lower())  # dashes and case do not matter
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": young_person.username,
                                           "password": NEW}).status_code == 302
    assert fresh.post("/accounts/two-factor/", {"code": current_code(young_person)}
                      ).status_code == 302  # her second factor is hers still
    assert fresh.get(f"/p/{her_passport.pk}/").status_code == 200
    # The lost phone's session and her token are over.
    assert her_old_phone.get(f"/p/{her_passport.pk}/").status_code == 302
    assert as_token(secret).get(f"/api/v1/passports/{her_passport.pk}/conditions/"
                                ).status_code in {401, 403}
    # The code works once.
    assert REFUSED in use(young_person.username, code, "Another passphrase 77").content.decode()
    # Both steps in her "who has looked", under her nurse's name.
    looked = fresh.get(f"/p/{her_passport.pk}/who-has-looked/").content.decode()
    assert "gave you a code to set a new password" in looked
    assert "gave you a code, and it was used to set your new password" in looked
    assert her_nurse.display_name in looked


def test_every_refusal_reads_the_same_and_five_wrong_tries_void_the_code(
        her_passport, her_nurse, young_person):
    code = issue(login(Client(), her_nurse), her_passport)
    answers = {use("nobody-by-this-name", code).content.decode().count(REFUSED)}
    for _try in range(5):
        response = use(young_person.username, "AAAA-BBBB-CCCC")
        assert response.status_code == 400
        answers.add(response.content.decode().count(REFUSED))
    assert len(answers) == 1 and 0 not in answers  # the same words, whatever was wrong
    assert REFUSED in use(young_person.username, code).content.decode()  # void now
    young_person.refresh_from_db()
    assert not young_person.check_password(NEW)


def test_a_code_lasts_fifteen_minutes_and_a_new_one_ends_the_old(her_passport, her_nurse,
                                                                 young_person):
    nurse = login(Client(), her_nurse)
    first = issue(nurse, her_passport)
    second = issue(nurse, her_passport)
    assert REFUSED in use(young_person.username, first).content.decode()
    RecoveryCode.objects.filter(user=young_person).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert REFUSED in use(young_person.username, second).content.decode()


def test_a_weak_password_is_refused_and_the_code_still_works(her_passport, her_nurse,
                                                             young_person):
    code = issue(login(Client(), her_nurse), her_passport)
    response = use(young_person.username, code, "short")
    assert response.status_code == 400 and REFUSED not in response.content.decode()
    assert use(young_person.username, code).status_code == 302


@pytest.mark.parametrize("role", [Role.CARER, Role.SOCIAL_WORKER, Role.ADMIN, Role.DOCTOR])
def test_only_her_health_team_or_personal_adviser_may_give_a_code(her_passport, role):
    someone = make_user(f"someone-{role}", role, "Someone")
    if role == Role.SOCIAL_WORKER:
        assign(her_passport, someone)
    client = login(Client(), someone)
    response = client.post(f"/p/{her_passport.pk}/password-code/", {"confirmed": "on"})
    assert response.status_code in {403, 404}
    assert not RecoveryCode.objects.exists()


def test_her_personal_adviser_may_give_a_code(admin_user):
    young_person = make_user("jay", Role.YOUNG_PERSON)
    at_seventeen = actions.do_create_passport(
        admin_user, legal_name="Jay Smith", chosen_name="", nhs_number="",
        date_of_birth=timezone.localdate() - datetime.timedelta(days=17 * 366),
        owner=young_person)
    adviser = assign(at_seventeen, "leah", "Leah Novak", Role.PERSONAL_ADVISER, by=admin_user)
    code = issue(login(Client(), adviser), at_seventeen)
    assert use(young_person.username, code).status_code == 302
    assert User.objects.get(pk=young_person.pk).check_password(NEW)


def test_the_page_needs_the_confirmation_ticked(her_passport, her_nurse):
    response = login(Client(), her_nurse).post(f"/p/{her_passport.pk}/password-code/", {})
    assert response.status_code == 400
    assert not RecoveryCode.objects.exists()
