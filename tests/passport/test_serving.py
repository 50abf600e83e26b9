"""Serving in production: /healthz answers whenever the process is up, from any
address and host name a load balancer uses; /readyz says whether this worker can serve (the
database answers, the keys load, the erasure ledger is applied); static files collected with
fingerprints and compressed copies; logs as JSON without content."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from passport.encryption import keys
from passport.project.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_any_host_over_plain_http(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # Every other path still refuses an unknown host.
    assert Client().get("/", HTTP_HOST="10.0.0.5").status_code == 400


def test_readyz_checks_the_database_the_keys_and_the_erasure_ledger(her_passport, settings,
                                                                    tmp_path):
    response = Client().get("/readyz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "keys": True,
                                         "erasure_ledger": True}
    # A ledger naming a passport whose key still exists (a backup restored, the ledger not
    # yet re-applied): not ready.
    settings.HP_ERASURE_LEDGER = str(tmp_path / "ledger.jsonl")
    keys.erasure_ledger().append({"passport": str(her_passport.pk),
                                  "erased_at": timezone.now().isoformat(),
                                  "authorised_by": [], "reason": "test", "ruling": ""})
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "checks": {
        "database": True, "keys": True, "erasure_ledger": False}}


@pytest.mark.one_database  # no database involved: once is enough
def test_static_files_are_fingerprinted_and_compressed(tmp_path):
    env = dict(os.environ, HP_STATIC_MANIFEST="1", DJANGO_DEBUG="",
               DJANGO_STATIC_ROOT=str(tmp_path))
    script = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
              "'passport.project.settings'); django.setup(); from django.conf import settings; "
              f"settings.STATIC_ROOT = {str(tmp_path)!r}; "
              "from django.core.management import call_command; "
              # Ours only: the admin's, DRF's and the API docs' files take half a minute more.
              "call_command('collectstatic', interactive=False, verbosity=0, ignore_patterns="
              "['admin/*', 'rest_framework/*', 'drf_spectacular_sidecar/*', 'otp_webauthn/*'])")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=300)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["frontend/app.js"]
    assert hashed != "frontend/app.js" and hashed.startswith("frontend/app.")
    assert (tmp_path / (hashed + ".gz")).exists() and (tmp_path / (hashed + ".br")).exists()


def test_logs_are_json_lines_without_exception_text():
    try:
        raise ValueError("Penicillin allergy")  # content in an exception's text
    except ValueError:
        import sys as _sys

        record = logging.LogRecord("passport", logging.ERROR, __file__, 1,
                                   "reading %s failed", ("entry 1234",), _sys.exc_info())
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "reading entry 1234 failed"
    assert entry["exception"] == "ValueError" and "Penicillin" not in line
