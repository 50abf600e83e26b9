"""Reminders on her phone (passport/accounts/push.py, passport/care/phone_reminders.py;
decision 0057), sent for real to a push service on loopback (tests/support/push_service.py):
the request is signed with our VAPID key, encrypted for her browser alone, and holds nothing
but "My Health: you have something new"; once a day at most, never 21:00-08:00 UK time; a
"gone" answer removes the subscription; it ends with her session; only known push services."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from passport.accounts import push
from passport.care import phone_reminders
from passport.encryption import keys
from passport.models import Appointment, PushSubscription, ReminderSent, SignedInSession
from passport.records import actions
from tests.support.push_service import Browser, PushService, vapid_claims

UK = ZoneInfo("Europe/London")


def at(hour: int, minute: int = 0, days: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=UK)


@pytest.fixture
def loopback(settings):
    settings.HP_PUSH_ALLOW_LOOPBACK = True


@pytest.fixture
def service(loopback):
    with PushService() as running:
        yield running


@pytest.fixture
def her_session(young_person):
    now = timezone.now()
    return SignedInSession.objects.create(user=young_person, device="Chrome, Android",
                                          started_at=now, last_seen_at=now)


@pytest.fixture
def browser():
    return Browser()


@pytest.fixture
def subscribed(young_person, her_session, service, browser, her_passport):
    return push.do_subscribe(young_person, her_session.pk,
                             browser.subscription(service.base + "/push/sub-1"))


@pytest.fixture
def clinic_tomorrow(nurse_reach):
    return actions.do_add_entry(nurse_reach, Appointment, {
        "on_date": timezone.localdate() + datetime.timedelta(days=1),
        "what_for": "Sexual health clinic", "where": "Brook, Stockport", "status": "booked"})


def test_it_reaches_her_phone_signed_encrypted_and_saying_nothing(
        subscribed, service, browser, clinic_tomorrow, settings):
    assert phone_reminders.send_phone_reminders(at(10)) == 1
    [received] = service.received
    assert received.path == "/push/sub-1"
    claims = vapid_claims(received, keys.keyring().vapid_public())
    assert claims["aud"] == service.base and claims["sub"] == settings.HP_PUSH_CONTACT
    assert int(received.headers["ttl"]) == push.TTL
    assert b"Sexual" not in received.body  # encrypted on the wire
    message = browser.decrypt(received)
    assert message == {"title": "My Health", "body": "You have something new.", "url": "/",
                       "tag": "my-health"}
    text = str(message)
    for content in ("Sexual", "Brook", "Sam", "Jones", "appointment", "clinic"):
        assert content not in text
    assert PushSubscription.objects.get(pk=subscribed.pk).last_sent_at is not None


def test_in_her_language(subscribed, service, browser, clinic_tomorrow, young_person):
    young_person.language = "ar"
    young_person.save(update_fields=["language"])
    phone_reminders.send_phone_reminders(at(10))
    message = browser.decrypt(service.received[0])
    assert message["body"] != "You have something new." and message["url"] == "/"


def test_no_other_browser_can_read_it(subscribed, service, clinic_tomorrow):
    phone_reminders.send_phone_reminders(at(10))
    assert Browser().cannot_decrypt(service.received[0])


def test_at_most_once_a_day_and_each_thing_once(subscribed, service, clinic_tomorrow,
                                                nurse_reach, young_person):
    assert phone_reminders.send_phone_reminders(at(10)) == 1
    assert phone_reminders.send_phone_reminders(at(11)) == 0  # nothing new
    actions.do_add_entry(nurse_reach, Appointment, {
        "on_date": timezone.localdate() + datetime.timedelta(days=2),
        "what_for": "Dentist", "status": "booked"})  # something new for her
    assert phone_reminders.send_phone_reminders(at(12)) == 0  # new, but she heard today
    assert phone_reminders.send_phone_reminders(at(9, days=1)) == 1  # the next morning
    assert len(service.received) == 2
    # She asked for each one: a new thing reaches her the same day.
    young_person.reminders_each_time = True
    young_person.previous_visit = timezone.now()  # she looked; then her nurse adds something
    young_person.save(update_fields=["reminders_each_time", "previous_visit"])
    actions.do_add_entry(nurse_reach, Appointment, {
        "on_date": timezone.localdate() + datetime.timedelta(days=3),
        "what_for": "Optician", "status": "booked"})
    assert phone_reminders.send_phone_reminders(at(10, days=1)) == 1
    assert len(service.received) == 3


@pytest.mark.parametrize(("hour", "minute", "sent"), [
    (21, 0, False), (23, 30, False), (2, 0, False), (7, 59, False), (8, 0, True),
    (20, 59, True)])
def test_never_at_night_uk_time(subscribed, service, clinic_tomorrow, hour, minute, sent):
    # the appointment is "tomorrow" for every hour asked, all on the same day
    assert (phone_reminders.send_phone_reminders(at(hour, minute)) == 1) is sent
    assert bool(service.received) is sent


def test_her_review_coming_up_reminds_her_until_she_says_what_she_thinks(
        subscribed, service, her_passport):
    from passport.models import Passport

    Passport.objects.filter(pk=her_passport.pk).update(
        next_assessment_on=timezone.localdate() + datetime.timedelta(days=30),
        next_assessment_kind="review")
    assert phone_reminders.send_phone_reminders(at(10)) == 1
    assert "push:review:" in " ".join(ReminderSent.objects.values_list("key", flat=True))


def test_a_gone_answer_removes_the_subscription(subscribed, service, clinic_tomorrow):
    service.status = 410
    assert phone_reminders.send_phone_reminders(at(10)) == 0
    assert not PushSubscription.objects.exists()
    assert not ReminderSent.objects.exists()  # not told: it waits for another device


def test_a_failing_service_keeps_it_and_the_next_run_tries_again(subscribed, service,
                                                                 clinic_tomorrow):
    service.status = 503
    assert phone_reminders.send_phone_reminders(at(10)) == 0
    assert PushSubscription.objects.filter(pk=subscribed.pk).exists()
    service.status = 201
    assert phone_reminders.send_phone_reminders(at(11)) == 1
    assert len(service.received) == 2


def test_a_redirect_is_not_followed(subscribed, clinic_tomorrow, loopback):
    with PushService() as elsewhere:
        with PushService(status=307, location=elsewhere.base + "/internal") as redirecting:
            PushSubscription.objects.all().delete()
            browser = Browser()
            push.do_subscribe(subscribed.user, subscribed.session_id,
                              browser.subscription(redirecting.base + "/push/x"))
            assert phone_reminders.send_phone_reminders(at(10)) == 0
        assert len(redirecting.received) == 1
        assert elsewhere.received == []


@pytest.mark.parametrize("url", [
    "http://fcm.googleapis.com/fcm/send/x",  # not HTTPS
    "https://169.254.169.254/latest/meta-data/",
    "https://127.0.0.1/x", "https://[::1]/x", "https://localhost/x",
    "https://fcm.googleapis.com.evil.example/x", "https://evil.example/fcm.googleapis.com",
    "https://user:pw@fcm.googleapis.com/x", "https://fcm.googleapis.com:8443/x",
    "https://notify.windows.com.evil.example/x", "https://xnotify.windows.com/x",
    "file:///etc/passwd", "ftp://fcm.googleapis.com/x", "https:///x", "https://fcm.googleapis.com:x/",
    "http://127.0.0.1:9/x",  # loopback, without the test setting
    "https://fcm.googleapis.com/" + "x" * 1000, None, 42,
    # The reviewer's: urlsplit reads the Windows host, the HTTP library localhost.
    "https://localhost\\.notify.windows.com/x", "https://127.0.0.1\\.push.apple.com/x",
    "https://fcm.googleapis.com./x", "https://fcm.googleapis.com /x",
    "https://%6c%6f%63alhost.notify.windows.com/x", "https://fcm.googleapis.com/%zz",
    "https://fcm.googleapis.com\t/x",
])
def test_only_known_push_services(url):
    with pytest.raises(ValidationError):
        push.check_endpoint(url)


@pytest.mark.parametrize("url", [
    "https://fcm.googleapis.com/fcm/send/abc:def", "https://updates.push.services.mozilla.com/"
    "wpush/v2/gAAAA", "https://web.push.apple.com/QGuQyavXutnMA", "https://wns2-par02p.notify."
    "windows.com/w/?token=BQYAAA%2bKq%2f", "https://FCM.googleapis.com/fcm/send/x"])
def test_the_known_push_services_are_accepted(url):
    push.check_endpoint(url)


def test_checked_again_at_every_send(subscribed, service, clinic_tomorrow, settings):
    settings.HP_PUSH_ALLOW_LOOPBACK = False  # what was allowed then is not now
    assert phone_reminders.send_phone_reminders(at(10)) == 0
    assert service.received == [] and not PushSubscription.objects.exists()


def test_only_a_young_persons_live_session_subscribes(young_person, her_session, her_nurse,
                                                      service, browser):
    info = browser.subscription(service.base + "/push/a")
    nurse_session = SignedInSession.objects.create(
        user=her_nurse, started_at=timezone.now(), last_seen_at=timezone.now())
    with pytest.raises(ValidationError):
        push.do_subscribe(her_nurse, nurse_session.pk, info)
    with pytest.raises(ValidationError):  # someone else's session
        push.do_subscribe(young_person, nurse_session.pk, info)
    with pytest.raises(ValidationError):  # keys that are not a browser's
        push.do_subscribe(young_person, her_session.pk, dict(info, keys={"p256dh": "abc",
                                                                         "auth": "x"}))
    her_session.ended_at = timezone.now()
    her_session.save()
    with pytest.raises(ValidationError):
        push.do_subscribe(young_person, her_session.pk, info)
    assert not PushSubscription.objects.exists()


def test_the_address_and_keys_are_sealed_at_rest(subscribed, service):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed, endpoint_hash FROM passport_pushsubscription")
        sealed, index = cursor.fetchone()
    assert "127.0.0.1" not in sealed and "sub-1" not in sealed and "127.0.0.1" not in index


def test_it_ends_when_her_session_runs_out(subscribed, service, clinic_tomorrow):
    session = subscribed.session
    session.last_seen_at = timezone.now() - datetime.timedelta(days=15)
    session.save()
    assert phone_reminders.send_phone_reminders(at(10)) == 0
    assert not PushSubscription.objects.exists() and service.received == []


def test_a_kek_rotation_reseals_them_and_keeps_the_vapid_key(subscribed, service, settings,
                                                              tmp_path, clinic_tomorrow):
    import io
    from pathlib import Path

    from django.core.management import call_command

    from passport.encryption import rotation

    path = tmp_path / "keyring.json"
    path.write_text(Path(settings.HP_KEYRING_FILE).read_text())
    settings.HP_KEYRING_FILE = str(path)
    settings.HP_ERASURE_LEDGER = str(tmp_path / "erasure-ledger.jsonl")
    try:
        old_kek, public = keys.keyring().current_kek_id, keys.keyring().vapid_public()
        assert rotation.kek_in_use(old_kek) >= 1
        call_command("rotate_keys", new_kek=True, stdout=io.StringIO())
        found = PushSubscription.objects.get(pk=subscribed.pk)
        assert found.sealed.startswith(keys.keyring().current_kek_id + ":")
        assert rotation.kek_in_use(old_kek) == 0
        assert keys.keyring().vapid_public() == public  # browsers subscribed with it
        assert phone_reminders.send_phone_reminders(at(10)) == 1
        vapid_claims(service.received[0], public)
    finally:
        keys.reload_keyring()


def test_a_key_that_is_not_a_browsers_is_refused(young_person, her_session, service):
    import base64

    zeros = base64.urlsafe_b64encode(b"\x04" + bytes(64)).decode().rstrip("=")
    info = Browser().subscription(service.base + "/push/bad")
    with pytest.raises(ValidationError):
        push.do_subscribe(young_person, her_session.pk, dict(info, keys=dict(info["keys"],
                                                                             p256dh=zeros)))
    assert not PushSubscription.objects.exists()


def test_one_phone_that_cannot_be_sent_to_stops_nobody_else(subscribed, service, browser,
                                                            clinic_tomorrow, admin_user,
                                                            her_nurse):
    """The reviewer's: a stored key the library cannot use raised out of the cron run, so
    everyone after her got nothing, and her reminder stayed claimed, never told."""
    import base64
    import json as json_

    from passport.models import Role
    from passport.models.devices import seal
    from tests.conftest import make_user

    other = make_user("yp.other", Role.YOUNG_PERSON)
    theirs = actions.do_create_passport(admin_user, legal_name="Other Person", owner=other,
                                        date_of_birth=datetime.date(2010, 1, 1))
    actions.do_assign_professional(admin_user, theirs, her_nurse)
    from passport.access.policy import reach

    actions.do_add_entry(reach(her_nurse, theirs.pk), Appointment, {
        "on_date": timezone.localdate() + datetime.timedelta(days=1), "what_for": "Dentist",
        "status": "booked"})
    now = timezone.now()
    session = SignedInSession.objects.create(user=other, started_at=now, last_seen_at=now)
    broken = PushSubscription(user=other, session=session, endpoint_hash="x", created_at=now)
    zeros = base64.urlsafe_b64encode(b"\x04" + bytes(64)).decode().rstrip("=")
    broken.sealed = seal(broken.pk, json_.dumps({
        "endpoint": service.base + "/push/broken",
        "keys": {"p256dh": zeros, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}).encode(), push.SEALED_AS)
    broken.save(force_insert=True)
    assert phone_reminders.send_phone_reminders(at(10)) == 1  # Sam, whatever the order
    assert [r.path for r in service.received] == ["/push/sub-1"]
    assert not ReminderSent.objects.filter(user=other).exists()  # hers waits: not lost
