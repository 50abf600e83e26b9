"""HTML pages. Each view: access helper, form, action or selector, response."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontend.forms import (
    EntryForm,
    apply_errors,
    entry_form,
    fit_assessment_form,
    for_her_age,
    in_her_words,
    initial_for,
)
from frontend.held_back import HoldOnAddForm
from passport.access import capabilities, held_back, sharing
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action, Basis, Reach, may_amend
from passport.accounts import recovery
from passport.care import before_review, leaver_summary, placements
from passport.models import (
    Assessment,
    AssessmentKind,
    AssessmentState,
    BeforeReview,
    StaleVersion,
    UnknownItem,
)
from passport.records import actions, corrections, section_extras, sections, selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if capabilities.is_young_person(request.user):
        from frontend.young_person import young_home

        return young_home(request)
    if capabilities.is_health_professional(request.user):
        from passport.care.assessments import waiting_for_sign_off
        from passport.care.caseload import caseload, needs_now

        rows = caseload(request.user)
        return render(request, "frontend/home.html", {
            "caseload": rows, "show_caseload": True, "needs_now": needs_now(rows),
            "to_sign_off": waiting_for_sign_off(request.user,
                                                among=[row.passport_id for row in rows])})
    passports = selectors.passports_for(request.user)
    figures = None
    if capabilities.can_view_figures(request.user):  # the designated professional's day
        from passport.care import area_figures

        areas = area_figures.areas_for(request.user)
        quarters = area_figures.by_quarter(request.user, areas) if areas else []
        figures = {"areas": areas, "now": quarters[0] if quarters else None,
                   "earlier": (quarters[-1].earlier_initial + quarters[-1].earlier_review
                               if quarters else 0)}
    carer = capabilities.is_carer(request.user)
    tasks = selectors.carers_tasks(request.user) if carer else {}
    helping = before_review.helping_for(request.user) if carer else {}
    return render(request, "frontend/home.html", {
        "passports": [(p, tasks.get(p.pk, []), helping.get(p.pk)) for p in passports],
        "figures": figures, "carer": carer})


@login_required
def passport_overview(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    return render(request, "frontend/passport.html", {
        "reach": reach, "sections": selectors.overview(reach),
        "not_shared": selectors.not_shared(reach),
        # Her health team manages sharing only while she is supported (self-managed, she does).
        "manages_sharing": not reach.is_owner and sharing.who_decides(reach) is not None,
        "hold_tasks": held_back.hold_tasks(reach),
        "care_change": placements.care_change(reach),
        "manages_care": placements.care_manager_basis(reach) is not None,
        "leaver_summary": leaver_summary.is_health_team(reach),
        "may_recover": recovery.issuing_basis(reach) is not None,
        "helping": before_review.helping_now(reach),
    })


def _add_forms(reach: Reach, view: selectors.SectionView, bound: EntryForm | None,
               asked: str = "") -> list:
    """(model, form) for each entry type this user may add here. `asked`: the kind of
    assessment a link asked for (from "needs you now": an overdue initial or review)."""
    if not view.can_write:
        return []
    owner = reach.is_owner
    models = [(m, entries) for m, entries in view.groups
              if (m.OWNER_MAY_ADD or not owner) and (owner or not m.OWNER_ONLY)
              and not (m.SINGLE and entries)
              and not getattr(m, "ADDED_FROM_DIRECTORY", False)
              # her say before a review: carry on with her draft rather than start another
              # (one her carer wrote with her is not hers alone: she may write her own)
              and not (m is BeforeReview and any(not e.sent_on and not e.carer_sees
                                                 for e in entries))]
    if view.key not in sections.NO_UNKNOWNS and not owner:
        models.append((UnknownItem, []))
    forms = []
    for m, _entries in models:
        form = (bound if bound is not None and bound.model is m
                else entry_form(m)(initial=_known_already(reach, m, asked)))
        if m is Assessment:
            fit_assessment_form(form, reach.passport.date_of_birth)
        if m is BeforeReview and owner:
            for_her_age(form, reach)
        if owner:
            in_her_words(form)
        if not hasattr(form, "hold"):
            form.hold = _hold_on_add(reach, view.key, m)
        forms.append((m, form))
    return forms


def _also_see(reach: Reach, section: str) -> list[str]:
    """For her own page: who, because of their job and besides her health team, sees the
    entries here that are not private ("Sam Jones, foster carer")."""
    if not reach.is_owner or section in sections.HERS_ALONE:
        return []
    title = str(sections.TITLES[section])
    return [f"{v.name} ({v.relationship})" for v in sharing.who_can_see(reach)
            if title in v.sections and v.basis != Basis.HEALTH_TEAM]


def _section_page(request, reach, section, bound=None, status=200) -> HttpResponse:
    show_unknown = not reach.is_owner or request.GET.get("unknown") == "show"
    view = selectors.section_view(reach, section, show_unknown=show_unknown, extras=True)
    identity = selectors.identity(reach, logged=True) if section == "about_me" else None
    shown = [e for _model, entries in view.groups for e in entries] + list(view.unknown)
    holdable = sections.SECTIONS[section].holdable and reach.sees_held
    return render(request, "frontend/section.html", {
        "reach": reach, "view": view,
        "forms": _add_forms(reach, view, bound, request.GET.get("add", "")),
        # The form a link asked for opens: her say before a review (from her home), or an
        # assessment of the kind "needs you now" named.
        "asked": ("before_review" if request.GET.get("add") == "before_review"
                  else "assessment" if request.GET.get("add") else ""),
        "changeable": {e.pk for e in shown if not e.is_locked and may_amend(reach, e)},
        "show_unknown": show_unknown, "bound_type": bound.model.TYPE if bound else "",
        "bound": bound, "explained": sections.EXPLAINED.get(section, ""),
        "growth": _growth(reach, view.extra.get("growth")),
        "identity": identity,
        "health_team": reach.basis_for(section, Action.WRITE) is Basis.HEALTH_TEAM,
        "corrections": corrections.open_requests(reach, section),
        "waiting_corrections": corrections.waiting_for_her(reach, section),
        # Who besides her health team can see what is not private here (for her).
        "also_see": _also_see(reach, section),
        "no_unknowns": section in sections.NO_UNKNOWNS,  # her notes and services hold none
        # When her health team first read what she sent before a review (she asked to know).
        "her_say_read": before_review.read_by_team(
            [e.pk for e in shown if e.TYPE == "before_review" and e.sent_on]),
        # "This isn't right" sent empty: its box opens again, with what to do.
        "not_right_empty": request.GET.get("not_right", ""),
        "holdable": holdable,
        "held_ids": reach.held_ids if holdable else (),
        "due": _due(reach, view),
        # Said always (not only when something is left out), so it never hints at "hide now".
        "not_shared_note": view.key == "contacts" and not reach.is_owner
        and Basis.HEALTH_TEAM not in reach.bases,
    }, status=status)


def _due(reach: Reach, view: selectors.SectionView) -> dict | None:
    """For her health team, above the assessments: the one falling due next, and any draft
    of it already started (so that nobody starts a second)."""
    if view.key != "assessments" or not reach.as_health_team("assessments"):
        return None
    from passport.care.assessments import EDITABLE, due_now

    found = view.of("assessment")
    due = due_now(reach.passport, found)
    return {"due": due, "what": AssessmentKind(due.kind).label if due else "",
            "open": [a for a in found if a.state in EDITABLE]}


@login_required
def section_page(request: HttpRequest, passport_id: UUID, section: str) -> HttpResponse:
    sections.named(section)
    reach = get_passport_for_user(request.user, passport_id)
    if not reach.can(section):
        return _not_shared_page(request, reach, section)
    return _section_page(request, reach, section)


def _not_shared_page(request: HttpRequest, reach: Reach, section: str) -> HttpResponse:
    """A section she did not share with this reader: what they may not see, who decides and
    whom to ask, in the same words whatever the reason (a carer may be why she pressed "hide
    now")."""
    not_shared = selectors.not_shared(reach)
    if not_shared is None:
        raise PermissionDenied
    return render(request, "frontend/not_shared.html", {
        "reach": reach, "title": sections.TITLES[section], "not_shared": not_shared},
        status=403)


@login_required
@require_http_methods(["GET", "POST"])
def add_entry(request: HttpRequest, passport_id: UUID, section: str,
              type_key: str) -> HttpResponse:
    model = sections.type_named(section, type_key)
    reach = get_passport_for_user(request.user, passport_id, section, Action.WRITE)
    if request.method == "GET":  # the address a refused form left in the bar, reloaded
        return redirect(reverse("section", args=[passport_id, section]) + "#add")
    form = entry_form(model)(request.POST)
    hold = _hold_on_add(reach, section, model, request.POST)
    if form.is_valid() and (hold is None or hold.is_valid()):
        held = hold is not None and hold.cleaned_data["hold_back"]
        try:
            added = actions.do_add(reach, section, type_key, form.entry_data(),
                                   hold_opinion=hold.cleaned_data["opinion"] if held else None)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if model is Assessment:  # on to its plan, the earlier plan's actions, submitting
                messages.success(request, _("Draft saved. Only the health team sees it."))
                return redirect("assessment", passport_id=passport_id, entry_id=added.pk)
            messages.success(request, _("Added."))
            return redirect("section", passport_id=passport_id, section=section)
    form.hold = hold
    return _section_page(request, reach, section, bound=form, status=400)


def _known_already(reach: Reach, model, asked: str = "") -> dict:
    """What a new entry's form can fill in from what the app holds, so that nobody types it:
    for a health assessment, who did it and their profession (the signed-in clinician) and
    today's date."""
    if model is not Assessment or not reach.as_health_team("assessments"):
        return {}
    user = reach.user
    return {"done_by": user.display_name or user.get_username(), "held_on": timezone.localdate(),
            "profession": capabilities.job_title(user),
            "kind": asked if asked in AssessmentKind.values else ""}


def _hold_on_add(reach: Reach, section: str, model, data=None) -> HoldOnAddForm | None:
    if not sections.SECTIONS[section].holdable or model is UnknownItem or not reach.sees_held:
        return None
    return HoldOnAddForm(data, prefix="hold")


# The reason a draft assessment's save records (stored as written, like every workflow step).
DRAFT_SAVED = "Draft saved"


@login_required
@require_http_methods(["GET", "POST"])
def amend_entry(request: HttpRequest, passport_id: UUID, section: str, type_key: str,
                entry_id: UUID) -> HttpResponse:
    sections.named(section)
    reach = get_passport_for_user(request.user, passport_id, section, Action.WRITE)
    posted = request.method == "POST"
    # A save is not logged as a read (the read that gave its version was); a page shown again
    # after it is.
    find = selectors.entry_to_change if posted else selectors.entry_for
    entry = find(reach, section, type_key, entry_id)
    if not may_amend(reach, entry):
        raise PermissionDenied
    if isinstance(entry, BeforeReview) and entry.sent_on:
        # Sent, it stays as it was: no form that would only refuse at the end (Mia's walk).
        messages.error(request, _("You sent this to your health team, so it stays as it "
                                  "was. You can write another."))
        return redirect("section", passport_id=passport_id, section=section)
    form = _edit_form(reach, entry, request.POST if posted else None)
    if posted and form.is_valid():
        answer = _save(request, reach, entry, form)
        if answer is not None:
            return answer
    if posted:
        entry = selectors.entry_for(reach, section, type_key, entry_id)
    return render(request, "frontend/entry_edit.html", _edit_context(reach, entry, form),
                  status=400 if form.errors else 200)


def _edit_form(reach: Reach, entry, data=None, initial: dict | None = None) -> EntryForm:
    """The form that changes an entry. A draft assessment is the health team's working copy:
    it changes without a reason asked each time (its history still shows every save)."""
    form = entry_form(type(entry), amend=True)(data, initial=initial or initial_for(entry))
    if isinstance(entry, Assessment):
        fit_assessment_form(form, reach.passport.date_of_birth)
        if entry.state == AssessmentState.DRAFT:
            form.fields.pop("reason")
    if isinstance(entry, BeforeReview) and not entry.sent_on:
        form.fields.pop("reason")  # her own draft, which nobody else reads: no "why"
        for_her_age(form, reach)
    return form


def _edit_context(reach: Reach, entry, form) -> dict:
    # Her say before it, where her nurse writes the assessment too (its own words field
    # among the rest), never copied into it.
    her_say = (before_review.for_health_team(reach)
               if isinstance(entry, Assessment) and entry.state != AssessmentState.SIGNED_OFF
               else [])
    return {"reach": reach, "entry": entry, "section": entry.section_key, "form": form,
            "title": sections.TITLES[entry.section_key], "her_say": her_say}


def _save(request: HttpRequest, reach: Reach, entry, form) -> HttpResponse | None:
    """Save the edit form; None when the page is to be shown again with its errors."""
    version = form.cleaned_data["version"]
    back = (redirect("assessment", passport_id=reach.passport.pk, entry_id=entry.pk)
            if isinstance(entry, Assessment)
            else redirect("section", passport_id=reach.passport.pk, section=entry.section_key))
    try:
        saved = actions.do_amend_entry(reach, entry, expected_version=version,
                                       reason=form.cleaned_data.get("reason") or DRAFT_SAVED,
                                       changes=form.entry_data())
    except StaleVersion:
        return _conflict(request, reach, entry, form, back)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, _("Changes saved.") if saved.version != version
                     else _("Nothing was changed, so nothing was saved."))
    return back


def _conflict(request: HttpRequest, reach: Reach, entry, form, back) -> HttpResponse:
    """Someone saved first. If this writer changed nothing from the version they opened there
    is nothing to save; else show the newer version to change again, with what they typed
    beside it so that none of it is lost."""
    yours = selectors.changed_since(reach, entry, form.cleaned_data["version"],
                                    form.entry_data())
    if yours == []:
        messages.success(request, _("Nothing was changed, so nothing was saved."))
        return back
    latest = selectors.entry_for(reach, entry.section_key, entry.TYPE, entry.pk)
    fresh = _edit_form(reach, latest, initial=initial_for(latest) | {
        "reason": form.cleaned_data.get("reason", "")})
    return render(request, "frontend/entry_edit.html", _edit_context(reach, latest, fresh) | {
        "conflict": True, "yours": yours or []}, status=409)


@login_required
def entry_history(request: HttpRequest, passport_id: UUID, section: str, type_key: str,
                  entry_id: UUID) -> HttpResponse:
    sections.type_named(section, type_key)  # a type of another section: 404
    reach = get_passport_for_user(request.user, passport_id)
    if not reach.can(section):  # the same page as the section's own
        return _not_shared_page(request, reach, section)
    entry = selectors.entry_for(reach, section, type_key, entry_id)
    model = type(entry)
    her_age = section_extras.age_of(reach, timezone.localdate()) if reach.is_owner else None
    history = [(r, model.describe(r.fields, her_age=her_age))
               for r in selectors.entry_history(reach, entry)]
    return render(request, "frontend/entry_history.html", {
        "reach": reach, "entry": entry, "section": section, "revisions": history,
        "title": sections.TITLES[section],
        # Her account has no name of its own (her names are in her passport): her changes
        # show the name she is known by, not her username.
        "owner_id": reach.passport.owner_id, "owner_name": reach.passport.display_name,
    })


@login_required
@require_POST
def correction_done(request: HttpRequest, passport_id: UUID, request_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    found = corrections.CorrectionRequest.objects.filter(pk=request_id,
                                                         passport=reach.passport).first()
    if found is None:
        raise Http404
    corrections.do_mark_dealt_with(reach, request_id)
    messages.success(request, _("Marked as dealt with."))
    return redirect("section", passport_id=passport_id, section=found.section)


@login_required
@require_POST
def catch_up(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    """The schedule panel's two buttons: the GP was asked for a catch-up; the GP confirmed."""
    from passport.care import contributions

    reach = get_passport_for_user(request.user, passport_id, "immunisations", Action.WRITE)
    try:
        contributions.do_catch_up(reach, request.POST.get("step", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("section", passport_id=passport_id, section="immunisations")


def _growth(reach: Reach, found) -> dict | None:
    """Her measurements with their centiles: a table, and a chart of each kind for her health
    team; the latest in plain words for her; for anyone else (a centile would tell her sex),
    only whom to ask."""
    if found is None:
        return None
    if not reach.sees_sex:
        return {"others": True}
    return {"rows": found.rows, "latest": found.latest, "sex_known": found.sex_known,
            "charts": [] if reach.is_owner else found.charts()}
