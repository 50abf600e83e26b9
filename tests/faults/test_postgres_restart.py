"""PostgreSQL stopped and started under load: during the outage every request gets
a clean 503 (a problem document from the API, a plain page for people, Retry-After, no trace
and nothing of the database's own words), and when PostgreSQL is back the app answers again by
itself, with no restart, within 5 seconds."""

import threading
import time
import uuid

import pytest

from passport.operations import demo
from tests.support.databases import ScratchDatabase
from tests.support.postgres import own_postgres
from tests.support.server import Browser, prepare, running

MIA = uuid.uuid5(demo.NAMESPACE, "yp.demo1")
PATHS = (f"/p/{MIA}/", f"/p/{MIA}/conditions/", "/api/v1/passports/")
CLIENTS, OUTAGE = 4, 4.0


def load(browser: Browser, stop: threading.Event, seen: list) -> None:
    """One person clicking as fast as the server answers, until told to stop (bounded)."""
    for n in range(20_000):
        if stop.is_set():
            return
        path = PATHS[n % len(PATHS)]
        try:
            response = browser.get(path)
            seen.append((time.monotonic(), path, response.status, response))
        except OSError as exc:
            seen.append((time.monotonic(), path, type(exc).__name__, None))
        time.sleep(0.02)


@pytest.mark.one_database  # brings its own PostgreSQL server: once is enough
def test_an_outage_fails_cleanly_and_the_app_recovers_by_itself(tmp_path):
    with own_postgres() as postgres:
        database = ScratchDatabase(postgres.url, "postgresql", tmp_path / "ledger.jsonl")
        prepare(database)
        with running(database, tmp_path, workers=2) as app:
            people = [Browser(app.base, timeout=10).sign_in("yp.demo1", database)
                      for _ in range(CLIENTS)]
            stop, seen = threading.Event(), []
            threads = [threading.Thread(target=load, args=(p, stop, seen)) for p in people]
            for thread in threads:
                thread.start()
            try:
                time.sleep(2)
                stopping = time.monotonic()
                postgres.stop("fast")
                down = time.monotonic()
                time.sleep(OUTAGE)
                postgres.start()
                back = time.monotonic()
                time.sleep(7)
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=30)
            ready_after = app.ready()
    before = [s for s in seen if s[0] < stopping]
    during = [s for s in seen if down + 0.5 < s[0] < back - 0.2]
    after = [s for s in seen if s[0] > back]
    assert before and {s[2] for s in before} == {200}
    assert during and {s[2] for s in during} == {503}, sorted({str(s[2]) for s in during})
    for _at, path, _status, response in during:
        assert response.headers["retry-after"] == "5"
        assert "Traceback" not in response.text and "psycopg" not in response.text
        assert "connection" not in response.text.lower()  # not the driver's words
        if path.startswith("/api/"):
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["status"] == 503
        else:
            assert "try again in a moment" in response.text.lower()
    first_success = min(s[0] for s in after if s[2] == 200)
    recovery = first_success - back
    print(f"answered again {recovery:.2f} s after PostgreSQL was back")
    assert recovery < 5
    settled = [s for s in after if s[0] > first_success + 1]
    assert settled and {s[2] for s in settled} == {200}
    assert ready_after
