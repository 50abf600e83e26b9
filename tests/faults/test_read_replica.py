"""The read replica, for real: a PostgreSQL primary with a streaming hot standby, and the app
under gunicorn with DATABASE_REPLICA_URL. The area figures and the services directory are
read from the replica, and only they: with the replica's replay paused, a child who comes into
care and a service added on the primary are missing from the figures and the directory (they
are seconds stale, by design) while her nurse's caseload, read from the primary, has her at
once. Replay resumed, they catch up. Paused again while the service is in use, it falls more
than HP_REPLICA_MOST_BEHIND seconds behind and the reads go to the primary. The replica
stopped, every page still answers, from the primary."""

import time

import pytest

from tests.support.databases import ScratchDatabase
from tests.support.postgres import own_postgres, own_replica
from tests.support.server import Browser, prepare, running

NEW_CHILD = """
import datetime, uuid
from passport.access.policy import reach
from passport.encryption.crypto import keys_held
from passport.models import Area, CareEpisode, Passport, Service, User
from passport.records import actions

@keys_held
def add():
    admin, nurse = User.objects.get(username="admin"), User.objects.get(username="nurse")
    team = Passport.objects.get(owner__username="yp.demo1").health_team
    passport = actions.do_create_passport(
        admin, legal_name="Robin Newcomer", date_of_birth=datetime.date(2016, 2, 3),
        health_team=team)
    actions.do_assign_professional(admin, passport, nurse)
    stockport = Area.objects.get(name="Stockport")
    actions.do_add_entry(reach(nurse, passport.pk), CareEpisode, {
        "started_on": datetime.date.today() - datetime.timedelta(days=2),
        "legal_status": "s20", "placement_type": "foster",
        "placing_authority": stockport, "host_area": stockport.pk})
    Service.objects.create(slug="replica-test-club", name="Replica Test Club",
                           provider="Example", description="A club.", national=True)

add()
"""


SECOND_CLUB = """
from passport.models import Service
Service.objects.create(slug="second-club", name="Second Club", provider="Example",
                       description="Another club.", national=True)
"""
BEHIND = 8  # seconds: HP_REPLICA_MOST_BEHIND for this server


def listed(person: Browser, slug: str) -> bool:
    """Whether the directory lists the service (its link: the search box echoes the words)."""
    response = person.get("/services/?q=" + slug.replace("-", "+"))
    assert response.status == 200, response.status
    return f'href="/services/{slug}/"' in response.text


def in_care(person: Browser) -> int:
    response = person.get("/api/v1/figures/")
    assert response.status == 200, response.status
    return response.json()["quarters"][0]["in_care"]


def directory_has_the_club(person: Browser) -> bool:
    return listed(person, "replica-test-club")


def caseload_has_robin(person: Browser) -> bool:
    response = person.get("/api/v1/caseload/")
    assert response.status == 200, response.status
    return "Robin Newcomer" in response.text


def until(check, seconds: float = 15) -> bool:
    """Whether `check()` comes true within `seconds` (bounded: it stops by itself)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.one_database  # brings its own two PostgreSQL servers: once is enough
def test_figures_and_directory_read_the_replica_and_fall_back_to_the_primary(tmp_path):
    with own_postgres() as primary, own_replica(primary) as replica:
        assert replica.sql("SELECT pg_is_in_recovery()") == [(True,)]
        database = ScratchDatabase(primary.url, "postgresql", tmp_path / "ledger.jsonl")
        prepare(database)
        with running(database, tmp_path, workers=1, DATABASE_REPLICA_URL=replica.url,
                     HP_REPLICA_MOST_BEHIND=str(BEHIND)) as app:
            designated = Browser(app.base, timeout=10).sign_in("designated", database)
            nurse = Browser(app.base, timeout=10).sign_in("nurse", database)
            assert until(lambda: in_care(designated) > 0)  # the replica has the demo
            before = in_care(designated)
            assert not directory_has_the_club(designated)

            replica.sql("SELECT pg_wal_replay_pause()")
            database.manage("shell", "-c", NEW_CHILD)
            assert caseload_has_robin(nurse)  # the primary has her at once
            assert in_care(designated) == before  # the replica has not replayed her yet
            assert not directory_has_the_club(designated)

            replica.sql("SELECT pg_wal_replay_resume()")
            assert until(lambda: in_care(designated) == before + 1)
            assert directory_has_the_club(designated)

            replica.sql("SELECT pg_wal_replay_pause()")
            database.manage("shell", "-c", SECOND_CLUB)
            assert not listed(designated, "second-club")  # a moment behind: still read
            time.sleep(BEHIND + 1)
            assert caseload_has_robin(nurse)  # the service in use: its log moves on
            assert listed(designated, "second-club")  # too far behind: the primary
            assert "replica_behind" in app.log.read_text()
            replica.sql("SELECT pg_wal_replay_resume()")
            time.sleep(10.5)  # the replica left alone after falling behind, then tried again

            replica.stop("fast")
            started = time.monotonic()
            assert in_care(designated) == before + 1  # from the primary
            assert directory_has_the_club(designated)
            assert caseload_has_robin(nurse)
            assert time.monotonic() - started < 10  # a dead replica fails fast
            assert "replica_unavailable" in app.log.read_text()
