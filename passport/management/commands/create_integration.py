"""manage.py create_integration "Name of the system" [--days N]: an account and credential
for a connected system that may only submit immunisation records for a nurse to review. The
secret is printed once."""

from django.core.management.base import BaseCommand

from passport.accounts import tokens
from passport.encryption.crypto import keys_held


class Command(BaseCommand):
    help = "Make a connected system's credential (submits immunisations; reads nothing)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--days", type=int, default=365)

    @keys_held
    def handle(self, *args, name: str, days: int, **options):
        token, secret = tokens.create_integration(name, days)
        self.stdout.write(f"{token.user.username}: {secret}\n(expires "
                          f"{token.expires_at:%Y-%m-%d}; shown once, keep it in a secrets "
                          "manager)")
