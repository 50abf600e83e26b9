"""A worker killed with SIGKILL while saving an assessment: the assessment is saved
whole or not at all (its entry, its first revision and its audit event together, the audit
chain intact), and the other worker goes on serving while gunicorn starts a new one."""

import datetime
import os
import signal
import threading
import time
import uuid

from django.utils import timezone

from passport.operations import demo
from tests.support.server import Browser, running

MIA = uuid.uuid5(demo.NAMESPACE, "yp.demo1")
ROUNDS = 8
CHECK = """
from passport.models import Assessment, AuditEvent, Revision
for a in Assessment.objects.filter(passport_id=%r):
    if a.done_by.startswith('Killed round') and a.summary.endswith('Settled.'):
        revisions = Revision.objects.filter(entry_id=a.pk).count()
        events = AuditEvent.objects.filter(object_id=a.pk).count()
        print(a.done_by.replace(' ', '_'), revisions, events)
""" % str(MIA)  # noqa: UP031 (a script's text, with braces of its own kept plain)


def assessment(round_: int) -> dict:
    return {"kind": "review", "held_on": (timezone.localdate()
                                          - datetime.timedelta(days=3)).isoformat(),
            "outcome": "done", "done_by": f"Killed round {round_}", "privacy": "auto",
            "summary": f"Growth on the 50th centile, round {round_}. " + "Settled. " * 200}


def save_and_kill(app, nurse: Browser, round_: int, delay: float) -> str:
    """Send the save, find the worker holding this connection, and kill it after `delay`."""
    connection = nurse.connect()
    connection.connect()
    client_port = connection.sock.getsockname()[1]
    nurse.send(connection, "POST", f"/p/{MIA}/assessments/assessment/add/", assessment(round_))
    worker = None
    deadline = time.monotonic() + 2
    while worker is None and time.monotonic() < deadline:
        worker = app.worker_holding(client_port)
    assert worker is not None, "no worker took the request"
    time.sleep(delay)
    os.kill(worker, signal.SIGKILL)
    try:
        status = nurse.receive(connection).status
        return f"answered {status}"
    except Exception:  # http.client's RemoteDisconnected, a reset connection and kin
        return "cut off"
    finally:
        connection.close()


def test_a_killed_worker_leaves_no_half_saved_assessment(database, tmp):
    with running(database, tmp, workers=2) as app:
        nurse = Browser(app.base).sign_in("nurse", database)
        nurse.get(f"/p/{MIA}/assessments/")  # the form's CSRF token
        reader = Browser(app.base).sign_in("yp.demo1", database)
        served, stop = [], threading.Event()

        def keep_reading():  # someone else using the service all the while
            while not stop.is_set():
                served.append(reader.get(f"/p/{MIA}/").status)
                time.sleep(0.05)

        thread = threading.Thread(target=keep_reading)
        thread.start()
        outcomes = []
        try:
            for round_ in range(ROUNDS):
                delay = 0.005 * 2 ** round_ if round_ else 0  # from at once to 0.64 s
                outcomes.append(save_and_kill(app, nurse, round_, delay))
                deadline = time.monotonic() + 20
                while len(app.workers()) < 2 and time.monotonic() < deadline:
                    time.sleep(0.1)  # gunicorn starts a new worker
        finally:
            stop.set()
            thread.join(timeout=30)
        assert "cut off" in outcomes, f"no kill landed inside a request: {outcomes}"
        assert served and set(served) == {200}, f"the reader saw {sorted(set(served))}"
        assert nurse.get(f"/p/{MIA}/assessments/").status == 200  # the nurse carries on
    saved = [line.split() for line in database.manage("shell", "-c", CHECK).splitlines()
             if line.startswith("Killed_round")]
    for _name, revisions, events in saved:
        assert (revisions, events) == ("1", "1"), f"half-saved: {_name}"
    # Every request that was answered saved its assessment; a cut-off one may or may not have
    # committed before the kill, but never partly.
    answered = [outcome for outcome in outcomes if outcome.startswith("answered")]
    assert set(answered) <= {"answered 302"}, outcomes
    answered = len(answered)
    assert answered <= len(saved) <= ROUNDS, (outcomes, len(saved))
    assert "intact" in database.manage("verify_audit").lower()
