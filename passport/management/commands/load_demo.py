from django.core.management.base import BaseCommand

from passport.encryption.crypto import keys_held
from passport.operations import demo


class Command(BaseCommand):
    help = "Load the demo organisation, people, passports and services (again: no duplicates)."

    @keys_held
    def handle(self, *args, **options):
        created = demo.load()
        if created:
            self.stdout.write(f"Demo data loaded: {len(created)} passports.")
        else:
            self.stdout.write("Demo data already loaded: nothing to do.")
        self.stdout.write(f"\nDemo logins (password for all: {demo.PASSWORD})")
        self.stdout.write("Professionals then need a second factor: run the command beside "
                          "their name in another terminal\nand type the 6-digit code it "
                          "prints (a new one every 30 seconds, each works once).")
        for person in demo.STAFF:
            self.stdout.write(f"  {person.username:<13} {person.role:<19} "
                              f"{person.display_name:<17} make code USER={person.username}")
        for person in demo.young_people():
            # The story, not the name: this output may end up in a terminal log.
            self.stdout.write(f"  {person['username']:<13} {'young_person':<19} "
                              f"{person['story']}")
