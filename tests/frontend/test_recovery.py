"""Recovery: password reset never skips the second factor; a nurse resets a young person's
lost factor, and it is logged for her to see."""

import re

import pytest
from django.core import mail
from django.test import Client

from passport.models import AuditEvent, Authenticator, User
from tests.conftest import current_code, login, second_factor


def test_a_password_reset_still_asks_for_the_second_factor(her_passport, her_nurse):
    User.objects.filter(pk=her_nurse.pk).update(email="priya@nhs.example")
    second_factor(her_nurse)
    client = Client()
    client.post("/accounts/password-reset/", {"email": "priya@nhs.example"})
    assert len(mail.outbox) == 1
    assert "Samantha" not in mail.outbox[0].body  # neutral: no health content, no names
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "A new long passphrase 42",
                                            "new_password2": "A new long passphrase 42"})
    assert client.get(f"/p/{her_passport.pk}/").status_code == 302  # not signed in by it
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": her_nurse.username,
                                           "password": "A new long passphrase 42"}
                      ).status_code == 302
    response = fresh.get(f"/p/{her_passport.pk}/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/two-factor/")
    assert fresh.post("/accounts/two-factor/", {"code": current_code(her_nurse)}
                      ).status_code == 302
    assert fresh.get(f"/p/{her_passport.pk}/").status_code == 200


def test_a_reset_link_works_once(her_nurse):
    User.objects.filter(pk=her_nurse.pk).update(email="priya@nhs.example")
    client = Client()
    client.post("/accounts/password-reset/", {"email": "priya@nhs.example"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True).redirect_chain[-1][0]
    new = {"new_password1": "A new long passphrase 42", "new_password2": "A new long passphrase 42"}
    assert client.post(page, new).status_code == 302
    again = Client().get(link, follow=True)
    assert "This link has expired or has been used." in again.content.decode()


def test_her_nurse_resets_a_lost_second_factor_and_it_is_logged(her_passport, her_nurse,
                                                               young_person):
    second_factor(young_person)
    client = login(Client(), her_nurse)
    url = f"/p/{her_passport.pk}/reset-second-factor/"
    assert client.post(url, {}).status_code == 400  # she must confirm who they are
    assert Authenticator.objects.filter(user=young_person).exists()
    assert client.post(url, {"confirmed": "on"}).status_code == 302
    assert not Authenticator.objects.filter(user=young_person).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert (event.actor, event.passport_id) == (her_nurse, her_passport.pk)


@pytest.mark.parametrize("who", ["other_nurse", "stranger", "young_person"])
def test_no_one_else_can_reset_it(request, her_passport, young_person, who):
    second_factor(young_person)
    client = login(Client(), request.getfixturevalue(who))
    response = client.post(f"/p/{her_passport.pk}/reset-second-factor/", {"confirmed": "on"})
    assert response.status_code in (302, 403, 404)
    assert Authenticator.objects.filter(user=young_person).exists()


def test_a_reset_removes_passkeys_too_and_ends_her_sessions(her_passport, her_nurse,
                                                           young_person):
    from django_otp_webauthn.models import WebAuthnCredential

    second_factor(young_person)
    WebAuthnCredential.objects.create(user=young_person, name="Lost phone", confirmed=True,
                                      credential_id=b"lost-phone", public_key=b"key",
                                      sign_count=0)
    her_phone = Client()
    assert her_phone.post("/accounts/login/", {"username": young_person.username,
                                               "password": "correct horse battery staple"}
                          ).status_code == 302
    her_phone.post("/accounts/two-factor/", {"code": current_code(young_person)})
    assert her_phone.get(f"/p/{her_passport.pk}/").status_code == 200
    login(Client(), her_nurse).post(f"/p/{her_passport.pk}/reset-second-factor/",
                                    {"confirmed": "on"})
    assert not WebAuthnCredential.objects.filter(user=young_person).exists()
    assert her_phone.get(f"/p/{her_passport.pk}/").status_code == 302  # signed out
