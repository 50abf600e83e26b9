"""Second factors: required for every role but young people, through the real pages."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP

from passport.models import AuditEvent, Authenticator, BackupCode
from tests.conftest import PASSWORD, current_code, second_factor


def password_only(user) -> Client:
    """Signed in through the real sign-in page, with the password only."""
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_at(device: Authenticator, offset_steps: int) -> str:
    """The code `offset_steps` windows from now; near the end of a window, it waits for the
    next (a code read at :59.9 and checked at :00.1 belongs to a window already gone)."""
    if time.time() % device.step > device.step - 3:
        time.sleep(device.step - time.time() % device.step + 0.1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def test_a_professional_with_only_a_password_reaches_nothing(her_passport, her_nurse, asthma,
                                                             admin_user):
    second_factor(her_nurse)
    client = password_only(her_nurse)
    for url in ("/", f"/p/{her_passport.pk}/", f"/p/{her_passport.pk}/conditions/",
                f"/p/{her_passport.pk}/conditions/condition/{asthma.pk}/history/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/two-factor/")
    for url in (f"/api/v1/passports/{her_passport.pk}/conditions/",
                f"/api/v1/passports/{her_passport.pk}/conditions/condition/"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["title"] == "Sign in with your second factor first."
        assert "Asthma" not in response.content.decode()
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    second_factor(admin_user)
    response = password_only(admin_user).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")  # ours, not the admin's


def test_a_professional_without_an_authenticator_is_sent_to_set_one_up(her_nurse):
    client = password_only(her_nurse)
    response = client.get("/accounts/two-factor/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/")
    body = response.content.decode()
    assert "<svg" in body and "Key:" in body


def test_setting_up_an_authenticator_gives_backup_codes_and_a_new_session(her_nurse):
    client = password_only(her_nurse)
    client.get("/accounts/two-factor/setup/")
    device = Authenticator.objects.get(user=her_nurse, confirmed=False)
    assert device.tolerance == 0
    before = client.session.session_key
    wrong = client.post("/accounts/two-factor/setup/", {"device": device.pk, "code": "000000"})
    assert wrong.status_code == 400
    time.sleep(1.1)  # django-otp makes each failure wait longer before the next try
    response = client.post("/accounts/two-factor/setup/", {
        "device": device.pk, "code": code_at(device, 0), "next": "/"})
    assert response.status_code == 200
    assert "Your backup codes" in response.content.decode()
    assert BackupCode.objects.filter(device__user=her_nurse).count() == 10
    assert client.session.session_key != before
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="second_factor_added", actor=her_nurse).exists()


def test_a_code_works_once_and_only_in_its_own_window(her_nurse):
    device = second_factor(her_nurse)
    for offset in (-1, 1):  # the neighbouring windows django-otp would accept by default
        client = password_only(her_nurse)
        response = client.post("/accounts/two-factor/", {"code": code_at(device, offset)})
        assert response.status_code == 400, offset
        device.refresh_from_db()
        device.throttle_reset()  # refused for its window, not for the wait after a failure
    first = password_only(her_nurse)
    code = current_code(her_nurse)
    assert first.post("/accounts/two-factor/", {"code": code}).status_code == 302
    again = password_only(her_nurse)
    assert again.post("/accounts/two-factor/", {"code": code}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # refused as used, not as throttled
    assert again.get("/").status_code == 302


def test_a_backup_code_works_once(her_nurse):
    device = second_factor(her_nurse)
    assert device.tolerance == 0
    from passport.accounts import twofactor

    codes = twofactor._new_backup_codes(her_nurse)
    client = password_only(her_nurse)
    assert client.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    other = password_only(her_nurse)
    assert other.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 400
    assert BackupCode.objects.filter(device__user=her_nurse).count() == 9


def test_the_session_key_changes_at_login_and_after_the_second_factor(her_nurse):
    second_factor(her_nurse)
    client = Client()
    anonymous = client.session.session_key  # a session from before signing in
    assert anonymous
    client.post("/accounts/login/", {"username": her_nurse.username, "password": PASSWORD})
    after_password = client.session.session_key
    assert after_password != anonymous
    client.post("/accounts/two-factor/", {"code": current_code(her_nurse)})
    assert client.session.session_key not in (anonymous, after_password)


def test_a_young_person_needs_no_second_factor_until_she_turns_one_on(her_passport,
                                                                      young_person):
    client = password_only(young_person)
    assert client.get(f"/p/{her_passport.pk}/").status_code == 200
    second_factor(young_person)
    assert password_only(young_person).get(f"/p/{her_passport.pk}/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_the_next_address_cannot_leave_the_site(her_nurse, target):
    client = password_only(her_nurse)
    response = client.post("/accounts/two-factor/", {"code": current_code(her_nurse),
                                                     "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def every_path(passport, entry) -> list[str]:
    """Every URL of the pages and the API, with real identifiers filled in."""
    import re as _re

    from django.urls import URLPattern

    from api import urls as api_urls
    from frontend import urls as frontend_urls

    values = {"uuid:passport_id": passport.pk, "slug:section": "conditions",
              "slug:type_key": "condition", "uuid:entry_id": entry.pk, "slug:slug": "childline",
              "str:token": "x" * 43, "uidb64": "MQ", "token": "set-password",
              "uuid:grant_id": "00000000-0000-4000-8000-000000000000",
              "uuid:link_id": "00000000-0000-4000-8000-000000000000",
              "uuid:hold_id": "00000000-0000-4000-8000-000000000000",
              "uuid:request_id": "00000000-0000-4000-8000-000000000000",
              "uuid:token_id": "00000000-0000-4000-8000-000000000000",
              "uuid:import_id": "00000000-0000-4000-8000-000000000000",
              "uuid:placement_id": "00000000-0000-4000-8000-000000000000",
              "uuid:session_id": "00000000-0000-4000-8000-000000000000"}
    paths = []
    for prefix, module in (("/", frontend_urls), ("/api/", api_urls)):
        for pattern in module.urlpatterns:
            if not isinstance(pattern, URLPattern):
                continue  # the passkey URLs: listed below
            route = str(pattern.pattern)
            paths.append(prefix + _re.sub(r"<([^>]+)>", lambda m: str(values[m.group(1)]),
                                          route))
    return [*paths, "/admin/", "/admin/passport/passport/", "/webauthn/registration/begin/",
            "/webauthn/registration/complete/"]


def test_a_password_only_session_opens_nothing_but_the_open_pages(her_passport, her_nurse,
                                                                   asthma):
    from django.urls import resolve

    from frontend.twofactor import OPEN_URL_NAMES
    from passport.models import Condition

    second_factor(her_nurse)
    client = password_only(her_nurse)
    before = Condition.objects.count()
    for path in every_path(her_passport, asthma):
        name = resolve(path).view_name
        for method in (client.get, client.post):
            response = method(path)
            if name in OPEN_URL_NAMES:
                continue
            assert response.status_code in (302, 403), (method.__name__, path)
            assert "Asthma" not in response.content.decode()
    assert Condition.objects.count() == before
