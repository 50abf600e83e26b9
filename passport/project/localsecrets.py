"""Generate the local development secrets once: `python -m passport.project.localsecrets`.

Writes var/secrets/local-keys.json (git-ignored, owner-only): the Django secret key, a first
key-encryption key, the blind-index key, the audit key and the key that signs phone
reminders (VAPID). Never overwrites an existing file:
losing it makes every local record unreadable.
"""

import json
import secrets
import sys

from passport.encryption import crypto
from passport.project.paths import LOCAL_KEYS_FILE


def main() -> int:
    if LOCAL_KEYS_FILE.exists():
        data = json.loads(LOCAL_KEYS_FILE.read_text())
        if not data.get("vapid_key"):  # a keyring from before reminders: adding loses nothing
            data["vapid_key"] = crypto.new_vapid_key()
            crypto.write_secret_json(LOCAL_KEYS_FILE, data)
            print(f"Local keys: {LOCAL_KEYS_FILE} (kept; added a key for phone reminders)")
            return 0
        print(f"Local keys: {LOCAL_KEYS_FILE} (kept)")
        return 0
    data = crypto.new_keyring_data()
    data["django_secret_key"] = secrets.token_urlsafe(50)
    crypto.write_secret_json(LOCAL_KEYS_FILE, data)
    print(f"Local keys: generated {LOCAL_KEYS_FILE}. Back it up: without it the local "
          "database cannot be read.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
