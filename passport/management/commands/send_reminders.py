from django.core.management.base import BaseCommand

from passport.care.phone_reminders import send_phone_reminders
from passport.care.tasks import send_reminders
from passport.encryption.crypto import keys_held


class Command(BaseCommand):
    help = ("Email each professional whose tasks are due (placements to re-confirm, holds to "
            "review, break glass to review), and remind each young person who turned reminders "
            "on of something new, on her phone (at most once a day, never 21:00-08:00 UK "
            "time). Run it from cron, hourly; each thing is told once.")

    @keys_held
    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
        reminded = send_phone_reminders()
        self.stdout.write(f"{reminded} young person(s) reminded on their phone")
