"""Argon2id tuned for this service: about 90 ms a hash on the reference machine
(bench/password_hash.py prints it). Django's defaults (100 MiB, 8 lanes) take about 180 ms
here; OWASP's floor is 19 MiB and 2 passes."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # the same encoded format: existing hashes keep working
    time_cost = 2
    memory_cost = 65536  # KiB: 64 MiB
    parallelism = 2
