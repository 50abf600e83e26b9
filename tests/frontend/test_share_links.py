"""Share links: the code apart from the link, the viewer's name before the code, expiry,
revocation, the lock after wrong codes (also across two processes), the viewer's name in her
log, and family history absent unless she chose it."""

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from passport.access import sharelinks
from passport.access.policy import reach
from passport.models import FamilyHistory, Passport, ShareLink, ShareLinkUse
from passport.records import actions
from tests.conftest import login
from tests.support.databases import scratch_database
from tests.support.links import open_link

GUESS = Path(__file__).resolve().parents[1] / "support" / "guess_codes.py"


@pytest.fixture
def self_managed(her_passport, nurse_reach, asthma):
    Passport.objects.filter(pk=her_passport.pk).update(control="self_managed")
    actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_mother", "condition": "Glaucoma", "what_this_means": "Eye tests."})
    return her_passport


def make_link(client, passport, data) -> tuple[str, str]:
    response = client.post(f"/p/{passport.pk}/share-links/", data)
    assert response.status_code == 200, response.content.decode()[:3000]
    body = response.content.decode()
    link = re.search(r"<code>(http://testserver/share/[^<]+)</code>", body).group(1)
    code = re.search(r"<strong><code>(\d{4} \d{4})</code></strong>", body).group(1)
    assert code.replace(" ", "") not in link  # the code is not in the link
    return link.removeprefix("http://testserver"), code


def open_as_viewer(path, code, name="Dr Grace Okafor", organisation="Heaton Moor Medical"):
    viewer = Client()
    response = open_link(viewer, path)
    assert response.status_code == 302 and response.url == "/share/"  # secret out of the URL
    page = viewer.get("/share/")
    assert page.status_code == 200 and "Your name" in page.content.decode()
    assert viewer.post("/share/", {"step": "who", "viewer_name": name,
                                   "organisation": organisation}).status_code == 302
    response = viewer.post("/share/", {"step": "code", "code": code})
    return viewer, response


def test_a_gp_opens_a_link_and_she_sees_who_looked(self_managed, young_person):
    owner = login(Client(), young_person)
    path, code = make_link(owner, self_managed, {"ready": "gp", "hours": "72"})
    link = ShareLink.objects.get()
    assert "family_history" not in link.sections  # never in a ready choice
    hours = (link.expires_at - link.created_at) / datetime.timedelta(hours=1)
    assert round(hours) == 72
    viewer, response = open_as_viewer(path, code)
    assert response.status_code == 302
    content = viewer.get("/share/").content.decode()
    assert "Asthma" in content and "Glaucoma" not in content
    mine = owner.get(f"/p/{self_managed.pk}/share-links/").content.decode()
    assert "Dr Grace Okafor (Heaton Moor Medical) opened it on" in mine
    looked = owner.get(f"/p/{self_managed.pk}/who-has-looked/").content.decode()
    assert "Dr Grace Okafor (Heaton Moor Medical), through a link you shared," in looked
    assert "looked at Conditions, allergies and medicines" in looked.replace("&amp;", "&")


def test_family_history_only_when_she_chooses_it_and_confirms(self_managed, young_person):
    owner = login(Client(), young_person)
    refused = owner.post(f"/p/{self_managed.pk}/share-links/", {
        "sections": ["conditions", "family_history"], "hours": "24"})
    assert refused.status_code == 400 and not ShareLink.objects.exists()
    path, code = make_link(owner, self_managed, {
        "sections": ["conditions", "family_history"], "hours": "24",
        "family_history_understood": "on"})
    viewer, _response = open_as_viewer(path, code)
    assert "Glaucoma" in viewer.get("/share/").content.decode()


def test_the_viewer_gives_a_name_before_the_code(self_managed, young_person):
    path, code = make_link(login(Client(), young_person), self_managed, {"ready": "dentist",
                                                                         "hours": "24"})
    viewer = Client()
    open_link(viewer, path)
    response = viewer.post("/share/", {"step": "code", "code": code})
    assert response.status_code == 200 and "Your name" in response.content.decode()
    assert not ShareLinkUse.objects.exists()


def test_expiry_and_revocation_close_the_link_at_the_next_request(self_managed, young_person):
    owner = login(Client(), young_person)
    path, code = make_link(owner, self_managed, {"ready": "gp", "hours": "24"})
    viewer, _response = open_as_viewer(path, code)
    assert viewer.get("/share/").status_code == 200
    link = ShareLink.objects.get()
    owner.post(f"/p/{self_managed.pk}/share-links/{link.pk}/stop/")
    response = viewer.get("/share/")
    assert response.status_code == 410 and "Asthma" not in response.content.decode()

    path, code = make_link(owner, self_managed, {"ready": "gp", "hours": "24"})
    viewer, _response = open_as_viewer(path, code)
    ShareLink.objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert viewer.get("/share/").status_code == 410


def test_wrong_codes_lock_the_link(self_managed, young_person):
    path, code = make_link(login(Client(), young_person), self_managed, {"ready": "gp",
                                                                         "hours": "24"})
    wrong = "0000 0000" if code != "0000 0000" else "1111 1111"
    for _ in range(sharelinks.CODE_TRIES):
        _viewer, response = open_as_viewer(path, wrong)
        assert response.status_code == 400
        assert "That code is not right" in response.content.decode()
    viewer = Client()  # the right code, too late: the link no longer even asks
    open_link(viewer, path)
    assert viewer.get("/share/").status_code == 410
    response = viewer.post("/share/", {"step": "code", "code": code})
    assert response.status_code == 410 and "Asthma" not in response.content.decode()
    assert ShareLink.objects.get().attempts == sharelinks.CODE_TRIES
    assert not ShareLinkUse.objects.exists()


def test_links_last_at_most_seven_days_and_only_who_decides_makes_them(her_passport,
                                                                       young_person, her_nurse):
    from django.core.exceptions import PermissionDenied, ValidationError

    owner = reach(young_person, her_passport.pk)  # supported: her nurse decides
    with pytest.raises(PermissionDenied):
        sharelinks.do_create_link(owner, sections_=["conditions"])
    nurse = reach(her_nurse, her_passport.pk)
    wishes = "She wants her new GP to know about her asthma."
    for refused in ({"sections_": ["conditions"], "hours": 7 * 24 + 1, "wishes": wishes},
                    {"sections_": ["sexual_health"], "wishes": wishes},
                    {"sections_": ["conditions"]}):  # her nurse records her wishes
        with pytest.raises(ValidationError) as error:
            sharelinks.do_create_link(nurse, **refused)
        assert len(error.value.message_dict) == 1, error.value.message_dict
    assert not ShareLink.objects.exists()
    sharelinks.do_create_link(nurse, sections_=["conditions"], wishes=wishes)
    from passport.models import SharingWishes

    assert SharingWishes.objects.get().wishes == wishes
    assert login(Client(), young_person).post(f"/p/{her_passport.pk}/share-links/", {
        "ready": "gp", "hours": "24"}).status_code == 403


def test_the_lock_holds_across_two_processes(django_db_blocker, tmp_path):
    """Two processes guess at once against a real database: together they get exactly
    CODE_TRIES tries, and then the right code no longer opens it."""
    with django_db_blocker.unblock(), scratch_database(tmp_path) as database:
        database.manage("migrate", "--noinput")
        database.manage("load_demo")
        made = database.manage("shell", "-c", (
            "from passport.access import sharelinks; from passport.models import Passport, User;"
            "from passport.access.policy import reach;"
            "from passport.encryption.crypto import keys_held\n"
            "@keys_held\n"
            "def make():\n"
            "    owner = User.objects.get(username='yp.demo2')\n"
            "    new = sharelinks.do_create_link(reach(owner, owner.passport.pk),"
            " sections_=['conditions'])\n"
            "    print(new.link.pk, new.code)\n"
            "make()"))
        link_id, code = made.strip().splitlines()[-1].split()
        guessers = [subprocess.Popen([sys.executable, str(GUESS), link_id, "8"],
                                     env=database.env(), stdout=subprocess.PIPE, text=True)
                    for _ in range(2)]
        outputs = [g.communicate(timeout=120)[0] for g in guessers]
        assert all(g.returncode == 0 for g in guessers), outputs
        tried = sum(int(re.search(r"tried=(\d+)", out).group(1)) for out in outputs)
        closed = sum(int(re.search(r"closed=(\d+)", out).group(1)) for out in outputs)
        assert (tried, closed) == (sharelinks.CODE_TRIES, 16 - sharelinks.CODE_TRIES)
        after = database.manage("shell", "-c", (
            "from passport.access import sharelinks; from passport.models import ShareLink\n"
            f"link = ShareLink.objects.get(pk='{link_id}')\n"
            "try:\n"
            f"    sharelinks.do_use_link(link, code='{code}', viewer_name='A', organisation='B')\n"
            "except sharelinks.LinkClosed:\n"
            "    print('closed', link.attempts)"))
        assert after.strip().splitlines()[-1].split() == ["closed", str(sharelinks.CODE_TRIES)]


def test_a_held_entry_never_reaches_a_link_even_with_family_history(self_managed, young_person,
                                                                   her_nurse):
    from passport.access import held_back

    nurse = reach(her_nurse, self_managed.pk)
    held = actions.do_add_entry(nurse, FamilyHistory, {
        "relative": "birth_father", "condition": "Held-marker disease",
        "what_this_means": "x"})
    held_back.do_hold_back(nurse, held, opinion="Serious harm")
    path, code = make_link(login(Client(), young_person), self_managed, {
        "sections": ["family_history"], "hours": "24", "family_history_understood": "on"})
    viewer, _response = open_as_viewer(path, code)
    body = viewer.get("/share/").content.decode()
    assert "Glaucoma" in body and "Held-marker" not in body and str(held.pk) not in body


def test_an_empty_pasted_link_says_what_is_missing(db):
    for path in ("/share/open/", "/accounts/invitation/open/"):
        response = Client().post(path, {"link": "  "})
        assert response.status_code == 400, path
        assert "Paste the whole link you were sent" in response.content.decode()
        assert "This field is required." in response.content.decode()
