from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def service_details_are_set(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Live with the demo contact details, a young person asking for her records would email
    an address nobody reads (decision 0021)."""
    if settings.SERVICE_DETAILS_ARE_DEMO:
        return [checks.Warning(
            "The privacy notice and contact page show demo values.",
            hint="Set HP_CONTROLLER_NAME and the other HP_ service details (README, "
                 "Configuration).", id="passport.W001")]
    return []


class PassportConfig(AppConfig):
    name = "passport"
    verbose_name = "Health Passport"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from passport.accounts import sessions
        from passport.encryption import crypto, keys

        user_logged_out.connect(sessions.signed_out, dispatch_uid="passport.accounts.sessions")

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
