"""The Django admin cannot take over an account.

As the demo admin, through the real admin pages: every admin URL is walked, none sets a
password or removes a second factor, and the two takeovers a penetration test found (set a
young person's password and sign in as her; delete the doctor's authenticator, set his password
and enrol a new one) fail end to end. What widens someone's reach waits for a second admin.
"""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from passport.models import (
    AuditEvent,
    Authenticator,
    BackupCodes,
    HealthTeam,
    Invitation,
    Passport,
    ReachChange,
    User,
)
from tests.conftest import login
from tests.support.links import open_link

NEW_PASSWORD = "Taken over 2026 by the admin"


@pytest.fixture
def admin_client(loaded):
    return login(Client(), User.objects.get(username="admin"))


@pytest.fixture
def second_admin(loaded):
    return login(Client(), User.objects.get(username="admin2"))


def every_admin_url() -> list[str]:
    """Each registered model's list, add page, and for every row its change, history, delete
    and (for accounts) password pages."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        for pk in model._default_manager.values_list("pk", flat=True):
            urls += [reverse(f"{name}_{page}", args=[pk])
                     for page in ("change", "history", "delete")]
            if model is User:
                urls.append(reverse("admin:auth_user_password_change", args=[pk]))
    return urls


def test_no_admin_page_offers_a_password_or_removes_a_second_factor(admin_client):
    urls = every_admin_url()
    assert len(urls) > 100
    password_pages = [u for u in urls if u.endswith("/password/")]
    assert len(password_pages) == User.objects.count()
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code in {200, 302, 403}, url
        body = response.content.decode()
        assert 'type="password"' not in body, url
        assert "change-password" not in body and "/password/" not in body, url
        if url.endswith("/password/"):
            assert response.status_code == 403, url
        if "/otp_" in url or "webauthn" in url:
            assert response.status_code == 403 or "/delete/" not in url, url
            assert 'value="delete_selected"' not in body, url


def test_the_admin_cannot_set_a_young_persons_password_and_read_her_passport(admin_client):
    her = User.objects.get(username="yp.demo2")
    before = her.password
    url = reverse("admin:auth_user_password_change", args=[her.pk])
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                       "usable_password": "true"})
    assert response.status_code == 403
    # Nor through the account's own page, with a password slipped into the form.
    change = reverse("admin:passport_user_change", args=[her.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.pop("groups", None), data.pop("user_permissions", None)
    data |= {"password": NEW_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
             "last_login_0": "", "last_login_1": ""}
    assert admin_client.post(change, data).status_code == 302
    her.refresh_from_db()
    assert her.password == before
    attacker = Client()
    response = attacker.post("/accounts/login/", {"username": "yp.demo2",
                                                  "password": NEW_PASSWORD})
    assert response.status_code == 200 and "did not match" in response.content.decode()
    passport = Passport.objects.get(owner=her)
    assert attacker.get(f"/p/{passport.pk}/sexual_health/").status_code == 302  # to sign in


def test_the_admin_cannot_remove_the_doctors_authenticator(admin_client):
    doctor = User.objects.get(username="doctor")
    device = Authenticator.objects.get(user=doctor)
    opts = Authenticator._meta
    delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[device.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [device.pk],
                                   "post": "yes"})
    assert Authenticator.objects.filter(pk=device.pk, confirmed=True).exists()
    # So with his password (which the admin cannot set anyway) a stranger is still asked for
    # his code, and cannot set up a new authenticator in its place.
    doctor.set_password(NEW_PASSWORD)
    doctor.save()
    stranger = Client()
    assert stranger.post("/accounts/login/", {"username": "doctor",
                                              "password": NEW_PASSWORD}).status_code == 302
    setup = stranger.get("/accounts/two-factor/setup/")
    assert setup.status_code == 302 and setup["Location"].startswith("/accounts/two-factor/")
    passport = Passport.objects.filter(assignments__professional=doctor).first()
    response = stranger.get(f"/p/{passport.pk}/family_history/")
    assert response.status_code == 302 and "/two-factor/" in response["Location"]
    # Nor the backup codes.
    codes = BackupCodes.objects.create(user=doctor, name="Backup codes", confirmed=True)
    opts = BackupCodes._meta
    delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[codes.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def _post_user_change(client, user, **changes):
    url = reverse("admin:passport_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.pop("groups", None), data.pop("user_permissions", None)
    data |= {"last_login_0": "", "last_login_1": "",
             "team": user.team_id or "", "organisation": user.organisation_id or ""}
    if user.named_safeguarding_nurse:
        data["named_safeguarding_nurse"] = "on"
    else:
        data.pop("named_safeguarding_nurse", None)
    if user.is_active:
        data["is_active"] = "on"
    else:
        data.pop("is_active", None)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(url, data, follow=True)


def _confirm(client, change):
    return client.post(reverse("admin:passport_reachchange_changelist"),
                       {"action": "confirm", "_selected_action": [change.pk]}, follow=True)


def test_a_team_change_waits_for_a_different_admin(admin_client, second_admin):
    lead = User.objects.get(username="teamlead")
    other = HealthTeam.objects.create(name="Rochdale LAC health",
                                      organisation=lead.team.organisation)
    rochdale_child = Passport.objects.first()
    Passport.objects.filter(pk=rochdale_child.pk).update(health_team=other)
    response = _post_user_change(admin_client, lead, team=other.pk)
    body = response.content.decode()
    assert "Not changed yet" in body and "waits for a different administrator" in body
    lead.refresh_from_db()
    assert lead.team != other
    change = ReachChange.objects.get(user=lead, kind="team", outcome="")
    # It shows, waiting, on her account and in the list.
    page = admin_client.get(reverse("admin:passport_user_change", args=[lead.pk]))
    assert "asked for by Alex Morgan" in page.content.decode()
    # The admin who asked cannot confirm it himself.
    response = _confirm(admin_client, change)
    assert "A different administrator must confirm" in response.content.decode()
    lead.refresh_from_db()
    assert lead.team != other
    _confirm(second_admin, change)
    lead.refresh_from_db()
    assert lead.team == other
    events = AuditEvent.objects.filter(object_id=change.pk).values_list("action", flat=True)
    assert set(events) == {"reach_change_requested", "reach_change_confirmed"}
    # The young person whose passport her new team holds sees who was added.
    assert AuditEvent.objects.filter(passport=rochdale_child, action="team_lead_added",
                                     object_id=lead.pk).exists()


def test_what_narrows_reach_is_done_at_once(admin_client):
    nurse = User.objects.get(username="safeguarding")
    assert nurse.named_safeguarding_nurse
    _post_user_change(admin_client, nurse, named_safeguarding_nurse=False, is_active=False)
    nurse.refresh_from_db()
    assert not nurse.named_safeguarding_nurse and not nurse.is_active
    # Reopening it is a widening: it waits.
    _post_user_change(admin_client, nurse, is_active="on")
    nurse.refresh_from_db()
    assert not nurse.is_active
    assert ReachChange.objects.filter(user=nurse, kind="is_active", outcome="").exists()


def test_an_email_change_waits_so_the_admin_cannot_send_himself_her_reset(admin_client):
    doctor = User.objects.get(username="doctor")
    _post_user_change(admin_client, doctor, email="attacker@example.com")
    doctor.refresh_from_db()
    assert doctor.email == "doctor@example.org"
    response = Client().post("/accounts/password-reset/", {"email": "attacker@example.com"})
    assert response.status_code == 302
    from django.core import mail

    assert mail.outbox == []


def test_an_invitation_for_an_admin_works_only_once_a_second_admin_confirms(
        admin_client, second_admin):
    from django.core import mail

    response = admin_client.post("/accounts/invite/", {
        "role": "admin", "display_name": "Kit Evans", "email": "kit.evans@nhs.example"})
    assert response.status_code == 200
    body = response.content.decode()
    # Neither admin ever sees the link: it goes to the invitee's email once confirmed.
    assert "confirm it" in body and "kit.evans@nhs.example" in body
    assert "/accounts/invitation/#" not in body and mail.outbox == []
    change = ReachChange.objects.get(kind="invitation", outcome="")
    _confirm(admin_client, change)  # the asker cannot confirm it
    assert mail.outbox == []
    _confirm(second_admin, change)
    assert [m.to for m in mail.outbox] == [["kit.evans@nhs.example"]]
    link = re.search(r"https?://[^/\s]+(/accounts/invitation/#\S+)", mail.outbox[0].body).group(1)
    assert "Kit" not in mail.outbox[0].body  # no name, nothing about anyone
    invitee = Client()
    form = open_link(invitee, link)["Location"]
    assert invitee.get(form).status_code == 200
    response = invitee.post(form, {"username": "kit.evans", "password1": "A long new passphrase 7",
                                   "password2": "A long new passphrase 7"})
    assert response.status_code == 302
    kit = User.objects.get(username="kit.evans")
    assert kit.role == "admin" and kit.is_staff


def test_an_admin_invitation_needs_an_email(admin_client):
    response = admin_client.post("/accounts/invite/", {"role": "admin",
                                                       "display_name": "Kit Evans"})
    assert response.status_code == 400 and "Give their work email" in response.content.decode()
    assert not Invitation.objects.exists()


def test_closing_an_account_ends_its_tokens_for_good(admin_client, second_admin):
    from tests.api.test_tokens import as_token, make_token

    nurse = User.objects.get(username="nurse")
    secret = make_token(nurse)
    _post_user_change(admin_client, nurse, is_active=False)
    _post_user_change(admin_client, nurse, is_active="on")  # reopening waits for a second admin
    _confirm(second_admin, ReachChange.objects.get(user=nurse, kind="is_active", outcome=""))
    nurse.refresh_from_db()
    assert nurse.is_active
    assert as_token(secret).get("/api/v1/passports/").status_code in {401, 403}
