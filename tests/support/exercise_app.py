"""Use the app as people would, against the database in DATABASE_URL: sign in, read pages,
add and change entries through the forms, change an account in the Django admin. Leaves
sessions, flash messages and admin log rows behind for the raw-database scan to search."""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport.project.settings")

import django

django.setup()

from django.contrib.admin.models import CHANGE, LogEntry  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402

from passport.encryption.crypto import keys_held  # noqa: E402
from passport.models import (  # noqa: E402
    Authenticator,
    Condition,
    Passport,
    User,
)
from passport.operations import demo  # noqa: E402

MARKERS = {
    "added": "Zanzibar-fever-marker",
    "details": "Purple-rash-marker-on-Tuesdays",
    "reason": "Reason-marker-dosage-changed",
}


def signed_in(username: str) -> Client:
    """Through the real pages: password, then (for professionals) the second factor."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": demo.PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"
    device = Authenticator.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
        response = client.post("/accounts/two-factor/", {"code": code, "next": "/"})
        assert response.status_code == 302, f"{username} could not pass the second factor"
    return client


@keys_held
def main() -> None:
    nurse = signed_in("nurse")
    home = nurse.get("/").content.decode()
    links = re.findall(r'href="(/p/[0-9a-f-]+/)"', home)
    assert links, "the nurse's home page lists no passports"
    from passport.records.sections import TITLES

    for section in re.findall(r'href="(/p/[0-9a-f-]+/([a-z_]+)/)"', nurse.get(links[0]).content
                              .decode()):
        if section[1] in TITLES:  # the section pages (not, say, sharing: not hers to run)
            assert nurse.get(section[0]).status_code == 200
    conditions = links[0] + "conditions/"
    response = nurse.post(conditions + "condition/add/", {
        "kind": "allergy", "name": MARKERS["added"], "details": MARKERS["details"]},
        follow=True)
    assert MARKERS["added"] in response.content.decode()
    edit = re.findall(r'href="(/p/[0-9a-f-]+/conditions/condition/[0-9a-f-]+/edit/)"',
                      response.content.decode())[-1]
    response = nurse.post(edit, {"version": 1, "reason": MARKERS["reason"], "kind": "allergy",
                                 "name": MARKERS["added"], "details": "changed"}, follow=True)
    assert response.status_code == 200
    signed_in("yp.demo1").get("/")
    admin = signed_in("admin")
    users = admin.get("/admin/passport/user/").content.decode()
    change = re.findall(r'href="(/admin/passport/user/[0-9a-f-]+/change/)"', users)[0]
    assert admin.get(change).status_code == 200
    # What the admin writes to its log for any object it changes: str(obj) must hold no content.
    staff = User.objects.get(username="admin")
    objects = [*Passport.objects.all(), *Condition.objects.all()]
    LogEntry.objects.log_actions(staff.pk, objects, CHANGE, change_message="demo change")
    # A positive control for the scan's decoding of the cache table.
    cache.set("scan-control", "cache-positive-control", 3600)
    print("exercised", len(links), "passports")


if __name__ == "__main__":
    main()
