"""Every read: shaped for pages, the API, the booklet and the exports, through the policy's filter.
Reads of a section through any basis but `owner` are logged (docs/access.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.access.policy import (
    Action,
    Basis,
    Purpose,
    Reach,
    control_of,
    reach,
    reachable,
    visible,
    visible_revisions,
)
from passport.clinical import nhs
from passport.encryption import keys
from passport.encryption.fields import normalise_text
from passport.models import (
    Area,
    Entry,
    IdentityChange,
    Passport,
    Revision,
    Service,
    UnknownItem,
    User,
)
from passport.operations import replica
from passport.records import audit, revisions, sections


def _log_read(reach: Reach, section: str, object_id: UUID | None = None) -> None:
    """Check the policy once more (selectors never trust their caller) and log the read."""
    basis = reach.basis_for(section, Action.READ)
    if basis is None:
        raise PermissionDenied
    if basis is Basis.BREAK_GLASS:  # each read names the break glass it came through
        audit.record_event(actor=reach.user, action="section_viewed", passport=reach.passport,
                           basis=basis, section=section, object_id=reach.glass_id)
    elif basis is Basis.SHARE_LINK:  # no account: the use names who opened the link
        audit.record_event(actor=None, action="section_viewed", passport=reach.passport,
                           basis=basis, section=section, object_id=reach.link_use_id)
    elif basis is not Basis.OWNER:
        audit.record_event(actor=reach.user, action="section_viewed", passport=reach.passport,
                           basis=basis, section=section, object_id=object_id)


@dataclass
class SectionView:
    """One section as one reader may see it, for one purpose: each entry type's entries, what
    is not known yet, and (when asked for) what the section shows beside them (`extra`)."""

    key: str
    title: str
    groups: list[tuple[type[Entry], list[Entry]]]
    unknown: list[UnknownItem] = field(default_factory=list)
    can_write: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def of(self, type_key: str) -> list[Entry]:
        """Its entries of one type."""
        return next((entries for model, entries in self.groups if type_key == model.TYPE), [])

    @property
    def empty(self) -> bool:
        return not any(entries for _m, entries in self.groups) and not self.unknown and not (
            self.extra.get("schedule") or self.extra.get("services"))


def section_view(reach: Reach, key: str, purpose: Purpose = Purpose.SCREEN, *,
                 show_unknown: bool = True, extras: bool = False) -> SectionView:
    """Everything of one section this reader may see, for a page or the API (`SCREEN`: each
    read logged), the booklet (`HANDOUT`) or a copy that leaves the app (`EXPORT`): the
    booklet and the exports log what they made themselves. What is not known yet is shown
    unless the caller says not (a young person sees it only when she asks: some find it hard to
    read). `extras`: what the section shows beside its entries, worked out in one place
    (passport/records/section_extras.py) for the page, the API and the booklet (an export
    carries entries only)."""
    section = sections.get(key)
    if purpose is Purpose.SCREEN:
        _log_read(reach, key)
    elif not reach.can(key):
        raise PermissionDenied
    groups = [
        (model, visible(reach, model.objects.filter(passport=reach.passport)
                        .select_related(*_related(model)).order_by("created_at"), purpose))
        for model in section.types
    ]
    if purpose is Purpose.HANDOUT:
        groups = [(model, [e for e in entries if _on_paper(e)]) for model, entries in groups]
    elif purpose is Purpose.SCREEN:
        log_her_say(reach, [e for _model, entries in groups for e in entries])
    # What could harm her if missed comes first, wherever it is read: allergies, then
    # medicines, then conditions (each in the order recorded).
    groups = [(model, sorted(entries, key=_allergies_first) if model.TYPE == "condition"
               else entries) for model, entries in groups]
    unknown: list[UnknownItem] = []
    if show_unknown and section.unknowns:
        unknown = visible(reach, UnknownItem.objects.filter(passport=reach.passport,
                                                            section=key)
                          .order_by("created_at"), purpose)
    view = SectionView(key, str(section.title), groups, unknown,
                       reach.can(key, Action.WRITE))
    if extras:
        from passport.records import section_extras

        section_extras.add(reach, view, purpose)
    return view


def _allergies_first(entry: Entry) -> int:
    return {"allergy": 0, "medicine": 1}.get(getattr(entry, "kind", ""), 2)


def _on_paper(entry: Entry) -> bool:
    """A printed booklet lists what is still to do from her plan; actions done or dropped stay
    on screen. What she wrote for her health team before a review is for that review: never
    printed, not even in her own booklet (its cover invites her to show it to a new GP)."""
    if entry.TYPE == "before_review":
        return False
    return entry.TYPE != "plan_action" or entry.status in (None, "", "open")


def _related(model: type[Entry]) -> list[str]:
    """The plain foreign keys an entry shows (a care episode's areas): fetched with it."""
    return [f.name for f in model.content_fields() if f.is_relation]


def entries_for(reach: Reach, section: str, type_key: str) -> list[Entry]:
    model = sections.entry_model(section, type_key)
    _log_read(reach, section)
    found = model.objects.filter(passport=reach.passport).order_by("created_at")
    if model is UnknownItem:
        found = found.filter(section=section)
    shown = visible(reach, found)
    log_her_say(reach, shown)
    return shown


def log_her_say(reach: Reach, entries: list[Entry]) -> None:
    """What she sent before a review, read by someone else: a line of its own in her "who has
    looked" ("read what you wrote before your health review"), wherever it is read."""
    if Basis.OWNER in reach.bases:
        return
    for entry in entries:
        if entry.TYPE == "before_review" and entry.sent_on:
            audit.record_event(actor=reach.user, action="before_review_read",
                               passport=reach.passport,
                               basis=reach.basis_for(entry.section_key, Action.READ) or "",
                               section=entry.section_key, object_id=entry.pk)


def log_helping(reach: Reach, draft: Entry) -> None:
    """Her carer opening the draft of her say before a review that they are writing with her
    (passport/care/before_review.py): a line in her "who has looked" like any other reading
    of it."""
    audit.record_event(actor=reach.user, action="before_review_read", passport=reach.passport,
                       basis=Basis.PLACEMENT, section=draft.section_key, object_id=draft.pk)


def entry_for(reach: Reach, section: str, type_key: str, entry_id: UUID) -> Entry:
    entry = _entry(reach, section, type_key, entry_id)
    _log_read(reach, section, entry.pk)
    log_her_say(reach, [entry])
    return entry


def entry_to_change(reach: Reach, section: str, type_key: str, entry_id: UUID) -> Entry:
    """The entry a save is about, for someone who may write the section. Not logged as a read:
    the writer read it to get its version (that read is logged), and the change is logged by
    the action; a save that changes nothing leaves no trace."""
    if reach.basis_for(section, Action.WRITE) is None:
        raise PermissionDenied
    return _entry(reach, section, type_key, entry_id)


def _entry(reach: Reach, section: str, type_key: str, entry_id: UUID) -> Entry:
    model = sections.entry_model(section, type_key)
    entry = model.objects.filter(passport=reach.passport, pk=entry_id).first()
    if entry is None or entry.section_key != section or not visible(reach, [entry]):
        raise Http404
    return entry


def entry_history(reach: Reach, entry: Entry) -> list[Revision]:
    return visible_revisions(reach, revisions.history(entry))


def changed_since(reach: Reach, entry: Entry, read_version: int,
                  sent: dict[str, Any]) -> list[tuple[str, str]] | None:
    """What a writer changed from the version they opened, as (label, value) to show back to
    them; None if that version cannot be read (then anything they sent may be a change)."""
    read = next((r.fields for r in entry_history(reach, entry) if r.version == read_version),
                None)
    if read is None:
        return None
    model, changed = type(entry), []
    for content in model.content_fields():
        value = sent.get(content.name)
        shown = model.shown(content, normalise_text(value) if isinstance(value, str) else value)
        if shown != model.shown(content, read.get(content.name)):
            changed.append((capfirst(content.verbose_name), shown or "—"))
    wanted = sent.get("is_private")
    if wanted is not None and wanted != bool(read.get("is_private")):
        changed.append((_("Who can see this entry?"),
                        _("Private") if wanted else _("Not private")))
    return changed


def overview(reach: Reach) -> list[tuple[str, str, bool]]:
    """(section, title, may write) for each section the user may open."""
    return [
        (key, str(title), reach.can(key, Action.WRITE))
        for key, title in sections.TITLES.items() if reach.can(key)
    ]


@dataclass(frozen=True)
class NotShared:
    """What someone beyond her and her health team is told about what they cannot see: the
    same words whatever the reason (never shared, taken away, or "hide now" on), so that
    nothing hints at what she did."""

    sections: list[str]  # the titles of every section they may not open
    she_decides: bool  # she manages her own sharing; else her nurse decides, with her
    nurses: list[str]  # whom to ask: her health team's names


def not_shared(reach: Reach) -> NotShared | None:
    """None for her and her health team, who see everything they may."""
    if reach.is_owner or Basis.HEALTH_TEAM in reach.bases:
        return None
    from django.utils import timezone

    from passport.models import CareTeamAssignment, Control
    from passport.records.section_extras import age_of

    nurses = list(CareTeamAssignment.objects.filter(
        passport=reach.passport, ended_at__isnull=True)
        .order_by("professional__display_name")
        .values_list("professional__display_name", flat=True).distinct())
    age = age_of(reach, timezone.localdate())
    return NotShared([str(title) for key, title in sections.TITLES.items()
                      if key not in sections.HERS_ALONE and not reach.can(key)
                      # not "sexual health" to a 9-year-old's carer: not a section of hers yet
                      and not (age is not None and age < LATER_YEARS.get(key, 0))],
                     control_of(reach.passport) == Control.SELF_MANAGED, nurses)


@dataclass
class Identity:
    legal_name: str
    chosen_name: str
    date_of_birth: object
    nhs_number: str
    sex: str = ""  # for vaccines and growth charts: shown to her and her health team only

    @property
    def sex_label(self) -> str:
        from passport.models import Sex

        return str(Sex(self.sex).label) if self.sex in Sex.values else ""


def identity(reach: Reach, *, logged: bool = False) -> Identity:
    """Identity facts (about_me). Logged as an about_me read unless the caller already did."""
    if not logged:
        _log_read(reach, "about_me")
    passport = reach.passport
    digits = passport.nhs_number
    return Identity(passport.legal_name or "", passport.chosen_name or "",
                    passport.date_of_birth, nhs.display(digits) if digits else "",
                    passport.sex or "")


def date_of_birth_history(reach: Reach) -> list[IdentityChange]:
    _log_read(reach, "about_me")
    return list(IdentityChange.objects.filter(passport=reach.passport, field="date_of_birth")
                .select_related("changed_by"))


def passports_for(user: User) -> list[Passport]:
    """The passports a user's list shows, through the policy: their own, or their caseload.
    A professional's list is logged once, as a list (docs/access.md)."""
    passports = [found.passport for found in reachable(user)]
    keys.preload([p.pk for p in passports])  # names are shown: one query for all their keys
    if passports and not capabilities.is_young_person(user):
        audit.record_event(actor=user, action="list_viewed")
    return passports


def carers_tasks(user: User) -> dict[UUID, list]:
    """A carer's own open tasks in each of her young people's health plans (the plan shows a
    carer only those), soonest first: her home page lists them. Read, and logged, as her
    opening the plan."""
    found: dict[UUID, list] = {}
    for each in reachable(user):
        if each.basis_for("health_plan", Action.READ) is not Basis.PLACEMENT:
            continue
        open_ = [a for a in section_view(each, "health_plan", show_unknown=False)
                 .of("plan_action") if a.status in (None, "", "open")]
        if open_:
            found[each.passport.pk] = sorted(
                open_, key=lambda a: (a.due_on is None, a.due_on or 0))
    return found


def find_by_nhs_number(user: User, number: str) -> Reach | None:
    """A passport by NHS number, through its blind index, and only if the user reaches it."""
    index = keys.keyring().blind_index("nhs", nhs.normalise(number))
    found = Passport.objects.filter(nhs_number_index=index).values_list("pk", flat=True).first()
    return reach(user, found) if found else None


def services(*, q: str = "", need: str = "", age: int | None = None,
             area: Area | None = None, placed_by: Area | None = None) -> list[Service]:
    """The directory, filtered: reference data, readable by everyone, and read from the read
    replica when there is one (a service added a few seconds ago may not show yet)."""
    def read(alias: str) -> list[Service]:
        found = Service.objects.using(alias).prefetch_related("areas", "only_placed_by")
        return list(found.search(q).for_need(need).for_age(age).for_area(area)
                    .for_placed_by(placed_by))

    return replica.stale_ok(read)


def directory_start(reach: Reach) -> dict:
    """Where the services directory starts for her: her age and, from her latest time in care,
    where she lived and, while she is in care, the council that looks after her (plain
    columns: nothing decrypted)."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from passport.models import CareEpisode

    if not reach.is_owner:
        raise PermissionDenied
    passport, starting = reach.passport, {}
    if passport.born:
        starting["age"] = relativedelta(timezone.localdate(), passport.born).years
    episode = (CareEpisode.objects.filter(passport=passport).order_by("-started_on")
               .values("host_area", "placing_authority").first())
    if episode:
        starting["area"] = episode["host_area"]
        if passport.in_care_on(timezone.localdate()):  # a council looks after her now
            starting["placed_by"] = episode["placing_authority"]
    return starting


def has_saved(reach: Reach, slug: str) -> bool:
    """Whether she has saved this directory service already."""
    from passport.models import SavedService

    return any(e.service_id == slug for e in visible(
        reach, SavedService.objects.filter(passport=reach.passport)))


def service(slug: str) -> Service | None:
    return Service.objects.prefetch_related("areas", "only_placed_by").filter(slug=slug).first()


# --- the young person's home ----------------------------------------------------


@dataclass
class Home:
    new: list[tuple[str, str, str, object]]  # (section key, section title, entry title, when)
    next_appointment: Entry | None
    doses: list[Entry]
    unknown: list[UnknownItem]
    has_unknown: bool = False


def young_persons_home(reach: Reach, since, *, show_unknown: bool = False) -> Home:
    """What is new since her last visit (added or changed by someone else), her next
    appointment, her immunisations at a glance, and (only if she asks) what is not known yet.
    Her own reads are not logged; everything passes the one item filter."""
    from django.utils import timezone

    from passport.models import Appointment, ImmunisationDose

    if not reach.is_owner:
        raise PermissionDenied
    new = []
    if since is not None:
        for key, title in sections.TITLES.items():
            if not reach.can(key) or key == "care":
                continue
            for model in sections.types_of(key):
                found = model.objects.filter(passport=reach.passport, updated_at__gt=since
                                             ).exclude(updated_by=reach.user)
                new += [(key, str(title), e.title, e.updated_at) for e in visible(reach, found)]
    today = timezone.localdate()
    appointments = [a for a in visible(reach, Appointment.objects.filter(passport=reach.passport))
                    if a.on_date and a.on_date >= today and a.status in (None, "", "booked")]
    doses = sorted(visible(reach, ImmunisationDose.objects.filter(passport=reach.passport)),
                   key=lambda d: (d.given_on is None, d.given_on or today))
    # Whether there is any is worked out through the same filter (an item held back from her
    # is not one she has), so that "show what is not known yet" never leads to nothing.
    found = visible(reach, UnknownItem.objects.filter(passport=reach.passport)
                    .order_by("created_at"))
    unknown = found if show_unknown else []
    return Home(sorted(new, key=lambda n: n[3], reverse=True)[:10],
                min(appointments, key=lambda a: a.on_date, default=None), doses, unknown,
                has_unknown=bool(found))


# Under this age her home page leaves out a section for later years while it holds nothing
# (her passport's own page lists every section).
LATER_YEARS = {"sexual_health": 13}


def home_sections(reach: Reach) -> list:
    """Her home page's sections: `overview`, less those for later years that are empty for
    her now (a 9-year-old does not need a "Sexual health" tile)."""
    from django.utils import timezone

    from passport.records.section_extras import age_of

    age = age_of(reach, timezone.localdate())
    shown = []
    for row in overview(reach):
        until = LATER_YEARS.get(row[0])
        if until and age is not None and age < until and not any(
                visible(reach, model.objects.filter(passport=reach.passport))
                for model in sections.get(row[0]).types):
            continue
        shown.append(row)
    return shown


ESSENTIALS = ("about_me", "contacts", "conditions", "immunisations", "appointments")


def essentials(reach: Reach) -> list[SectionView]:
    """Her essentials, for the copy she may keep on her phone."""
    if not reach.is_owner:
        raise PermissionDenied
    return [section_view(reach, key, show_unknown=False) for key in ESSENTIALS if reach.can(key)]
