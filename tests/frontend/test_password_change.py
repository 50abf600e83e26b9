"""Changing her password from settings: she stays signed in here, everywhere else is signed
out, and guessing the current password from an unlocked phone stops after five tries."""

from django.test import Client

from tests.conftest import PASSWORD, login

NEW = "a-long-new-passphrase-2026"


def change(client, current, new=NEW):
    return client.post("/accounts/password/", {
        "old_password": current, "new_password1": new, "new_password2": new})


def test_she_changes_her_password_and_her_other_phone_is_signed_out(her_passport, young_person):
    from passport.accounts import tokens
    from passport.models import ApiToken, AuditEvent

    here, there = login(Client(), young_person), login(Client(), young_person)
    tokens._new(young_person, "her other app", 30, "personal")
    assert 'href="/accounts/password/"' in here.get("/settings/").content.decode()
    response = change(here, PASSWORD)
    assert response.status_code == 302 and response.url == "/settings/"
    assert "Your password is changed." in here.get("/settings/").content.decode()
    assert there.get("/settings/").status_code == 302  # to sign in again
    young_person.refresh_from_db()
    assert young_person.check_password(NEW)
    assert not ApiToken.objects.filter(user=young_person, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(actor=young_person, action="password_changed").exists()


def test_a_wrong_current_password_changes_nothing_and_five_end_the_tries(her_passport,
                                                                        young_person):
    client = login(Client(), young_person)
    mistyped = client.post("/accounts/password/", {  # a typo in the new one is not a guess
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"})
    assert mistyped.status_code == 400
    for _ in range(5):
        response = change(client, "not-my-password")
        assert response.status_code == 400
        assert "Your old password was entered incorrectly" in response.content.decode()
    stopped = change(client, PASSWORD)  # even the right one, now
    assert stopped.status_code == 400
    assert "Too many wrong passwords." in stopped.content.decode()
    young_person.refresh_from_db()
    assert young_person.check_password(PASSWORD)
