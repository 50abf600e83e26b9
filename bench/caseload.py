"""How fast are a nurse's caseload page and the designated professional's area figures?

Builds 60 young people with about 100 entries each (conditions, vaccinations, assessments,
plan actions, SDQ results) for one nurse in a throw-away SQLite database (or the empty
PostgreSQL database named by BENCH_DATABASE_URL), then prints the server time of her caseload
page through Django's test client (best and median of several rounds), beside a baseline
measured in the same run: the sign-in page. Target: caseload under 150 ms.

Then 5,000 more young people in care in the same area (BENCH_AREA_YOUNG_PEOPLE to change it),
each with a passport and a care episode, and most with an initial assessment (some a review
too) recorded, submitted and signed off through the real workflow, so the timeliness rows are
the ones the service writes; some are late with a reason, some declined, some not done yet.
Prints the server time of the area figures page for the designated professional, after a
warm-up. Target: under 500 ms.

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

from passport.encryption import crypto  # noqa: E402

(work / "keyring.json").write_text(json.dumps(crypto.new_keyring_data()))
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "passport.project.settings",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
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

from passport.access.policy import reach  # noqa: E402
from passport.care import assessments  # noqa: E402
from passport.models import (  # noqa: E402
    Area,
    Assessment,
    AssessmentTiming,
    Authenticator,
    CareEpisode,
    Condition,
    HealthTeam,
    ImmunisationDose,
    LateReason,
    Organisation,
    PlanAction,
    Role,
    SdqResult,
    User,
)
from passport.records import actions  # noqa: E402

YOUNG_PEOPLE, ROUNDS = 60, 15
AREA_YOUNG_PEOPLE = int(os.environ.get("BENCH_AREA_YOUNG_PEOPLE", "5000"))
SIGNED_OFF = {key: "met" for key, _label in assessments.CHECKLIST}
TODAY = timezone.localdate()


@crypto.keys_held
def build() -> User:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    admin = User.objects.create(username="admin", role=Role.ADMIN)
    nurse = User.objects.create(username="nurse", role=Role.NURSE, display_name="Nurse")
    area = Area.objects.create(name="Stockport")
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


def _assess(nurse_reach, lead_reach, kind: str, held_on: datetime.date, outcome: str,
            late_reason: str = "") -> None:
    """Recorded by the nurse, submitted, signed off by the team lead: the real workflow."""
    fields = {"kind": kind, "held_on": held_on, "outcome": outcome}
    if outcome == "done":
        fields |= {"done_by": "Dr Bench", "summary": "Well.",
                   **({"led_by": "doctor"} if kind == "initial" else {})}
    else:
        fields["outcome_reason"] = "Recorded with the young person."
    if late_reason:
        fields["late_reason_kind"] = late_reason
    assessment = actions.do_add_entry(nurse_reach, Assessment, fields)
    assessment = assessments.do_submit(nurse_reach, assessment,
                                       expected_version=assessment.version)
    assessments.do_quality_review(lead_reach, assessment, decision="signed_off",
                                  checklist=SIGNED_OFF, comments="",
                                  expected_version=assessment.version)


@crypto.keys_held
def build_area(admin: User) -> User:
    """AREA_YOUNG_PEOPLE more children in care placed by Stockport, with their own nurse (so
    the caseload measured above stays at 60) and the team lead who signs off; returns the
    designated professional of the trust serving Stockport."""
    area = Area.objects.get(name="Stockport")
    trust = Organisation.objects.create(name="Stockport NHS Foundation Trust")
    trust.areas.add(area)
    team = HealthTeam.objects.create(organisation=trust, name="Children in Care Health Team")
    nurse = User.objects.create(username="area.nurse", role=Role.NURSE, team=team,
                                organisation=trust)
    lead = User.objects.create(username="lead", role=Role.TEAM_LEAD, team=team,
                               organisation=trust)
    designated = User.objects.create(username="designated", role=Role.DESIGNATED,
                                     organisation=trust, display_name="Designated")
    reasons = [r for r in LateReason.values if r != LateReason.OTHER]
    for n in range(AREA_YOUNG_PEOPLE):
        born = datetime.date(2008, 1, 1) + datetime.timedelta(days=(n * 13) % 3650)
        started = TODAY - datetime.timedelta(days=60 + (n * 7) % 700)
        passport = actions.do_create_passport(
            admin, legal_name=f"Area Child {n}", date_of_birth=born, health_team=team)
        actions.do_assign_professional(admin, passport, nurse)
        nurse_reach, lead_reach = reach(nurse, passport.pk), reach(lead, passport.pk)
        actions.do_add_entry(nurse_reach, CareEpisode, {
            "started_on": started, "legal_status": "care_order",
            "placement_type": "short_breaks" if n % 50 == 49 else "foster",
            "placing_authority": area, "host_area": area.pk})
        kind = n % 20
        if kind == 0 or n % 50 == 49:
            continue  # not done yet (or no duty: short breaks only)
        if kind in (1, 2):  # late, with a reason
            initial = started + datetime.timedelta(days=45)
            _assess(nurse_reach, lead_reach, "initial", initial, "done",
                    reasons[n % len(reasons)])
        else:
            initial = started + datetime.timedelta(days=10)
            _assess(nurse_reach, lead_reach, "initial", initial,
                    "declined" if kind == 3 else "done")
        review = initial + datetime.timedelta(days=350)
        if n % 4 == 0 and review < TODAY:
            _assess(nurse_reach, lead_reach, "review", review, "done")
    return designated


def timed(client, url):
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return min(samples) * 1000, statistics.median(samples) * 1000


def profile(client, url) -> None:
    """With BENCH_PROFILE=1: where one request's time goes (cumulative, the top 25)."""
    if not os.environ.get("BENCH_PROFILE"):
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def signed_in(user: User) -> Client:
    """A session as the second-factor page leaves it."""
    client = Client()
    client.force_login(user)
    device = Authenticator.create_for(user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    print(f"database: {django.db.connection.vendor}")
    started = time.perf_counter()
    nurse = build()
    print(f"built {YOUNG_PEOPLE} young people with about 100 entries each in "
          f"{time.perf_counter() - started:.0f} s")
    client = signed_in(nurse)
    body = client.get("/").content.decode()
    assert body.count("Young Person") >= YOUNG_PEOPLE, "the caseload is not all there"
    base_best, base_median = timed(Client(), "/accounts/login/")
    best, median = timed(client, "/")
    print(f"sign-in page (baseline): best {base_best:.1f} ms, median {base_median:.1f} ms")
    print(f"caseload of {YOUNG_PEOPLE}: best {best:.1f} ms, median {median:.1f} ms "
          f"(target < 150 ms); ratio to the baseline x{best / base_best:.1f} (target x30)")
    profile(client, "/")
    if not AREA_YOUNG_PEOPLE:
        return
    started = time.perf_counter()
    designated = build_area(User.objects.get(username="admin"))
    print(f"built {AREA_YOUNG_PEOPLE} more young people in the area "
          f"({AssessmentTiming.objects.count()} signed-off assessments) in "
          f"{time.perf_counter() - started:.0f} s")
    client = signed_in(designated)
    body = client.get("/figures/").content.decode()  # and a warm-up
    assert "Area figures" in body and "Area Child" not in body, "the figures are not there"
    best, median = timed(client, "/figures/")
    print(f"area figures for {AREA_YOUNG_PEOPLE + YOUNG_PEOPLE} young people in care: "
          f"best {best:.1f} ms, median {median:.1f} ms (target < 500 ms); "
          f"ratio to the baseline x{best / base_best:.1f} (target x30)")
    profile(client, "/figures/")


if __name__ == "__main__":
    main()
