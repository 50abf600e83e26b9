"""Named people and a passport, made through the real actions (healthchecks' hc/test.py)."""

import datetime
import importlib
import time

import pytest
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from passport.access.policy import Reach, reach
from passport.encryption.crypto import key_scope
from passport.models import Area, Authenticator, Condition, Passport, Role, User
from passport.records import actions

PASSWORD = "correct horse battery staple"


def make_user(username: str, role: str, display_name: str = "") -> User:
    user = User(username=username, role=role, display_name=display_name)
    user.set_password(PASSWORD)
    user.save()
    return user


# Tests that start other processes (gunicorn, manage.py in a scratch database, a second
# machine): `make test` runs them, `make test-fast` leaves them out.
PROCESSES = ("tests/faults/", "tests/passport/test_backup_restore.py",
             "tests/passport/test_raw_database_scan.py", "tests/passport/test_serving.py",
             "tests/passport/test_settings.py", "tests/passport/test_log_secrets.py",
             "tests/frontend/test_headers.py::test_check_deploy",
             "tests/frontend/test_headers.py::test_production_cookies",
             "tests/frontend/test_proxy.py::test_a_client_going_round_it",
             "tests/frontend/test_share_links.py::test_the_lock_holds_across_two_processes",
             "tests/test_translations.py::test_the_catalogues_compile", "tests/test_syscheck.py")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith(PROCESSES):
            item.add_marker(pytest.mark.processes)


@pytest.fixture(autouse=True)
def keys_held():
    """A test is one of the three edges that hold unwrapped data keys (docs/architecture.md 7),
    as a request or a command is: the domain it calls opens no scope of its own. Each request
    through the test client still gets its own, as in production."""
    with key_scope() as cache:
        yield cache


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Each test starts in the default language: a test that read a page in Arabic must not
    leave the next test in this process reading Arabic messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _today_is_today(request):
    """A test module's `TODAY` is today when each of its tests starts, not when the module was
    imported: a run crossing midnight compared yesterday's TODAY with the app's today and
    failed (a placement "ending today" had ended yesterday)."""
    from django.utils import timezone

    module = request.module
    if isinstance(getattr(module, "TODAY", None), datetime.date):
        module.TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _a_fresh_database(django_db_setup, django_db_blocker):
    """What the migrations wrote, remembered before any test writes (tests/support/demo.py)."""
    from tests.support import demo as demo_data

    with django_db_blocker.unblock():
        demo_data.remember_empty()


@pytest.fixture
def loaded(db) -> None:
    """The demo loaded, as `make run` loads it (tests/support/demo.py)."""
    from tests.support import demo as demo_data

    demo_data.load()


@pytest.fixture
def stockport(db) -> Area:
    """A council area, for care episodes and health teams."""
    return Area.objects.create(name="Stockport", code="E08000007")


@pytest.fixture
def admin_user(db) -> User:
    return make_user("alex.admin", Role.ADMIN, "Alex Morgan")


@pytest.fixture
def young_person(db) -> User:
    return make_user("yp.sam", Role.YOUNG_PERSON)


@pytest.fixture
def her_nurse(db) -> User:
    return make_user("nurse.priya", Role.NURSE, "Priya Shah")


@pytest.fixture
def other_nurse(db) -> User:
    return make_user("nurse.other", Role.NURSE, "Olu Other")


@pytest.fixture
def stranger(db) -> User:
    return make_user("stranger", Role.CARER, "Stan Stranger")


@pytest.fixture
def her_passport(db, admin_user, young_person, her_nurse) -> Passport:
    passport = actions.do_create_passport(
        admin_user, legal_name="Samantha Rose Jones", chosen_name="Sam",
        date_of_birth=datetime.date(2011, 6, 1), nhs_number="943 476 5919", owner=young_person,
    )
    actions.do_assign_professional(admin_user, passport, her_nurse)
    return passport


@pytest.fixture
def other_passport(db, admin_user, other_nurse) -> Passport:
    passport = actions.do_create_passport(
        admin_user, legal_name="Other Person", date_of_birth=datetime.date(2009, 1, 2),
    )
    actions.do_assign_professional(admin_user, passport, other_nurse)
    return passport


@pytest.fixture
def nurse_reach(her_passport, her_nurse) -> Reach:
    return reach(her_nurse, her_passport.pk)


@pytest.fixture
def asthma(nurse_reach):
    return actions.do_add_entry(nurse_reach, Condition, {
        "kind": "condition", "name": "Asthma", "details": "Preventer inhaler twice a day",
    })


def drop_audit_triggers() -> None:
    """What an attacker with database-owner rights could do; tests do it inside their
    rolled-back transaction to show that verify_audit still catches the tampering."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER passport_auditevent_no_update")
            cursor.execute("DROP TRIGGER passport_auditevent_no_delete")
        else:
            cursor.execute("DROP TRIGGER passport_auditevent_append_only ON passport_auditevent")


@pytest.fixture
def committed_db(transactional_db):
    """Committed writes (for threads and other connections). Afterwards the audit rows are
    removed with the triggers briefly off, so the flush between tests can run."""
    yield
    migration = importlib.import_module("passport.migrations.0002_audit_append_only")
    with connection.schema_editor() as editor:
        migration.drop_triggers(None, editor)
        editor.execute("DELETE FROM passport_auditevent")
        migration.create_triggers(None, editor)


def second_factor(user: User) -> Authenticator:
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    return device or Authenticator.create_for(user, name="test", confirmed=True)


def current_code(user: User) -> str:
    """The authenticator's code now; near the end of its 30 seconds, wait for the next one,
    so a slow machine never checks a code in the window after it was read."""
    device = second_factor(user)
    if time.time() % device.step > device.step - 3:
        time.sleep(device.step - time.time() % device.step + 0.1)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def login(client, user: User):
    """Signed in as the second-factor page leaves a session: professionals with both factors
    (the tests of the second factor itself go through the real pages)."""
    client.force_login(user)
    if user.role != Role.YOUNG_PERSON:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = second_factor(user).persistent_id
        session.save()
    return client
