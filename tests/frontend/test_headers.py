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
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
