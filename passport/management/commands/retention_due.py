from django.core.management.base import BaseCommand

from passport.encryption.crypto import keys_held
from passport.records import erasure


class Command(BaseCommand):
    help = (
        "List the passports whose retention period has ended (to the 25th birthday, or the "
        "26th if 17 when care ended), for the data controller to decide on. Prints ids, dates "
        "and legal holds only: no names or health content. Nothing is erased."
    )

    @keys_held
    def handle(self, *args, **options):
        due = erasure.past_retention()
        for passport, ends in due:
            when = ends.isoformat() if ends else "date of birth not recorded"
            hold = "  legal hold" if passport.legal_hold else ""
            self.stdout.write(f"{passport.pk}  retention ended {when}{hold}")
        self.stdout.write(f"{len(due)} passport(s) past their retention period.")
