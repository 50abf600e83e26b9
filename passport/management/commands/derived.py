"""Her derived dates (passport/records/derived.py): `--check` works every passport's dates out
again and names each passport and column whose stored date differs (exit 1 if any); `--refresh`
writes them (run nightly by cron: dates pass without a write); `--refresh --stale` only those
worked out under other rules (run as the application starts, after migrate).
Passport ids and column names only: never a date or a name."""

from django.core.management.base import BaseCommand, CommandError

from passport.encryption.crypto import keys_held
from passport.records import derived


class Command(BaseCommand):
    help = "Check (--check) or write again (--refresh) every passport's derived dates."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true")
        group.add_argument("--refresh", action="store_true")
        parser.add_argument("--stale", action="store_true",
                            help="With --refresh: only passports kept under other rules.")

    @keys_held
    def handle(self, *args, check=False, refresh=False, stale=False, **options):
        if stale and not refresh:
            raise CommandError("--stale goes with --refresh.")
        if refresh:  # a transaction per chunk of passports
            changed = derived.refresh_all(stale_only=stale)
            self.stdout.write(f"Derived dates written again: {changed} passports changed.")
            return
        found = derived.differences()
        for passport_id, column in found:
            self.stdout.write(f"{passport_id} {column}")
        if found:
            raise CommandError(f"{len(found)} derived dates differ from the record.")
        self.stdout.write("Derived dates: no difference.")
