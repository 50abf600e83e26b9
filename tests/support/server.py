"""The app as it runs in production, for fault tests: gunicorn with production settings on a
scratch database (migrated, demo loaded) on a free loopback port, and a plain HTTP client that
signs in through the real pages. Nothing here talks to anything but 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from django_otp.oath import TOTP

from passport.operations import demo
from tests.support.databases import ScratchDatabase

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def prepare(database: ScratchDatabase) -> None:
    database.manage("migrate", "--noinput")
    database.manage("createcachetable")
    database.manage("load_demo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class App:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_holding(self, client_port: int) -> int | None:
        """The worker whose accepted socket is the client's connection (Linux /proc)."""
        inode = _socket_inode(self.port, client_port)
        for pid in self.workers():
            try:
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    if os.readlink(fd) == f"socket:[{inode}]":
                        return pid
            except (FileNotFoundError, ProcessLookupError):
                continue
        return None

    def ready(self) -> bool:
        try:
            return Browser(self.base).get("/readyz").status == 200
        except OSError:
            return False


def _socket_inode(server_port: int, client_port: int) -> str | None:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        local, remote = parts[1].split(":")[1], parts[2].split(":")[1]
        if int(local, 16) == server_port and int(remote, 16) == client_port:
            return parts[9]
    return None


def server_env(database: ScratchDatabase, port: int, workers: int, **extra: str) -> dict:
    return database.env(
        HP_BIND=f"127.0.0.1:{port}", HP_WORKERS=str(workers), DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DB_CONN_MAX_AGE="60", **extra)


@contextmanager
def running(database: ScratchDatabase, tmp: Path, *, workers: int = 2, port: int | None = None,
            **extra: str) -> Iterator[App]:
    """gunicorn as `make serve` starts it (passport/project/gunicorn.py), stopped with SIGTERM."""
    port = port or free_port()
    log = tmp / f"gunicorn-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "passport.project.wsgi:application", "-c",
         "passport/project/gunicorn.py"], cwd=ROOT,
        env=server_env(database, port, workers, **extra),
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    app = App(process, port, log)
    try:
        deadline = time.monotonic() + 60
        while not (app.ready() and len(app.workers()) == workers):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield app
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path

    def json(self) -> dict:
        return json.loads(self.text)


@dataclass
class Browser:
    """Cookies kept by hand (the production cookies are Secure and __Host-, which a cookie jar
    would not send over plain HTTP to loopback), and the CSRF token of the last form."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    timeout: float = 30

    def connect(self) -> http.client.HTTPConnection:
        host = urllib.parse.urlsplit(self.base)
        return http.client.HTTPConnection(host.hostname, host.port, timeout=self.timeout)

    def send(self, connection: http.client.HTTPConnection, method: str, path: str,
             data: dict | None = None, headers: dict | None = None) -> None:
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(dict(data, csrfmiddlewaretoken=self.token), doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)

    def receive(self, connection: http.client.HTTPConnection) -> Response:
        raw = connection.getresponse()
        text = raw.read().decode("utf-8", "replace")
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        if (match := CSRF.search(text)) is not None:
            self.token = match.group(1)
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)

    def request(self, method: str, path: str, data: dict | None = None,
                headers: dict | None = None) -> Response:
        connection = self.connect()
        try:
            self.send(connection, method, path, data, headers)
            return self.receive(connection)
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)

    def sign_in(self, username: str, database: ScratchDatabase) -> Browser:
        """Password, then the second factor for a professional: the real pages."""
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username,
                                                   "password": demo.PASSWORD})
        assert response.status == 302, f"{username} could not sign in ({response.status})"
        if self.get("/").location == "/accounts/two-factor/":
            self.get("/accounts/two-factor/")
            response = self.post("/accounts/two-factor/", {"code": code(database, username),
                                                           "next": "/"})
            assert response.status == 302, f"{username}'s second factor failed"
        return self


def code(database: ScratchDatabase, username: str) -> str:
    """What the demo professional's authenticator shows now (near the end of its 30 seconds,
    the next one, so a slow machine never sends a code a window late)."""
    line = database.manage("shell", "-c", (
        "from passport.models import Authenticator; "
        f"d = Authenticator.objects.get(user__username={username!r}, confirmed=True); "
        "print(d.bin_key.hex(), d.step, d.t0, d.digits)")).splitlines()[-1].split()
    key, step, t0, digits = bytes.fromhex(line[0]), int(line[1]), int(line[2]), int(line[3])
    if step - (time.time() - t0) % step < 3:
        time.sleep(step - (time.time() - t0) % step + 0.2)
    return f"{TOTP(key, step, t0, digits).token():0{digits}d}"
