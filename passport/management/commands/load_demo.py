from django.core.management.base import BaseCommand

from passport import demo


class Command(BaseCommand):
    help = "Load the demo people and passports (running it again duplicates nothing)."

    def handle(self, *args, **options):
        created = demo.load()
        if created:
            self.stdout.write(f"Demo data loaded: {len(created)} passports.")
        else:
            self.stdout.write("Demo data already loaded: nothing to do.")
        self.stdout.write(f"\nDemo logins (password for all: {demo.PASSWORD})")
        for person in demo.STAFF:
            self.stdout.write(f"  {person.username:<10} {person.role}  ({person.display_name})")
        for person in demo.YOUNG_PEOPLE:
            self.stdout.write(f"  {person['username']:<10} young_person")
