from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passport.encryption.crypto import keys_held
from passport.models import AuditEvent
from passport.records import audit


class Command(BaseCommand):
    help = (
        "Check every audit chain: finds events edited, deleted, reordered or inserted out of "
        "order, and a cut-off tail (against the signed heads, and against kept checkpoints)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoints", type=Path,
                            help="a file written by export_audit_checkpoints")

    @keys_held
    def handle(self, *args, **options):
        points = []
        if options["checkpoints"]:
            points = audit.read_checkpoints(options["checkpoints"].read_text())
        problems = audit.verify_all(points)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"The audit log fails verification: {len(problems)} problems.")
        self.stdout.write(f"The audit log is intact: {AuditEvent.objects.count()} events.")
