"""What every page's shell needs: whether this device keeps her copy (so the service worker
keeps it fresh, or deletes it), and whether the quick exit shows."""

from django.http import HttpRequest

from passport import devices
from passport.models import Role


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    young = bool(user and user.is_authenticated and user.role == Role.YOUNG_PERSON)
    keeps = young and devices.device_for(user, request.COOKIES.get(devices.COOKIE)) is not None
    # A page with no signed-in young person also says "off": a shared phone never keeps
    # someone else's copy.
    from frontend.shell import NEUTRAL_SITE

    return {"young_person": young, "offline_copy": "on" if keeps else "off",
            "neutral_site": NEUTRAL_SITE}
