"""How fast is a nurse's caseload page? (issue 8's benchmark, first part)

Builds 60 young people with about 100 entries each (conditions, vaccinations, assessments,
plan actions, SDQ results) for one nurse in a throw-away SQLite database (or the empty
PostgreSQL database named by BENCH_DATABASE_URL), then prints the server time of her caseload
page through Django's test client (best and median of several rounds), beside a baseline
measured in the same run: the sign-in page. Target: caseload under 150 ms.
(The area figures page comes later in issue 8; its figure will be added here.)

Run: .venv/bin/python bench/caseload.py
     bin/with-postgres sh -c 'BENCH_DATABASE_URL=$DATABASE_URL .venv/bin/python bench/caseload.py'
"""

import atexit
import datetime
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
work = Path(tempfile.mkdtemp(prefix="hp-bench-caseload-"))
atexit.register(shutil.rmtree, work, ignore_errors=True)

from passport import crypto  # noqa: E402

(work / "keyring.json").write_text(json.dumps(crypto.new_keyring_data()))
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "passport.settings", "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
    "HP_KEYRING_FILE": str(work / "keyring.json"), "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
})
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL",
                                            f"sqlite:///{work / 'bench.sqlite3'}")
os.environ.pop("DJANGO_DEBUG", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from passport import actions  # noqa: E402
from passport.models import (  # noqa: E402
    Area,
    Assessment,
    CareEpisode,
    Condition,
    ImmunisationDose,
    PlanAction,
    Role,
    SdqResult,
    User,
)
from passport.policy import reach  # noqa: E402

YOUNG_PEOPLE, ROUNDS = 60, 15
TODAY = timezone.localdate()


def build() -> User:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    admin = User.objects.create(username="admin", role=Role.ADMIN)
    nurse = User.objects.create(username="nurse", role=Role.NURSE, display_name="Nurse")
    area = Area.objects.create(name="Stockport")
    with crypto.key_scope():
        for n in range(YOUNG_PEOPLE):
            born = datetime.date(2009, 1, 1) + datetime.timedelta(days=37 * n)
            passport = actions.do_create_passport(
                admin, legal_name=f"Young Person {n}", date_of_birth=born)
            actions.do_assign_professional(admin, passport, nurse)
            nurse_reach = reach(nurse, passport.pk)
            actions.do_add_entry(nurse_reach, CareEpisode, {
                "started_on": TODAY - datetime.timedelta(days=500 + n),
                "legal_status": "care_order", "placement_type": "foster",
                "placing_authority": area, "host_area": area.pk})
            for k in range(4):
                actions.do_add_entry(nurse_reach, Assessment, {
                    "kind": "initial" if k == 0 else "review", "outcome": "done",
                    "held_on": TODAY - datetime.timedelta(days=480 - 110 * k),
                    "summary": "Well; growth on the 50th centile; dental check booked."})
            for k in range(12):
                actions.do_add_entry(nurse_reach, ImmunisationDose, {
                    "vaccine": ("6in1", "mmr", "pcv", "menb")[k % 4], "source": "gp_record",
                    "given_on": born + datetime.timedelta(days=60 * (k + 1))})
            for k in range(4):
                actions.do_add_entry(nurse_reach, SdqResult, {
                    "completed_on": TODAY - datetime.timedelta(days=90 * k + 10),
                    "informant": "carer", "emotional": 3, "conduct": 2, "hyperactivity": 5,
                    "peer": 2, "prosocial": 8})
            for k in range(10):
                actions.do_add_entry(nurse_reach, PlanAction, {
                    "action": f"Action {k}", "responsible": "carer", "status": "open",
                    "due_on": TODAY + datetime.timedelta(days=10 + k)})
            for k in range(69):
                actions.do_add_entry(nurse_reach, Condition, {
                    "kind": "condition", "name": f"Condition {k}",
                    "details": "Emollient twice a day; flares in winter."})
    return nurse


def timed(client, url):
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return min(samples) * 1000, statistics.median(samples) * 1000


def main():
    print(f"database: {django.db.connection.vendor}")
    started = time.perf_counter()
    nurse = build()
    print(f"built {YOUNG_PEOPLE} young people with about 100 entries each in "
          f"{time.perf_counter() - started:.0f} s")
    client = Client()
    client.force_login(nurse)
    device = TOTPDevice.objects.create(user=nurse, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    body = client.get("/").content.decode()
    assert body.count("Young Person") >= YOUNG_PEOPLE, "the caseload is not all there"
    base_best, base_median = timed(Client(), "/accounts/login/")
    best, median = timed(client, "/")
    print(f"sign-in page (baseline): best {base_best:.1f} ms, median {base_median:.1f} ms")
    print(f"caseload of {YOUNG_PEOPLE}: best {best:.1f} ms, median {median:.1f} ms "
          f"(target < 150 ms); ratio to the baseline x{best / base_best:.1f}")


if __name__ == "__main__":
    main()
