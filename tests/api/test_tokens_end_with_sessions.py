"""An API token does not outlive the sessions it came with. Signing out
everywhere, a new password from the emailed link, and her second factor reset by her nurse
each end the person's tokens, through the real pages; the pages say so."""

import re

from django.core import mail
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from passport.models import AuditEvent, User
from tests.api.test_tokens import as_token, make_token
from tests.conftest import login, second_factor


def works(secret: str, passport) -> bool:
    return as_token(secret).get(f"/api/v1/passports/{passport.pk}/conditions/").status_code == 200


def test_signing_out_everywhere_ends_her_tokens(her_passport, her_nurse, asthma):
    secret = make_token(her_nurse)
    assert works(secret, her_passport)
    client = login(Client(), her_nurse)
    assert "ends your API tokens" in client.get(
        "/accounts/sign-out-everywhere/").content.decode()
    assert client.post("/accounts/sign-out-everywhere/").status_code == 302
    assert not works(secret, her_passport)
    assert AuditEvent.objects.filter(actor=her_nurse, action="api_tokens_ended").count() == 1


def test_a_new_password_from_the_emailed_link_ends_her_tokens(her_passport, her_nurse, asthma):
    User.objects.filter(pk=her_nurse.pk).update(email="priya@nhs.example")
    second_factor(her_nurse)
    secret = make_token(her_nurse)
    client = Client()
    client.post("/accounts/password-reset/", {"email": "priya@nhs.example"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "ends your API tokens" in form.content.decode()  # it says so before she chooses
    done = client.post(form.redirect_chain[-1][0], {
        "new_password1": "A new long passphrase 42", "new_password2": "A new long passphrase 42"})
    assert done.status_code == 302
    assert not works(secret, her_passport)


def test_a_second_factor_reset_ends_her_tokens(her_passport, young_person, her_nurse, asthma):
    device = second_factor(young_person)
    client = login(Client(), young_person)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # she passed her second factor
    session.save()
    page = client.post("/settings/api-tokens/", {"name": "My app", "days": 30})
    secret = re.search(r"<code>(hp_[^<]+)</code>", page.content.decode()).group(1)
    assert works(secret, her_passport)
    nurse = login(Client(), her_nurse)
    assert "ends their API tokens" in nurse.get(
        f"/p/{her_passport.pk}/reset-second-factor/").content.decode()
    response = nurse.post(f"/p/{her_passport.pk}/reset-second-factor/", {"confirmed": "on"})
    assert response.status_code == 302, response.content.decode()[:1000]
    assert not works(secret, her_passport)


def test_a_token_made_after_signing_out_everywhere_works(her_passport, her_nurse, asthma):
    login(Client(), her_nurse).post("/accounts/sign-out-everywhere/")
    assert works(make_token(her_nurse, "New one"), her_passport)
