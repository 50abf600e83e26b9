"""The Django admin, as the demo admin: every page opens, and none shows a section's content.
Names and dates of birth may show; nothing a young person's sections hold may."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from passport.models import CareTeamAssignment, Passport, User
from passport.operations import demo
from passport.operations.demo_services import SERVICES
from tests.conftest import login


@pytest.fixture
def admin_client(loaded):
    client = Client()
    login(client, User.objects.get(username="admin"))
    return client


def content_strings() -> list[str]:
    """The demo's section content: free text from every entry, minus what is public anyway
    (staff names, the services directory) and the identity the admin may show."""
    public = "\n".join([p.display_name for p in demo.STAFF]
                       + [str(v) for s in SERVICES for v in s.values()])
    identity = set()
    for person in demo.young_people():
        identity |= {person["legal_name"], person["chosen_name"],
                     person["born"].isoformat(), person["born"].strftime("%d/%m/%Y")}
    return [s for s in demo.sensitive_strings()
            if len(s) >= 6 and s not in public and s not in identity]


def admin_pages() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        for pk in model._default_manager.values_list("pk", flat=True):
            urls += [reverse(f"{name}_change", args=[pk]), reverse(f"{name}_history", args=[pk])]
    return urls


def test_every_admin_page_opens_and_shows_no_section_content(admin_client):
    secrets = content_strings()
    assert len(secrets) > 60 and "Birth father's health history" in secrets
    pages = admin_pages()
    assert len(pages) > 50
    for url in pages:
        response = admin_client.get(url)
        # Lockout records, second-factor devices, accounts and changes awaiting a second
        # admin are never added by hand.
        by_hand = url.endswith("/add/") and url.startswith(
            ("/admin/axes/", "/admin/otp_", "/admin/django_otp_webauthn/",
             "/admin/passport/user/", "/admin/passport/reachchange/",
             "/admin/passport/authenticator/", "/admin/passport/backupcodes/"))
        expected = 403 if by_hand else 200
        assert response.status_code == expected, url
        body = response.content.decode()
        leaked = [s for s in secrets if s in body]
        assert leaked == [], (url, leaked)


def test_the_admin_shows_names_and_dates_of_birth(admin_client):
    body = admin_client.get(reverse("admin:passport_passport_changelist")).content.decode()
    assert "Mia" in body and "Ahmad Karimi" in body
    mia = next(p for p in demo.young_people() if p["username"] == "yp.demo1")
    passport = next(p for p in Passport.objects.all()
                    if p.legal_name == mia["legal_name"])
    change = admin_client.get(reverse("admin:passport_passport_change",
                                      args=[passport.pk])).content.decode()
    assert date_format(mia["born"], "j F Y") in change


def test_the_admin_cannot_delete_a_passport(admin_client):
    passport = Passport.objects.first()
    response = admin_client.post(reverse("admin:passport_passport_delete", args=[passport.pk]),
                                 {"post": "yes"})
    assert response.status_code == 403
    assert Passport.objects.filter(pk=passport.pk).exists()


def test_the_admin_cannot_give_anyone_a_role(admin_client):
    nurse = User.objects.get(username="nurse")
    url = reverse("admin:passport_user_change", args=[nurse.pk])
    form = admin_client.get(url).content.decode()
    assert 'name="role"' not in form


def test_an_admins_assignment_change_is_in_the_young_persons_log(admin_client, loaded):
    from passport.models import AuditEvent

    assignment = CareTeamAssignment.objects.filter(ended_at__isnull=True).first()
    url = reverse("admin:passport_careteamassignment_delete", args=[assignment.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    event = AuditEvent.objects.filter(action="assignment_ended").get()
    assert (event.passport_id, event.actor.username) == (assignment.passport_id, "admin")


def test_an_assignment_is_never_edited_into_another(admin_client):
    assignment = CareTeamAssignment.objects.filter(ended_at__isnull=True).first()
    form = admin_client.get(reverse("admin:passport_careteamassignment_change",
                                    args=[assignment.pk])).content.decode()
    assert 'name="professional"' not in form and 'name="passport"' not in form


def test_a_bad_new_passport_is_refused_on_the_form(admin_client):
    before = Passport.objects.count()
    response = admin_client.post(reverse("admin:passport_passport_add"), {
        "legal_name": "New Person", "date_of_birth": "2999-01-01", "nhs_number": "123"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The date of birth is in the future." in body
    assert "An NHS number has 10 digits" in body
    assert Passport.objects.count() == before


def test_the_admin_creates_a_passport_through_the_action(admin_client):
    response = admin_client.post(reverse("admin:passport_passport_add"), {
        "legal_name": "New Person", "date_of_birth": "2015-01-01",
        "nhs_number": "485 777 3457"})
    assert response.status_code == 200  # the NHS number is taken by a demo passport
    assert "This NHS number cannot be used" in response.content.decode()
    response = admin_client.post(reverse("admin:passport_passport_add"), {
        "legal_name": "New Person", "date_of_birth": "2015-01-01"})
    assert response.status_code == 302
    assert any(p.legal_name == "New Person" for p in Passport.objects.all())


def test_the_passport_list_does_not_query_per_young_person(admin_client,
                                                          django_assert_max_num_queries):
    admin_client.get("/admin/")  # the session's first request records when it began
    with django_assert_max_num_queries(15):
        assert admin_client.get(reverse("admin:passport_passport_changelist")).status_code == 200


def test_the_admin_never_shows_a_second_factor_key(admin_client):
    from base64 import b32encode

    from passport.models import Authenticator

    device = Authenticator.objects.filter(user__username="nurse").get()
    pages = [reverse("admin:passport_authenticator_changelist"),
             reverse("admin:passport_authenticator_change", args=[device.pk])]
    for url in pages:
        body = admin_client.get(url).content.decode()
        assert "Priya Shah" in body  # the page is there, and shows whose device it is
        for shown in (device.bin_key.hex(), b32encode(device.bin_key).decode(),
                      device.sealed_key):
            assert shown not in body
        assert "otpauth" not in body and "qrcode" not in body


def test_a_new_placement_ends_the_old_one_and_both_are_logged(admin_client):
    from passport.models import AuditEvent, Placement

    old = Placement.objects.filter(ended_on__isnull=True).first()
    residential = User.objects.get(username="residential")
    moved = timezone.localdate().isoformat()
    response = admin_client.post(reverse("admin:passport_placement_add"), {
        "passport": old.passport_id, "carer": residential.pk, "started_on": moved})
    assert response.status_code == 302
    old.refresh_from_db()
    assert str(old.ended_on) == moved
    new = Placement.objects.get(passport=old.passport_id, ended_on__isnull=True)
    assert new.carer == residential
    actions = set(AuditEvent.objects.filter(passport=old.passport_id).values_list(
        "action", flat=True))
    assert {"placement_ended", "placement_started"} <= actions


@pytest.mark.parametrize("name", ["placement", "socialworkassignment", "careteamassignment"])
def test_lists_of_rows_that_point_at_passports_do_not_query_per_row(
        admin_client, django_assert_max_num_queries, name):
    admin_client.get("/admin/")  # the session's first request records when it began
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse(f"admin:passport_{name}_changelist"))
    assert response.status_code == 200 and "Mia" in response.content.decode()


def test_no_model_holding_health_content_is_in_the_admin():
    """Route coverage of the admin: every registered model is walked above; this keeps out any
    model with encrypted content but the passport's identity (which the admin may show)."""
    from passport.encryption.fields import EncryptedField

    holding = {model.__name__ for model in admin.site._registry
               if any(isinstance(f, EncryptedField) for f in model._meta.concrete_fields)}
    assert holding == {"Passport"}


def test_the_admin_puts_a_young_person_back_into_care(admin_client):
    from passport.models import Placement

    passport = Passport.objects.filter(placements__isnull=False).first()
    Passport.objects.filter(pk=passport.pk).update(
        care_ended_on=passport.created_at.date(), care_outcome="home")
    response = admin_client.post(reverse("admin:passport_passport_changelist"), {
        "action": "back_into_care", "_selected_action": [passport.pk]}, follow=True)
    assert response.status_code == 200
    passport.refresh_from_db()
    assert passport.care_ended_on is None
    assert not CareTeamAssignment.objects.filter(passport=passport, ended_at__isnull=True)
    assert not Placement.objects.filter(passport=passport, ended_on__isnull=True)


def test_naming_the_safeguarding_nurse_waits_for_a_second_admin_and_is_logged(admin_client):
    from passport.models import AuditEvent, ReachChange

    nurse = User.objects.get(username="nurse")
    page = admin_client.get(reverse("admin:passport_user_change", args=[nurse.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"named_safeguarding_nurse": "on", "organisation": nurse.organisation_id or "",
             "team": nurse.team_id or "", "last_login_0": "", "last_login_1": ""}
    data.pop("groups", None), data.pop("user_permissions", None)
    response = admin_client.post(reverse("admin:passport_user_change", args=[nurse.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    nurse.refresh_from_db()
    assert not nurse.named_safeguarding_nurse  # waiting
    change = ReachChange.objects.get(user=nurse, outcome="")
    second = login(Client(), User.objects.get(username="admin2"))
    response = second.post(reverse("admin:passport_reachchange_changelist"),
                           {"action": "confirm", "_selected_action": [change.pk]})
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.named_safeguarding_nurse
    assert AuditEvent.objects.filter(action="reach_change_confirmed",
                                     object_id=change.pk).count() == 1
