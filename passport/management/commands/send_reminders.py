from django.core.management.base import BaseCommand

from passport.care.tasks import send_reminders
from passport.encryption.crypto import keys_held


class Command(BaseCommand):
    help = ("Email each professional whose tasks are due (placements to re-confirm, holds to "
            "review, break glass to review). Run it from cron; each task is emailed once.")

    @keys_held
    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
