import getpass
import sys
from uuid import UUID

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import HttpRequest

from passport.encryption.crypto import keys_held
from passport.models import Passport
from passport.records import erasure


class Command(BaseCommand):
    help = (
        "Erase a passport for good (crypto-shredding), authorised by two different people "
        "(one the Caldicott guardian), each confirming with their password. Refused under a "
        "legal hold, and before the retention period ends unless a legal ruling is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("passport", type=UUID)
        parser.add_argument("--reason", required=True)
        parser.add_argument("--authorised-by", required=True, metavar="USERNAME")
        parser.add_argument("--confirmed-by", required=True, metavar="USERNAME")
        parser.add_argument("--ruling", default="",
                            help="the legal ruling that allows erasure before retention ends")
        parser.add_argument("--passwords-from-stdin", action="store_true",
                            help="read the two passwords from standard input, one a line")

    @keys_held
    def handle(self, *args, **options):
        passport = Passport.objects.filter(pk=options["passport"]).first()
        if passport is None:
            raise CommandError("No such passport.")
        usernames = [options["authorised_by"], options["confirmed_by"]]
        authorisers = [self._confirm(name, options["passwords_from_stdin"]) for name in usernames]
        try:
            erasure.do_erase_passport(passport, authorisers=authorisers,
                                      reason=options["reason"], ruling=options["ruling"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Erased passport {passport.pk}: its data keys are destroyed and the "
                          "erasure ledger records it.")

    def _confirm(self, username: str, from_stdin: bool):
        if from_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"Password for {username}: ")
        # A local request: the lockout counts failures here too.
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        user = authenticate(request, username=username, password=password)
        if user is None:
            raise CommandError(f"{username} could not be confirmed.")
        return user
