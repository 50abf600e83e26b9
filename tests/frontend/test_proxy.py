"""Behind a load balancer HTTPS is recognised, and only from it. A client
that reaches the app directly and says "X-Forwarded-Proto: https" (or forges its address) is
not believed; SECURE_PROXY_SSL_HEADER is set only when a proxy is configured, and the proxies'
addresses are never "*"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def behind_a_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.HP_PROXY_COUNT = 1
    settings.HP_PROXY_ADDRESSES = ["10.0.0.0/24"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_without_a_proxy_a_clients_forwarded_https_is_ignored(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https",
                            REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_the_load_balancer_is_believed(db, behind_a_proxy):
    response = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https",
                            REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200


def test_a_client_going_round_the_load_balancer_is_not(db, behind_a_proxy):
    response = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https",
                            REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_a_client_going_round_it_cannot_forge_its_address_for_the_lockout(db, behind_a_proxy):
    from passport.models import SignInCounter

    Client().post("/accounts/login/", {"username": "x", "password": "y"}, secure=True,
                  REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    keys = set(SignInCounter.objects.values_list("key", flat=True))
    assert "address:203.0.113.9" in keys and "address:198.51.100.1" not in keys


def settings_with(**env: str) -> subprocess.CompletedProcess:
    """The settings as a fresh process builds them from this environment. The value is printed
    after a marker: `manage.py shell` prints its own line about automatic imports, and in which
    order the two lines reach a pipe is not fixed."""
    # The test run's own secrets stay (a clean clone has no var/secrets/local-keys.json);
    # every other setting comes from this environment alone.
    keep = ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE")
    clean = {k: v for k, v in os.environ.items()
             if k in keep or not k.startswith(("HP_PROXY", "DJANGO_"))}
    clean |= {"DJANGO_DEBUG": "1"} | env
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; "
         "print('header=', settings.SECURE_PROXY_SSL_HEADER, sep='')"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False)


def _header(run: subprocess.CompletedProcess) -> str:
    printed = [line for line in run.stdout.splitlines() if line.startswith("header=")]
    assert len(printed) == 1, run.stdout + run.stderr
    return printed[0].removeprefix("header=")


@pytest.mark.one_database  # settings only: once is enough
def test_the_proxy_header_is_trusted_only_when_a_proxy_is_configured():
    assert _header(settings_with()) == "None"
    assert _header(settings_with(HP_PROXY_COUNT="1", HP_PROXY_ADDRESSES="10.0.0.5")
                   ) == "('HTTP_X_FORWARDED_PROTO', 'https')"
    refused = settings_with(HP_PROXY_COUNT="1", HP_PROXY_ADDRESSES="*")
    assert refused.returncode != 0 and "never '*'" in refused.stderr
