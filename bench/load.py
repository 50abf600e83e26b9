"""A region's load on `make serve`.

Seeds 10,000 passports on PostgreSQL (BENCH_PASSPORTS to change it) through the real actions
(bench/seeding.py): each young person with an account, a care episode, a placement with a
foster carer, conditions and an allergy, vaccinations, an initial assessment recorded,
submitted and signed off, plan actions and an SDQ, in caseloads of 50 for 200 nurses. Above
20,000 (the national variant, `make bench-national`: 150,000 passports, as many as England's
children in care and care leavers) it seeds in bulk: the same rows, proved by
tests/passport/test_bulk_seeding.py, in minutes instead of hours (BENCH_SEED=actions|bulk to
choose). The seeded database and its keyring are kept in var/bench-load/ (a pg_dump), so later
runs restore it.

Then, one request at a time in this process: the area figures over the whole region and a
nurse's caseload, beside the sign-in page. Targets at 150,000: figures under 300 ms, caseload
under 100 ms.

Then starts `bin/serve` (what `make serve` runs: gunicorn, production settings, WhiteNoise) on
a free loopback port and, with an asyncio HTTP client (aiohttp) on the same machine:

1. Throughput, in the same run: a plain Django page that renders 20 database rows through a
   template (bench/baseline_urls.py, the same server and middleware), then the young person's
   passport page, each by 6 clients with no think time for 10 s; the ratio.
2. 100 people for 60 s, each signed in through the real pages (password, then the second
   factor for professionals), with 1 to 5 s of think time between clicks: young people opening
   their home, passport and sections and now and then making their booklet; nurses opening
   their caseload and a young person's passport and recording a condition; foster carers
   reading what they may. Requests per second, p50/p95/p99 and errors for each kind.

Targets: zero errors; caseload p95 under 150 ms; every kind's p99 under 300 ms; the passport
page's throughput at least 0.6 of the baseline's.

Run: make bench-load   (bin/with-postgres --durable .venv/bin/python bench/load.py: fsync on,
     as a real server runs); make bench-national (the same with BENCH_PASSPORTS=150000)
Bounded: each phase stops at its deadline or at BENCH_MAX_REQUESTS requests, whichever first;
it talks only to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import io
import json
import multiprocessing
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import warnings
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench-load"
WORK.mkdir(parents=True, exist_ok=True)

PASSPORTS = int(os.environ.get("BENCH_PASSPORTS", "10000"))
CASELOAD = 50
USERS = int(os.environ.get("BENCH_USERS", "100"))
DURATION = float(os.environ.get("BENCH_DURATION", "60"))
SATURATE_SECONDS, SATURATE_CLIENTS = 10.0, 6
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "60000"))
THINK = (1.0, 5.0)
PASSWORD = "bench-load-password"  # noqa: S105 (accounts of a throw-away benchmark database)

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("bench/load.py runs on PostgreSQL: make bench-load "
             "(or bin/with-postgres .venv/bin/python bench/load.py)")


def _keys() -> tuple[Path, str]:
    """The benchmark's own keyring and secret key, kept with the seeded dump they belong to."""
    keyring, secret = WORK / "keyring.json", WORK / "secret-key"
    if not keyring.exists():
        from passport.encryption import crypto

        keyring.write_text(json.dumps(crypto.new_keyring_data()))
        secret.write_text(secrets.token_urlsafe(40))
        for stale in WORK.glob("seed-*.dump"):
            stale.unlink()
    return keyring, secret.read_text().strip()


KEYRING, SECRET_KEY = _keys()
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "passport.project.settings", "DJANGO_SECRET_KEY": SECRET_KEY,
    "HP_KEYRING_FILE": str(KEYRING), "HP_ERASURE_LEDGER": str(WORK / "erasure-ledger.jsonl"),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SECURE_SSL_REDIRECT": "0",
})
os.environ.pop("DJANGO_DEBUG", None)

import django  # noqa: E402

django.setup()


from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402

from bench import seeding  # noqa: E402
from passport.encryption import crypto  # noqa: E402
from passport.models import Authenticator, Passport, Service, User  # noqa: E402

REGION = seeding.Region(PASSPORTS)
NURSES, CARERS = REGION.nurses, REGION.carers
# Bulk above 20,000: the actions take about 75 ms a young person (3 hours for 150,000); the
# bulk path writes the same rows (tests/passport/test_bulk_seeding.py).
SEED = os.environ.get("BENCH_SEED", "bulk" if PASSPORTS > 20_000 else "actions")
# Who signs in: young people, nurses and carers in about the shares a region sees in a day.
SIGNING_IN = {"young_person": USERS * 55 // 100, "nurse": USERS * 25 // 100}
SIGNING_IN["carer"] = USERS - sum(SIGNING_IN.values())


def _spread(count: int, among: int) -> set[int]:
    step = max(1, among // max(1, count))
    return {i * step for i in range(min(count, among))}


# --- seeding -------------------------------------------------------------------------------


def seed_staff() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seeding.seed_staff(REGION)
    for prefix, count in (("nurse", NURSES), ("carer", CARERS)):
        for n in _spread(SIGNING_IN[prefix], count):
            seeding.can_sign_in(User.objects.get(username=f"{prefix}.{n:05d}"), PASSWORD,
                                second_factor=True)


@crypto.keys_held
def seed_passports(bounds: tuple[int, int]) -> int:
    start, end = bounds
    connections.close_all()
    staff = seeding.Staff.load()
    young_signing_in = _spread(SIGNING_IN["young_person"], PASSPORTS)
    if SEED == "bulk":
        for first in range(start, end, 500):
            owners = seeding.in_bulk(list(range(first, min(first + 500, end))), staff, REGION)
            for owner in owners:
                if int(owner.username.removeprefix("yp.")) in young_signing_in:
                    seeding.can_sign_in(owner, PASSWORD, second_factor=False)
        return end - start
    for n in range(start, end):
        owner = seeding.young_person(n)
        owner.save()
        if n in young_signing_in:
            seeding.can_sign_in(owner, PASSWORD, second_factor=False)
        seeding.by_actions(n, owner, staff, REGION)
    return end - start


def twenty_services() -> None:
    """The baseline page's 20 rows: services directory entries (reference data)."""
    for n in range(20 - Service.objects.count()):
        Service.objects.create(slug=f"bench-service-{n}", name=f"Bench service {n}",
                               provider="Stockport Council", description="Drop-in, Tuesdays.",
                               min_age=11, max_age=25)


def _schema() -> str:
    """The newest migration: a dump seeded under an older schema is seeded again."""
    return sorted(p.stem for p in (ROOT / "passport" / "migrations").glob("0*.py"))[-1][:4]


def check_derived() -> None:
    """The derived dates the seeding wrote, worked out again from the records: no difference
    (`manage.py derived --check`, which exits 1 and names them if any differ)."""
    started = time.perf_counter()
    out = io.StringIO()
    call_command("derived", "--check", stdout=out)
    print(f"{out.getvalue().strip()} ({Passport.objects.count()} passports checked in "
          f"{time.perf_counter() - started:.0f} s)")


def seed() -> None:
    dump = WORK / f"seed-{PASSPORTS}-{SEED}-{_schema()}.dump"
    pg_bin = Path(os.environ.get("HP_PG_BIN", "/usr/bin"))
    url = os.environ["DATABASE_URL"]
    if dump.exists():
        started = time.perf_counter()
        subprocess.run([str(pg_bin / "pg_restore"), "--no-owner", "-j", "2", "-d", url,
                        str(dump)], check=True)
        with connections["default"].cursor() as cursor:  # a restore keeps no statistics
            cursor.execute("ANALYZE")
        print(f"restored the seeded database ({PASSPORTS} passports) and analysed it in "
              f"{time.perf_counter() - started:.0f} s")
        started, out = time.perf_counter(), io.StringIO()
        # Seeded under other rules: worked out again as the application does at start-up.
        call_command("migrate", "--noinput", verbosity=0)
        call_command("derived", "--refresh", "--stale", stdout=out)
        print(f"{out.getvalue().strip()} ({time.perf_counter() - started:.0f} s)")
        check_derived()
        return
    started = time.perf_counter()
    seed_staff()
    connections.close_all()
    half = PASSPORTS // 2
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        done = sum(pool.map(seed_passports, [(0, half), (half, PASSPORTS)]))
    print(f"seeded {done} passports ({Passport.objects.count()} in the database) "
          f"{'in bulk' if SEED == 'bulk' else 'through the actions'} in "
          f"{time.perf_counter() - started:.0f} s")
    check_derived()
    subprocess.run([str(pg_bin / "pg_dump"), "-Fc", "-f", str(dump), url],
                   check=True)


# --- two pages at this scale, one request at a time ----------------------------------------


def _signed_in(username: str) -> Client:
    """A session as the second-factor page leaves it (the test client, in this process)."""
    user = User.objects.get(username=username)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    device = (Authenticator.objects.filter(user=user, confirmed=True).first()
              or Authenticator.create_for(user, name="bench", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _timed(client: Client, path: str, rounds: int = 15) -> tuple[float, float]:
    client.get(path)  # a warm-up
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return min(samples) * 1000, statistics.median(samples) * 1000


def pages_at_scale() -> None:
    """The area figures over every young person in the region, and a nurse's caseload of 50,
    as the server takes them (Django's test client in this process, on this database), beside
    the sign-in page in the same run."""
    warnings.filterwarnings("ignore", message="No directory at")  # static files: bin/serve's
    base_best, base_median = _timed(Client(SERVER_NAME="127.0.0.1"), "/accounts/login/")
    figures = _signed_in("bench.designated")
    assert b"Area figures" in figures.get("/figures/").content, "no figures"
    nurse = _signed_in(seeding.Region(PASSPORTS).nurse_of(0))
    assert nurse.get("/").content.count(b'href="/p/') >= seeding.CASELOAD, "no caseload"
    figures_best, figures_median = _timed(figures, "/figures/")
    caseload_best, caseload_median = _timed(nurse, "/")
    print(f"\none request at a time, {PASSPORTS} passports:")
    print(f"  sign-in page (baseline): best {base_best:.1f} ms, median {base_median:.1f} ms")
    print(f"  area figures: best {figures_best:.1f} ms, median {figures_median:.1f} ms "
          f"(x{figures_best / base_best:.1f}; target under 300 ms at 150,000)")
    print(f"  caseload of {seeding.CASELOAD}: best {caseload_best:.1f} ms, median "
          f"{caseload_median:.1f} ms (x{caseload_best / base_best:.1f}; target under 100 ms "
          "at 150,000)")


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, HP_BIND=f"127.0.0.1:{port}", HP_ROOT_URLCONF="bench.baseline_urls")
    log = (WORK / "serve.log").open("w")
    server = subprocess.Popen([str(ROOT / "bin" / "serve")], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"make serve stopped: see {WORK / 'serve.log'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if b" 200 " in s.recv(100):
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    sys.exit("make serve did not become ready within 300 s")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


# --- the clients ---------------------------------------------------------------------------

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSPORT_LINK = re.compile(rb'href="/p/([0-9a-f-]{36})/"')


@dataclass
class Results:
    samples: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    errors: dict[str, collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter))
    total: int = 0

    def record(self, kind: str, seconds: float | None, error: str | None) -> None:
        if seconds is not None:  # None: a failure found in a page, not a request
            self.total += 1
            self.samples[kind].append(seconds)
        if error:
            self.errors[kind][error] += 1


class Done(Exception):
    """The phase's deadline (or its request limit) has passed: this person stops."""


class Visitor:
    """One person with a browser's session: cookies and the CSRF token from the last page."""

    until = float("inf")

    def __init__(self, http, base: str, results: Results, username: str) -> None:
        self.http, self.base, self.results, self.username = http, base, results, username
        self.cookies: dict[str, str] = {}
        self.token = ""

    async def request(self, kind: str, method: str, path: str, data: dict | None = None,
                      expect: tuple[int, ...] = (200,)) -> tuple[int, bytes, str]:
        if time.monotonic() >= self.until or self.results.total >= MAX_REQUESTS:
            raise Done
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if data is not None:
            data = dict(data, csrfmiddlewaretoken=self.token)
        started = time.perf_counter()
        status, body, location, error = 0, b"", "", None
        try:
            async with self.http.request(method, self.base + path, data=data, headers=headers,
                                         allow_redirects=False) as response:
                body = await response.read()
                status, location = response.status, response.headers.get("Location", "")
                for raw in response.headers.getall("Set-Cookie", []):
                    self._keep(raw)
        except Exception as exc:  # counted, never hidden
            error = type(exc).__name__
        if error is None and status not in expect:
            error = f"HTTP {status}" + (f" to {urllib.parse.urlsplit(location).path}"
                                        if location else "")
        self.results.record(kind, time.perf_counter() - started, error)
        if (match := CSRF.search(body)) is not None:
            self.token = match.group(1).decode()
        return status, body, location

    def _keep(self, raw: str) -> None:
        for name, morsel in SimpleCookie(raw).items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    async def sign_in(self) -> None:
        """As a browser does: the sign-in page, the password, then wherever it leads (the
        second factor for a professional)."""
        await self.request("sign in", "GET", "/accounts/login/")
        _status, _body, location = await self.request(
            "sign in", "POST", "/accounts/login/",
            {"username": self.username, "password": PASSWORD}, expect=(302,))
        for _hop in range(3):
            path = urllib.parse.urlsplit(location).path
            if not path:
                return
            if path == "/accounts/two-factor/":
                await self.request("sign in", "GET", path)
                await self.request("sign in", "POST", path, {
                    "code": await _code(self.username), "next": "/"}, expect=(302,))
                return
            _status, _body, location = await self.request("sign in", "GET", path,
                                                          expect=(200, 302))


def _code_now(username: str) -> str:
    device = Authenticator.objects.get(user__username=username)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


async def _code(username: str) -> str:
    return await asyncio.to_thread(_code_now, username)


def _sections(body: bytes, passport_id: str) -> list[str]:
    found = re.findall(rb'href="/p/' + passport_id.encode() + rb'/([a-z_]+)/"', body)
    return sorted({s.decode() for s in found}) or ["about_me"]


async def think() -> None:
    await asyncio.sleep(random.uniform(*THINK))


async def a_passport_from(visitor: Visitor, kind: str, missing: str) -> str | None:
    """Her home, a caseload or a carer's list; one of the passports it links to (None, and
    the failure counted, when it links to none)."""
    _status, page, _ = await visitor.request(kind, "GET", "/")
    links = PASSPORT_LINK.findall(page)
    if not links:
        visitor.results.record(kind, None, missing)
        return None
    return random.choice(links).decode()


async def read_a_section(visitor: Visitor, passport_id: str) -> None:
    """The passport page, then one of the sections it offers this person."""
    await think()
    _status, page, _ = await visitor.request("passport page", "GET", f"/p/{passport_id}/")
    await think()
    section = random.choice(_sections(page, passport_id))
    await visitor.request("section page", "GET", f"/p/{passport_id}/{section}/")


async def young_person(visitor: Visitor) -> None:
    passport_id = await a_passport_from(visitor, "young person's home", "no passport link")
    while passport_id is not None:  # until the deadline (Visitor.request raises Done)
        await read_a_section(visitor, passport_id)
        if random.random() < 0.04:
            await think()
            await visitor.request("booklet (PDF)", "POST", f"/p/{passport_id}/booklet/",
                                  {"preset": "everything", "language": "en-gb"})
        await think()
        await visitor.request("young person's home", "GET", "/")


async def nurse(visitor: Visitor) -> None:
    count = 0
    while passport_id := await a_passport_from(visitor, "caseload",
                                               "no passport in the caseload"):
        await think()
        await visitor.request("passport page", "GET", f"/p/{passport_id}/")
        await think()
        await visitor.request("section page", "GET", f"/p/{passport_id}/conditions/")
        if random.random() < 0.5:
            await think()
            count += 1
            await visitor.request(
                "record an entry", "POST", f"/p/{passport_id}/conditions/condition/add/",
                {"kind": "condition", "name": f"Hay fever {count}", "privacy": "auto",
                 "details": "Antihistamine in spring."}, expect=(302,))
        await think()


async def carer(visitor: Visitor) -> None:
    while passport_id := await a_passport_from(visitor, "carer's home",
                                               "no young person placed"):
        await read_a_section(visitor, passport_id)
        await think()


async def arrive(visitor: Visitor, journey, until: float) -> None:
    """People arrive over the first few seconds, as they do, not all in one instant."""
    visitor.until = until
    await asyncio.sleep(random.uniform(0, THINK[1]))
    with contextlib.suppress(Done):
        await journey(visitor)


def people() -> list[tuple[str, object]]:
    def names(prefix: str, count: int, among: int) -> list[str]:
        return [f"{prefix}.{n:05d}" for n in sorted(_spread(count, among))]

    return ([(n, young_person) for n in names("yp", SIGNING_IN["young_person"], PASSPORTS)]
            + [(n, nurse) for n in names("nurse", SIGNING_IN["nurse"], NURSES)]
            + [(n, carer) for n in names("carer", SIGNING_IN["carer"], CARERS)])


async def signed_in(http, base: str, results: Results, who) -> list[tuple[Visitor, object]]:
    visitors = [(Visitor(http, base, results, name), journey) for name, journey in who]
    limit = asyncio.Semaphore(4)

    async def one(visitor: Visitor) -> None:
        async with limit:
            await visitor.sign_in()

    await asyncio.gather(*(one(v) for v, _ in visitors))
    return visitors


async def saturate(visitors: list[Visitor], path_of, seconds: float) -> float:
    """Requests per second from clients with no think time."""
    until, done = time.monotonic() + seconds, 0

    async def loop(visitor: Visitor) -> None:
        nonlocal done
        while time.monotonic() < until and done < MAX_REQUESTS:
            await visitor.request("saturation", "GET", path_of(visitor), expect=(200,))
            done += 1

    started = time.monotonic()
    await asyncio.gather(*(loop(v) for v in visitors))
    return done / (time.monotonic() - started)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def report(results: Results, seconds: float) -> None:
    print(f"\n{'kind of request':<22} {'count':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7}  errors")
    for kind in sorted(set(results.samples) | set(results.errors)):
        samples = results.samples.get(kind, [])
        errors = results.errors.get(kind) or {}
        shown = ", ".join(f"{e}: {n}" for e, n in errors.items()) or "0"
        print(f"{kind:<22} {len(samples):>6} {len(samples) / seconds:>6.1f} "
              f"{percentile(samples, 50):>7.0f} {percentile(samples, 95):>7.0f} "
              f"{percentile(samples, 99):>7.0f}  {shown}")
    everything = [s for samples in results.samples.values() for s in samples]
    errors = sum(sum(c.values()) for c in results.errors.values())
    print(f"{'all':<22} {len(everything):>6} {len(everything) / seconds:>6.1f} "
          f"{percentile(everything, 50):>7.0f} {percentile(everything, 95):>7.0f} "
          f"{percentile(everything, 99):>7.0f}  {errors}")


async def run(base: str) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        warm = Results()
        who = people()
        visitors = await signed_in(http, base, warm, who)
        failed = sum(sum(c.values()) for c in warm.errors.values())
        print(f"signed in {len(visitors)} people through the real pages ({failed} failures)")
        if failed:
            print(dict(warm.errors))
        young = [v for v, journey in visitors if journey is young_person][:SATURATE_CLIENTS]
        own = {}
        for v in young:
            _s, home, _ = await v.request("warm-up", "GET", "/")
            own[v.username] = PASSPORT_LINK.findall(home)[0].decode()
        _s, rows, _ = await young[0].request("warm-up", "GET", "/bench/twenty-rows/")
        assert rows.count(b"<tr><td>") == 20, "the baseline page does not show 20 rows"
        for v in young:  # warm every worker's caches and connections
            for _ in range(3):
                await v.request("warm-up", "GET", f"/p/{own[v.username]}/")
                await v.request("warm-up", "GET", "/bench/twenty-rows/")
        rates = {"baseline": [], "passport": []}
        for _round in range(2):  # interleaved, so a drift in the machine touches both alike
            rates["baseline"].append(await saturate(
                young, lambda v: "/bench/twenty-rows/", SATURATE_SECONDS / 2))
            rates["passport"].append(await saturate(
                young, lambda v: f"/p/{own[v.username]}/", SATURATE_SECONDS / 2))
        base_rate, passport_rate = (statistics.mean(rates["baseline"]),
                                    statistics.mean(rates["passport"]))
        errors = sum(sum(c.values()) for c in warm.errors.values())
        print(f"\nthroughput, {SATURATE_CLIENTS} clients without think time "
              f"({errors} errors):")
        print(f"  plain page, 20 rows through a template (baseline): {base_rate:.1f} req/s")
        print(f"  the young person's passport page: {passport_rate:.1f} req/s, "
              f"{passport_rate / base_rate:.0%} of the baseline (target at least 60%)")

        results = Results()
        for visitor, _journey in visitors:
            visitor.results = results
        until = time.monotonic() + DURATION
        started = time.monotonic()
        await asyncio.gather(*(arrive(v, journey, until) for v, journey in visitors))
        elapsed = time.monotonic() - started
        print(f"\n{len(visitors)} people for {elapsed:.0f} s with {THINK[0]:.0f} to "
              f"{THINK[1]:.0f} s of think time ({len(who)} sessions, {PASSPORTS} passports):")
        report(results, elapsed)
        print("targets: zero errors; caseload p95 under 150 ms; every p99 under 300 ms")


def main() -> None:
    print(f"database: PostgreSQL, {PASSPORTS} passports; {os.cpu_count()} cores")
    seed()
    twenty_services()
    pages_at_scale()
    connections.close_all()
    port = free_port()
    started = time.perf_counter()
    server = start_server(port)
    print(f"make serve ready on 127.0.0.1:{port} in {time.perf_counter() - started:.0f} s "
          f"({os.environ.get('HP_WORKERS', 'four a core')} workers)")
    try:
        asyncio.run(run(f"http://127.0.0.1:{port}"))
    finally:
        stop_server(server)
    shutil.copy(WORK / "serve.log", WORK / "serve-last.log")


if __name__ == "__main__":
    main()
