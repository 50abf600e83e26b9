from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from passport.encryption.crypto import keys_held
from passport.models import Authenticator
from passport.operations import demo


class Command(BaseCommand):
    help = ("Print the current second-factor code of a demo account (local development only), "
            "as its authenticator app would show it.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    @keys_held
    def handle(self, *args, **options):
        username = options["username"]
        if not settings.DEBUG:
            raise CommandError("Only for the demo, with DJANGO_DEBUG=1.")
        if username not in {p.username for p in demo.STAFF}:
            raise CommandError(f"{username} is not a demo professional.")
        device = Authenticator.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no authenticator: run make run first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():06d}  (valid for {left} more seconds, once)")
