"""Security headers on every HTML page, and Django's deployment checks with production
settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]


def nonce_of(response) -> str:
    policy = response["Content-Security-Policy"]
    found = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    assert found, policy
    return found.group(1)


@pytest.fixture
def pages(her_passport, asthma, her_nurse, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    return [
        (Client(), "/accounts/login/"), (Client(), "/services/"),
        (Client(), "/services/does-not-exist/"),
        (login(Client(), her_nurse), "/"),
        (login(Client(), her_nurse), f"/p/{her_passport.pk}/conditions/"),
        (login(Client(), her_nurse), "/accounts/two-factor/setup/"),
        (login(Client(), admin_user), "/admin/"),
        (login(Client(), admin_user), "/admin/passport/passport/"),
    ]


def test_every_html_page_has_a_strict_policy_with_a_fresh_nonce(pages):
    for client, url in pages:
        first, second = client.get(url), client.get(url)
        assert first["Content-Type"].startswith("text/html"), url
        policy = first["Content-Security-Policy"]
        for rule in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'",
                     "default-src 'self'"):
            assert rule in policy, (url, rule)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert nonce_of(first) != nonce_of(second), url
        assert first["Cache-Control"] == "no-store"


def test_the_nonce_is_the_one_the_page_uses(pages):
    client, url = pages[0]
    response = client.get(url)
    assert f'nonce="{nonce_of(response)}"' in response.content.decode()


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {"DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-0123456789-abcdef",
            "DJANGO_ALLOWED_HOSTS": "passport.example.nhs.uk",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}"}

    def check_deploy(**more: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT, env=env | more, capture_output=True, text=True, timeout=120, check=False)

    result = check_deploy()  # the demo's service details would go live: refused
    assert result.returncode != 0 and "passport.W001" in result.stdout + result.stderr
    result = check_deploy(HP_CONTROLLER_NAME="Real Place NHS Trust")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_page_says_nosniff_keeps_the_referrer_in_and_cannot_be_framed(pages):
    for client, url in pages:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url


def test_production_cookies_are_secure_host_only_and_hidden_from_scripts(tmp_path):
    """The real production settings, read by a separate process started as `make serve`
    would start it."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {"DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-key-0123456789-abcdef",
            "DJANGO_ALLOWED_HOSTS": "passport.example.nhs.uk",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}"}
    script = ("from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, "
              "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
              "s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
              "s.SECURE_SSL_REDIRECT, s.DEBUG)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["__Host-sessionid", "True", "True", "Lax",
                                     "__Host-csrftoken", "True", "31536000", "True", "False"]
