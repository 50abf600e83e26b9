"""Passkeys: registration needs a session that has passed the user's existing second factor."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD, current_code, second_factor

BEGIN = "/webauthn/registration/begin/"


def password_only(user) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username,
                                            "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("who", ["her_nurse", "young_person"])
def test_registration_from_a_password_only_session_is_refused(request, who):
    user = request.getfixturevalue(who)
    second_factor(user)  # she already has a device
    client = password_only(user)
    response = client.post(BEGIN, content_type="application/json")
    assert response.status_code in (302, 403)
    assert "challenge" not in response.content.decode()
    assert "otp_webauthn_register_state" not in client.session


def test_registration_after_the_second_factor_is_allowed(her_nurse):
    second_factor(her_nurse)
    client = password_only(her_nurse)
    assert client.post("/accounts/two-factor/", {"code": current_code(her_nurse)}
                       ).status_code == 302
    response = client.post(BEGIN, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["challenge"]
    assert response.json()["rp"]["name"] == "My Health"


def test_a_young_person_without_a_factor_may_add_a_passkey(young_person):
    client = password_only(young_person)
    response = client.post(BEGIN, content_type="application/json")
    assert response.status_code == 200 and response.json()["challenge"]


def test_the_passkey_pages_offer_it_and_pass_the_second_factor_page(her_nurse):
    second_factor(her_nurse)
    client = password_only(her_nurse)
    verify = client.get("/accounts/two-factor/").content.decode()
    assert 'id="passkey-verification-placeholder"' in verify
    assert "otp_webauthn_auth.js" in verify
    # Starting a passkey check is open before the second factor (it is the second factor).
    begin = client.post("/webauthn/authentication/begin/", content_type="application/json")
    assert begin.status_code == 200
    assert client.get("/accounts/passkeys/").status_code == 302  # but not the settings page
