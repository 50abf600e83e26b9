"""The "My health" booklet (docs/architecture.md 11): a PDF the young person keeps, prints
and shows to a new GP, a dentist, a college nurse.

Rendered by WeasyPrint from the print templates in passport/templates/booklet/, tagged
(PDF/UA-1) with its title and language, A4 with page numbers and a running header. What goes in
comes through the same policy and item filter as every page: the sections this reader may see,
never a held-back entry, an assessment only once signed off. Who may make which booklet:
- the young person: any sections she can see;
- her health team: the care leaver's summary, once it is marked ready;
- a share-link viewer: only the shared sections.
Each booklet made is written to the access log (who, which sections), never its content. An
optional password encrypts it with AES-256 (pikepdf); the password is never stored or logged.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io
import os
import secrets
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passport.access import capabilities
from passport.access.policy import Basis, Purpose, Reach
from passport.records import audit, sections, selectors
from passport.records.selectors import SectionView

# In the booklet's order. Time in care is the council's record, not a health booklet's.
ORDER = ("about_me", "contacts", "immunisations", "birth_history", "family_history",
         "conditions", "assessments", "health_plan", "wellbeing", "sexual_health",
         "appointments", "my_services")
PRESETS = {
    # Family history only if she adds it (docs/architecture.md 11); sexual health only if she ticks
    # it: a printed booklet is shown to people.
    "everything": tuple(s for s in ORDER if s not in ("family_history", "sexual_health")),
    "new_gp": ("about_me", "contacts", "immunisations", "conditions"),
}
PRESET_LABELS = {
    "everything": gettext_lazy("Everything except family history and sexual health"),
    "new_gp": gettext_lazy("For a new GP: about me, contacts, immunisations, conditions"),
    "choose": gettext_lazy("Let me choose"),
}
MIN_PASSWORD = 8
RTL = frozenset({"ar", "fa", "ur", "he", "ps"})


def may_make(reach: Reach) -> tuple[str, ...]:
    """The sections this reader may put in a booklet ("" if none)."""
    if not capabilities.can_make_booklet(reach):
        return ()
    return tuple(s for s in ORDER if reach.can(s))


def choose(allowed: tuple[str, ...], preset: str, sections_: list[str]) -> list[str]:
    """The sections a preset names among those this reader may include (`may_make`), or
    ("choose") her own choice, which `render` then checks: the page and the API alike."""
    if preset in PRESETS:
        return [s for s in PRESETS[preset] if s in allowed]
    return list(sections_)


def check_choice(reach: Reach, chosen: list[str], password: str = "") -> list[str]:
    allowed = may_make(reach)
    if not allowed:
        raise PermissionDenied
    chosen = [s for s in ORDER if s in set(chosen)]
    errors: dict[str, list[str]] = {}
    if not chosen:
        errors["sections"] = [_("Choose at least one section.")]
    elif any(s not in allowed for s in chosen):
        raise PermissionDenied
    if password and len(password) < MIN_PASSWORD:
        errors["password"] = [_("Use at least %(n)d characters, or leave it empty.") % {
            "n": MIN_PASSWORD}]
    if errors:
        raise ValidationError(errors)
    return chosen


def gather(reach: Reach, chosen: list[str], *, show_unknown: bool = False) -> list[SectionView]:
    """What each chosen section shows this reader on paper (selectors.section_view with the
    handout's purpose: never an entry held back from her, an assessment only once signed off,
    of her plan only what is still to do): a fixed number of queries per section, however
    many entries it holds."""
    return [selectors.section_view(reach, key, Purpose.HANDOUT, show_unknown=show_unknown,
                                   extras=True) for key in chosen]


def _log(reach: Reach, chosen: list[str]) -> None:
    if Basis.SHARE_LINK in reach.bases:
        actor, object_id, basis = None, reach.link_use_id, Basis.SHARE_LINK
    else:
        actor = reach.user
        basis, object_id = reach.logged_as(chosen[0])
    for key in chosen:  # who, and which sections; never what was in them
        audit.record_event(actor=actor, action="booklet_made", passport=reach.passport,
                           basis=basis, section=key, object_id=object_id)


def render(reach: Reach, chosen: list[str], *, language: str, password: str = "",
           show_unknown: bool = False) -> bytes:
    """The booklet as PDF bytes. Raises PermissionDenied or ValidationError before any work."""
    from weasyprint import HTML

    chosen = check_choice(reach, chosen, password)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages.")]})
    made_on = timezone.localdate()
    with translation.override(language):
        gathered = gather(reach, chosen, show_unknown=show_unknown)
        # Only sections with something in them; every other section is named once, at the
        # end, whatever the reason (not chosen, not shared with this reader, or empty), so
        # that the list never hints at what is hidden.
        parts = [part for part in gathered if not part.empty]
        shown = {part.key for part in parts}
        name = reach.passport.display_name
        # Whose it is, so that a new GP can match it to a patient (identity travels with
        # health content); the booklet's own log entry covers reading it. On every page too:
        # a page that comes loose still says whose it is.
        identity = selectors.identity(reach, logged=True)
        shared = Basis.SHARE_LINK in reach.bases
        html = render_to_string("booklet/booklet.html", {
            "name": name, "made_on": made_on, "parts": parts, "language": language,
            "rtl": language.split("-")[0] in RTL, "identity": identity, "shared": shared,
            "whose_footer": _whose(identity),
            # The guide speaks to her about her own next years: not in a booklet made from a
            # link, which is read by someone else.
            "guide": None if shared else _guide(reach, made_on),
            "not_included": [str(sections.TITLES[key]) for key in ORDER if key not in shown],
        })
        pdf = _yielding(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            pdf_variant="pdf/ua-1", pdf_identifier=secrets.token_bytes(16)))
    _log(reach, chosen)
    return encrypt(pdf, password) if password else pdf


# How much a booklet being laid out gives way to short pages (a nice value, for its thread).
BOOKLET_NICE = 10


def _yielding(make: Callable[[], bytes]) -> bytes:
    """`make()` in a thread of its own at a lower CPU priority: on Linux a nice value is per
    thread, so the pages other workers serve meanwhile (a caseload, her passport) go first
    and a booklet takes a little longer under load. Only the layout runs there: no database,
    no translation (both are per thread). Elsewhere it simply runs."""
    made: dict = {}

    def run() -> None:
        with contextlib.suppress(AttributeError, OSError):  # not Linux: as it comes
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BOOKLET_NICE)
        try:
            made["pdf"] = make()
        except BaseException as error:  # raised again in the request's thread
            made["error"] = error

    # The cycle collector waits while the layout runs: it builds tens of thousands of boxes,
    # and the collector, started again and again by them, scanned the worker's whole heap
    # each time (a fifth of a booklet's median time). Whatever cycles the layout leaves are
    # collected when it ends. The request's thread only waits meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        thread = threading.Thread(target=run, name="booklet-layout")
        thread.start()
        thread.join()
    finally:
        if collecting:
            gc.enable()
    if "error" in made:
        raise made["error"]
    return made["pdf"]


def _whose(identity) -> str:
    """Her registered name, date of birth and NHS number, for the foot of every page."""
    parts = [identity.legal_name, _("born %(date)s") % {
        "date": date_format(identity.date_of_birth, "j F Y")}] if identity.date_of_birth else [
        identity.legal_name]
    if identity.nhs_number:
        parts.append(_("NHS number %(number)s") % {"number": identity.nhs_number})
    return " · ".join(parts)


def _guide(reach: Reach, today: datetime.date) -> dict | None:
    from dateutil.relativedelta import relativedelta

    born = reach.passport.born
    if born is None:
        return None
    return {"age": relativedelta(today, born).years,
            "at": {n: born + relativedelta(years=n) for n in (16, 18, 21, 24, 25)}}


def encrypt(pdf: bytes, password: str) -> bytes:
    """AES-256 (revision 6): opening needs the password. The owner password is random and
    thrown away: nobody can lift the restrictions without it either."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, encryption=pikepdf.Encryption(
            user=password, owner=secrets.token_urlsafe(32), R=6, aes=True))
    return out.getvalue()


def file_name(made_on: datetime.date) -> str:
    return f"my-health-{made_on.isoformat()}.pdf"
