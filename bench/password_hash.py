"""How long one password hash takes (Argon2id tuned to about 50 to 150 ms here),
beside Django's PBKDF2 default and Django's own Argon2 settings, measured in the same run."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport.project.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("HP_KEYRING_FILE", "unused-by-this-bench")

from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
)

from passport.encryption.hashers import TunedArgon2PasswordHasher

ROUNDS = 7


def timed(hasher) -> float:
    samples = []
    for n in range(ROUNDS):
        start = time.perf_counter()
        hasher.encode(f"correct horse battery staple {n}", hasher.salt())
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    tuned = timed(TunedArgon2PasswordHasher())
    default_argon = timed(Argon2PasswordHasher())
    pbkdf2 = timed(PBKDF2PasswordHasher())
    print(f"tuned Argon2id (ours):   {tuned * 1000:.0f} ms a hash (target 50 to 150 ms)")
    print(f"Django's Argon2 default: {default_argon * 1000:.0f} ms")
    print(f"Django's PBKDF2 default: {pbkdf2 * 1000:.0f} ms (ratio ours/PBKDF2 "
          f"{tuned / pbkdf2:.2f})")
    print("target met" if 0.050 <= tuned <= 0.150 else "TARGET MISSED")


if __name__ == "__main__":
    main()
