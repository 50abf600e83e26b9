from django.core.management.base import BaseCommand

from passport.encryption.crypto import keys_held
from passport.records import audit


class Command(BaseCommand):
    help = ("Print the signed head of every audit chain as JSON lines, to keep off this machine "
            "(verify_audit --checkpoints FILE checks the log against them).")

    @keys_held
    def handle(self, *args, **options):
        self.stdout.write(audit.checkpoint_lines(audit.export_checkpoints()), ending="")
