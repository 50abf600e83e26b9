"""Everyone sees where they are signed in and can sign out one
device, at once, through the real pages; nobody can end another person's session."""

from django.test import Client

from passport.models import AuditEvent, SignedInSession
from tests.conftest import PASSWORD

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/131.0 Mobile"
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Edg/131.0"


def signed_in(user, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post("/accounts/login/", {"username": user.username,
                                            "password": PASSWORD}).status_code == 302
    return client


def test_she_sees_her_devices_and_signs_one_out(her_passport, young_person):
    phone, laptop = signed_in(young_person, PHONE), signed_in(young_person, LAPTOP)
    assert phone.get(f"/p/{her_passport.pk}/").status_code == 200
    page = laptop.get("/accounts/sign-out-everywhere/").content.decode()
    assert "Chrome, Android" in page and "Edge, Windows" in page
    assert page.count("(this one)") == 1 and page.count("Sign it out") == 1
    lost_phone = SignedInSession.objects.get(device="Chrome, Android")
    response = laptop.post(f"/accounts/sessions/{lost_phone.pk}/end/", follow=True)
    assert "That device is signed out." in response.content.decode()
    # The phone's next request finds itself signed out; the laptop carries on.
    assert phone.get(f"/p/{her_passport.pk}/").status_code == 302
    assert laptop.get(f"/p/{her_passport.pk}/").status_code == 200
    assert "Chrome, Android" not in laptop.get("/accounts/sign-out-everywhere/").content.decode()
    assert AuditEvent.objects.filter(actor=young_person, action="session_ended",
                                     object_id=lost_phone.pk).exists()


def test_nobody_ends_another_persons_session(her_passport, young_person, her_nurse):
    phone = signed_in(young_person, PHONE)
    hers = SignedInSession.objects.get(user=young_person)
    nurse = Client()
    nurse.force_login(her_nurse)
    nurse.post(f"/accounts/sessions/{hers.pk}/end/")
    assert phone.get(f"/p/{her_passport.pk}/").status_code == 200
    assert SignedInSession.objects.get(pk=hers.pk).ended_at is None


def test_signing_out_takes_it_off_the_list(young_person):
    phone, laptop = signed_in(young_person, PHONE), signed_in(young_person, LAPTOP)
    phone.post("/accounts/logout/")
    page = laptop.get("/accounts/sign-out-everywhere/").content.decode()
    assert "Chrome, Android" not in page and "Edge, Windows" in page


def test_signing_out_everywhere_ends_them_all(her_passport, young_person):
    phone, laptop = signed_in(young_person, PHONE), signed_in(young_person, LAPTOP)
    assert laptop.post("/accounts/sign-out-everywhere/").status_code == 302
    assert phone.get(f"/p/{her_passport.pk}/").status_code == 302
    assert not SignedInSession.objects.filter(user=young_person, ended_at__isnull=True).exists()
