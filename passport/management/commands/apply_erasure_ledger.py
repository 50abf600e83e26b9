from django.core.management.base import BaseCommand

from passport.encryption.crypto import keys_held
from passport.records import erasure


class Command(BaseCommand):
    help = (
        "Re-apply the erasure ledger: destroy again the data keys of every passport it names. "
        "Part of every restore, before the app serves (README, 'Restoring a backup')."
    )

    @keys_held
    def handle(self, *args, **options):
        redone, total = erasure.apply_ledger()
        self.stdout.write(f"The ledger names {total} erased passports; {redone} were restored "
                          "from a backup and have been erased again.")
