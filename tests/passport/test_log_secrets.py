"""No secret from a path in any log line, whatever the path's shape and
whichever logger writes it, locally (DEBUG) as in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from passport.project.logs import redact, redact_path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq9xSecretTokenValue123"


@pytest.mark.parametrize("path", [
    f"/accounts/invitation/{SECRET}/", f"/share/{SECRET}/", f"/share/{SECRET}",
    f"/accounts/reset/MQ/{SECRET}/", f"/accounts/reset/MQ/{SECRET}",
    f"/accounts/invitation/{SECRET}/?x=1",
])
def test_a_secret_is_hidden_whatever_the_paths_shape(path):
    assert SECRET not in redact_path(path) and "[hidden]" in redact_path(path)
    assert SECRET not in redact(f"Gone: {path}")


def test_ordinary_paths_are_kept():
    assert redact_path("/p/1a2b/conditions/") == "/p/1a2b/conditions/"
    assert redact_path("/share/booklet/") == "/share/booklet/"


@pytest.mark.one_database  # logging only
@pytest.mark.parametrize("debug", ["1", ""])
def test_djangos_own_loggers_write_no_secret(debug):
    env = dict(os.environ, DJANGO_DEBUG=debug, HP_LOG_FORMAT="plain")  # the tests' own keys
    script = ("import logging; "
              f"logging.getLogger('django.request').warning('Gone: %s', "
              f"'/accounts/invitation/{SECRET}/'); "
              f"logging.getLogger('django.server').info('\"GET /share/{SECRET} HTTP/1.1\" 301')")
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    output = done.stdout + done.stderr
    assert "Gone: /accounts/invitation/[hidden]/" in output, output[-2000:]
    assert SECRET not in output
