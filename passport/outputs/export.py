"""The young person's data export: one documented JSON document of everything she
can see in her passport, through the same item filter as her pages (never an entry held back
from her), with other people's information marked.

Format `health-passport-export/1`:
    {"format", "made_at", "about": {legal_name, chosen_name, date_of_birth, nhs_number},
     "sections": {section key: {"title", "entries": [{"type", "id", "version", "created_at",
        "updated_at", "added_by_you", "private", "about_other_people", "fields": {...}}],
        "not_known_yet": [...]}},
     "sharing": [{"with", "sections", "since", "until"}],
     "who_has_looked": [{"who", "what", "when"}],
     "notes": [...]}

`about_other_people` marks entries that hold information about someone else (her birth
family's health, other people's contact details): hers to keep, theirs to be careful with.
A formal subject access request (which also covers drafts, quality-assurance comments and
logs) is handled by the organisation; the README says how.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from passport.access.policy import Purpose, Reach
from passport.models import Grant
from passport.records import audit, sections, selectors

FORMAT = "health-passport-export/1"
ABOUT_OTHERS = frozenset({"family_history", "contact"})


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):  # an area, a service: its name
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_for(reach: Reach) -> dict:
    """Only for the young person herself (her own copy of what she can see)."""
    if not reach.is_owner:
        raise PermissionDenied
    from passport.access.sharing import who_has_looked

    who = selectors.identity(reach)
    document: dict[str, Any] = {
        "format": FORMAT, "made_at": timezone.now().isoformat(),
        "about": {"legal_name": who.legal_name, "chosen_name": who.chosen_name,
                  "date_of_birth": _plain(who.date_of_birth),
                  "nhs_number": who.nhs_number},
        "sections": {},
    }
    for key in sections.TITLES:
        if not reach.can(key):
            continue
        view = selectors.section_view(reach, key, Purpose.EXPORT)
        entries = [{
            "type": entry.TYPE, "id": str(entry.pk), "version": entry.version,
            "created_at": _plain(entry.created_at), "updated_at": _plain(entry.updated_at),
            "added_by_you": entry.added_by_young_person, "private": entry.is_private,
            "about_other_people": entry.TYPE in ABOUT_OTHERS,
            "fields": {f.name: _plain(getattr(entry, f.name))
                       for f in type(entry).content_fields()
                       if getattr(entry, f.name) not in (None, "")},
        } for _model, group in view.groups for entry in group]
        unknown = [{"item": u.item, "where_to_find": u.where_to_find,
                    "asked_on": _plain(u.asked_on), "status": u.status}
                   for u in view.unknown]
        document["sections"][key] = {"title": str(sections.TITLES[key]),
                                     "entries": entries, "not_known_yet": unknown}
    document["sharing"] = [
        {"with": str(g.grantee), "sections": list(g.sections),
         "since": _plain(g.granted_at), "until": _plain(g.until)}
        for g in Grant.objects.filter(passport=reach.passport, revoked_at__isnull=True)
        .select_related("grantee")]
    document["who_has_looked"] = [{"who": look.who, "what": str(look.what),
                                   "when": _plain(look.when)}
                                  for look in who_has_looked(reach)]
    document["notes"] = [
        "Entries marked about_other_people hold information about someone else: keep "
        "them safe and think before sharing them.",
        "This is everything you can see in your passport. To ask for everything the "
        "service holds about you (a subject access request), contact the service.",
    ]
    audit.record_event(actor=reach.user, action="data_exported", passport=reach.passport)
    return document
