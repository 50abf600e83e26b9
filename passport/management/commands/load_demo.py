from django.core.management.base import BaseCommand

from passport import demo


class Command(BaseCommand):
    help = "Load the demo organisation, people, passports and services (again: no duplicates)."

    def handle(self, *args, **options):
        created = demo.load()
        if created:
            self.stdout.write(f"Demo data loaded: {len(created)} passports.")
        else:
            self.stdout.write("Demo data already loaded: nothing to do.")
        self.stdout.write(f"\nDemo logins (password for all: {demo.PASSWORD})")
        self.stdout.write("Professionals also need a second factor: in another terminal run\n"
                          "  make code USER=nurse\n"
                          "and type the 6-digit code it prints (a new one every 30 seconds).")
        for person in demo.STAFF:
            self.stdout.write(f"  {person.username:<13} {person.role:<19} {person.display_name}")
        for person in demo.young_people():
            # The story, not the name: this output may end up in a terminal log.
            self.stdout.write(f"  {person['username']:<13} {'young_person':<19} "
                              f"{person['story']}")
