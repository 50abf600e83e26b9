"""With DEBUG off and no configured keys, the app refuses to start and says what to set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "HP_", "DATABASE_URL"))}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=60, check=False)


def test_it_refuses_without_a_secret_key():
    result = start(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "No secret key is configured. Set DJANGO_SECRET_KEY" in result.stderr


def test_it_refuses_without_a_keyring():
    result = start(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "No keyring is configured. Set HP_KEYRING_FILE" in result.stderr


@pytest.mark.parametrize("content", [None, "{not json", '{"keks": {}}'])
def test_it_refuses_a_keyring_it_cannot_use(tmp_path, content):
    keyring = tmp_path / "keyring.json"
    if content is not None:
        keyring.write_text(content)
    result = start(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, HP_KEYRING_FILE=str(keyring),
                   DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert f"The keyring at {keyring} cannot be used" in result.stderr


def test_it_starts_with_keys_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 50)
    result = start(DJANGO_DEBUG="0", DJANGO_SECRET_KEY_FILE=str(secret),
                   HP_KEYRING_FILE=os.environ["HP_KEYRING_FILE"],
                   DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr


def test_passwords_are_stored_with_argon2id_and_checked_as_typed(settings):
    from django.contrib.auth.hashers import check_password, make_password

    from passport.project import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS  # the tests' fast hasher put aside
    stored = make_password("Correct Horse Battery Staple, 64 characters long or even longer!")
    assert stored.startswith("argon2$argon2id$v=19$m=65536,t=2,p=2$")
    assert check_password("Correct Horse Battery Staple, 64 characters long or even longer!",
                          stored)
    assert not check_password("correct horse battery staple, 64 characters long or even "
                              "longer!", stored)  # no case folding
    assert not check_password("Correct Horse Battery Staple, 64 characters long or even",
                              stored)  # no truncation
