"""What every page's shell needs: what the person may do (`can`, from the access package),
whether this device keeps her copy (so the service worker keeps it fresh, or deletes it), and
whether the quick exit shows."""

import time

from django.http import HttpRequest

from passport.access import capabilities
from passport.accounts import devices


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    can = capabilities.of(user)
    young = can.own_passport
    keeps = young and devices.device_for(user, request.COOKIES.get(devices.COOKIE)) is not None
    # A page with no signed-in young person also says "off": a shared phone never keeps
    # someone else's copy.
    from frontend.public import NEUTRAL_SITE

    # When the page was made, in milliseconds: the service worker acts on the newest page's
    # wish only, so a page that was already old cannot delete a copy a newer one kept.
    return {"can": can, "young_person": young, "offline_copy": "on" if keeps else "off",
            "copy_stamp": time.time_ns() // 1_000_000,
            "neutral_site": NEUTRAL_SITE}
