"""Loaded by pytest before Django (`-p tests.environment` in pyproject.toml).

Gives every test process its own keyring, erasure ledger and SQLite file in a temporary
directory, so tests never touch the developer's var/ and never need DJANGO_DEBUG.
"""

import atexit
import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from passport.encryption import crypto

_root = Path(tempfile.mkdtemp(prefix="hp-tests-"))
atexit.register(shutil.rmtree, _root, ignore_errors=True)

_keyring = _root / "keyring.json"
_keyring.write_text(json.dumps(crypto.new_keyring_data()))

os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
os.environ["HP_KEYRING_FILE"] = str(_keyring)
os.environ["HP_ERASURE_LEDGER"] = str(_root / "erasure-ledger.jsonl")
os.environ["HP_TEST_SQLITE"] = str(_root / "test.sqlite3")
os.environ["HP_TEST_ROOT"] = str(_root)
# Tests speak plain HTTP to the test client; production redirects to HTTPS.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
