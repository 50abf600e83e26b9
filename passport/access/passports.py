"""Fetch a passport for a user, with the policy applied: 404 for what they may not know exists,
403 for a section their basis does not open."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from passport.access.policy import Action, Reach, reach
from passport.models import User


def get_passport_for_user(
    user: User, passport_id: UUID, section: str | None = None, action: Action = Action.READ
) -> Reach:
    found = reach(user, passport_id)
    if found is None:
        raise Http404
    if section is not None and not found.can(section, action):
        raise PermissionDenied
    return found
