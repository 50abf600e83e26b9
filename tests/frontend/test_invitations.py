"""Invitations: single-use, expiring; the inviter's role rules; no one picks their own role."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from passport.models import AuditEvent, Invitation, Passport, Role, User
from tests.conftest import login, make_user
from tests.support.links import open_link

NEW_PASSWORD = "Seven sunny otters swim"


@pytest.fixture
def admin(db):
    user = make_user("ops.admin", Role.ADMIN, "Olivia Ops")
    user.is_staff = True
    user.save()
    return user


def invite(client: Client, **data) -> str:
    response = client.post("/accounts/invite/", data)
    assert response.status_code == 200, response.content.decode()[:500]
    return re.search(r"(/accounts/invitation/#[^<\s]+)", response.content.decode()).group(1)


def accept(link: str, username: str, client: Client | None = None, **extra):
    """Open the link (its secret moves into the session), then set up the account."""
    client = client or Client()
    opened = open_link(client, link)
    if opened.status_code != 302:
        return opened
    data = {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(opened["Location"], data | extra)


def test_an_admin_invites_a_nurse_who_sets_up_an_account(admin):
    link = invite(login(Client(), admin), role="nurse", display_name="Nia Nurse")
    invitation = Invitation.objects.get()
    assert link.split("#")[1] not in invitation.token_hash  # only a hash is kept
    response = accept(link, "nia.nurse", role="admin")  # a role in the form is ignored
    assert response.status_code == 302
    user = User.objects.get(username="nia.nurse")
    assert (user.role, user.display_name) == (Role.NURSE, "Nia Nurse")
    assert Client().post("/accounts/login/", {"username": "nia.nurse",
                                              "password": NEW_PASSWORD}).status_code == 302


def test_a_link_works_once(admin):
    link = invite(login(Client(), admin), role="doctor", display_name="Dr New")
    assert accept(link, "dr.new").status_code == 302
    again = accept(link, "dr.again")
    assert again.status_code == 410
    assert "no longer works" in again.content.decode()
    assert not User.objects.filter(username="dr.again").exists()


def test_a_link_expires(admin):
    link = invite(login(Client(), admin), role="doctor", display_name="Dr Late")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert accept(link, "dr.late").status_code == 410


def test_a_nurse_invites_her_young_person_to_her_own_passport(admin_user, her_nurse):
    from passport.records import actions

    passport = actions.do_create_passport(admin_user, legal_name="Nadia Noor",
                                          date_of_birth=datetime.date(2011, 2, 3))
    actions.do_assign_professional(admin_user, passport, her_nurse)
    link = invite(login(Client(), her_nurse), role="young_person", passport=str(passport.pk))
    assert accept(link, "sunflower22").status_code == 302
    owner = User.objects.get(username="sunflower22")
    assert owner.role == Role.YOUNG_PERSON and owner.display_name == ""
    assert Passport.objects.get(pk=passport.pk).owner == owner
    assert AuditEvent.objects.filter(action="invitation_accepted", passport=passport).exists()


def test_a_young_persons_invitation_with_no_passport_chosen_is_a_mistake_not_a_refusal(
        her_nurse, her_passport):
    """Found walking it as a nurse: every one of her young people had an account, the list
    offered only "Not a young person", and choosing "Young person" answered "Not allowed"."""
    client = login(Client(), her_nurse)
    page = client.get("/accounts/invite/").content.decode()
    assert "Each of your young people has an account already." in page
    response = client.post("/accounts/invite/", {"role": "young_person", "display_name": ""})
    assert response.status_code == 400
    assert "Choose whose passport this account is for." in response.content.decode()
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("role", ["nurse", "admin", "caldicott_guardian"])
def test_a_nurse_cannot_invite_professionals(her_nurse, role):
    response = login(Client(), her_nurse).post("/accounts/invite/", {
        "role": role, "display_name": "Someone"})
    assert response.status_code == 400
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("who", ["young_person", "stranger"])
def test_others_cannot_invite_anyone(request, who):
    client = login(Client(), request.getfixturevalue(who))
    assert client.get("/accounts/invite/").status_code == 403
    assert client.post("/accounts/invite/", {"role": "nurse",
                                             "display_name": "X"}).status_code == 403


def test_an_admin_cannot_invite_a_young_person(admin, her_passport):
    response = login(Client(), admin).post("/accounts/invite/", {"role": "young_person"})
    assert response.status_code == 400
    assert Invitation.objects.count() == 0


def test_weak_passwords_are_refused(admin):
    link = invite(login(Client(), admin), role="doctor", display_name="Dr Weak")
    client = Client()
    form = open_link(client, link)["Location"]
    response = client.post(form, {"username": "dr.weak", "password1": "password123",
                                  "password2": "password123"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.filter(username="dr.weak").exists()


def test_the_secret_leaves_the_address_at_once(admin):
    link = invite(login(Client(), admin), role="doctor", display_name="Dr Quiet")
    client = Client()
    response = open_link(client, link)
    assert response.status_code == 302 and response["Location"] == "/accounts/invitation/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and link.split("#")[1] not in page.content.decode()


def test_opening_a_link_while_signed_in_signs_that_person_out(admin, her_nurse):
    link = invite(login(Client(), admin), role="doctor", display_name="Dr Other")
    client = login(Client(), her_nurse)
    assert accept(link, "dr.other", client=client).status_code == 302
    assert "_auth_user_id" not in client.session
    assert User.objects.get(username="dr.other").role == Role.DOCTOR
