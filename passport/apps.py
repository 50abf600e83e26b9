from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class PassportConfig(AppConfig):
    name = "passport"
    verbose_name = "Health Passport"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from passport import crypto, keys

        # Refuse to start with a keyring that cannot be read: better no service than a service
        # that writes records nobody can decrypt.
        try:
            keys.keyring()
            keys.erasure_ledger().erased_ids()
        except crypto.KeyringError as exc:
            raise ImproperlyConfigured(
                f"The keyring at {settings.HP_KEYRING_FILE} cannot be used: {exc}. "
                "See README, 'Keys and escrow'."
            ) from None
