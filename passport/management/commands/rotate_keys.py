import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from passport.encryption import crypto, keys, rotation
from passport.encryption.crypto import keys_held


class Command(BaseCommand):
    help = (
        "Re-wrap every passport's data key under the current key-encryption key (KEK), then "
        "decrypt every value to prove nothing was lost. --new-kek first adds a new current KEK "
        "to the keyring file; --retire removes an old KEK once no data key uses it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new-kek", action="store_true",
                            help="generate a new KEK in the keyring file and make it current")
        parser.add_argument("--retire", metavar="KEK_ID",
                            help="only remove this KEK from the keyring (refused while in use)")
        parser.add_argument("--add-vapid-key", action="store_true",
                            help="only add the key that signs phone reminders, if the keyring "
                                 "has none (never replaced: every phone subscribed with it)")

    @keys_held
    def handle(self, *args, **options):
        path = Path(settings.HP_KEYRING_FILE)
        if options["add_vapid_key"]:
            data = json.loads(path.read_text())
            if data.get("vapid_key"):
                raise CommandError("The keyring has a VAPID key already: kept.")
            data["vapid_key"] = crypto.new_vapid_key()
            crypto.write_secret_json(path, data)
            keys.reload_keyring()
            self.stdout.write("Added the VAPID key: reminders on phones can be turned on. "
                              "Escrow the new keyring now.")
            return
        if options["retire"]:
            self._retire(path, options["retire"])
            return
        if options["new_kek"]:
            data = json.loads(path.read_text())
            kek_id = crypto.add_kek(data)
            crypto.write_secret_json(path, data)
            keys.reload_keyring()
            self.stdout.write(f"Added KEK {kek_id} as current. Escrow the new keyring now.")
        report = rotation.RotationReport()
        rotation.rewrap_all(report)
        rotation.verify_all_values(report)
        moved = ", ".join(f"{k}: {n}" for k, n in sorted(report.from_keks.items())) or "none"
        self.stdout.write(
            f"Re-wrapped {report.rewrapped} data keys under {keys.keyring().current_kek_id} "
            f"(from {moved}); {report.already_current} were already current.\n"
            f"Verified {report.values_checked} values in {report.rows_checked} rows: "
            f"{len(report.failures)} failures."
        )
        if report.failures:
            for failure in report.failures[:20]:
                self.stderr.write(failure)
            raise CommandError("Some values did not decrypt: keep every old KEK until resolved.")

    def _retire(self, path: Path, kek_id: str) -> None:
        data = json.loads(path.read_text())
        if kek_id not in data["keks"]:
            raise CommandError(f"KEK {kek_id} is not in the keyring.")
        if kek_id == data["current_kek"]:
            raise CommandError(f"KEK {kek_id} is current and cannot be retired.")
        in_use = rotation.kek_in_use(kek_id)
        if in_use:
            raise CommandError(f"KEK {kek_id} still wraps {in_use} data keys: not retired.")
        retired = data["keks"].pop(kek_id)
        crypto.write_secret_json(path, data)
        keys.reload_keyring()
        # A process still on the old keyring could have wrapped a key meanwhile: look again,
        # and put the KEK back rather than lose that key.
        in_use = rotation.kek_in_use(kek_id)
        if in_use:
            data["keks"][kek_id] = retired
            crypto.write_secret_json(path, data)
            keys.reload_keyring()
            raise CommandError(f"KEK {kek_id} was used again while retiring: kept. Run "
                               "rotate_keys, then retire it again.")
        self.stdout.write(f"Retired KEK {kek_id}.")
