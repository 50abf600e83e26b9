from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_the_visit, dispatch_uid="hp-previous-visit")


def _remember_the_visit(sender, request, user, **kwargs) -> None:
    """"New since your last visit" compares with the sign-in before this one: kept in the
    session, and the account moves on to now."""
    from django.utils import timezone

    previous = getattr(user, "previous_visit", None)
    request.session["since"] = previous.isoformat() if previous else ""
    type(user).objects.filter(pk=user.pk).update(previous_visit=timezone.now())
