"""Placements (re-confirm, end, Staying Put) and the end of care, for the nurse and the social
worker; what changed, for the young person."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontend.forms import DateField, Form, apply_errors
from passport.access import sharing
from passport.access.passports import get_passport_for_user
from passport.care import placements
from passport.models import EpisodeOutcome
from passport.records import sections

STAYING_PUT_CHOICES = [(k, sections.TITLES[k]) for k in sharing.GRANTABLE
                       if k not in {"family_history", "sexual_health"}]


class EndPlacementForm(Form):
    ended_on = DateField(label=gettext_lazy("Placement ends on"),
                               help_text=gettext_lazy("The carer cannot see the passport from "
                                                      "this day."))


class StayingPutForm(Form):
    sections = forms.MultipleChoiceField(
        label=gettext_lazy("What the former carer keeps seeing"), choices=STAYING_PUT_CHOICES,
        widget=forms.CheckboxSelectMultiple)
    wishes = forms.CharField(label=gettext_lazy("What the young person wants (nurses only)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A section she already shares with this carer that is not offered here (her sexual
        # health: only she shares it) stays on the form, so saving it untouched keeps it.
        offered = dict(STAYING_PUT_CHOICES)
        kept = [key for key in self.initial.get("sections") or ()
                if key not in offered and key in sections.TITLES]
        self.fields["sections"].choices = [*STAYING_PUT_CHOICES,
                                           *((key, sections.TITLES[key]) for key in kept)]


class CareEndingForm(Form):
    ended_on = DateField(label=gettext_lazy("Care ends on"))
    outcome = forms.ChoiceField(label=gettext_lazy("How care ends"), widget=forms.RadioSelect,
                                choices=[(o.value, o.label) for o in placements.OUTCOMES])
    adviser_agreed = forms.BooleanField(
        label=gettext_lazy("The young person agrees that their personal adviser keeps seeing "
                           "their passport after care (care leavers only)"), required=False)
    sealing_confirmed = forms.BooleanField(
        label=gettext_lazy("Adoption only: I understand the passport closes to everyone, the "
                           "young person too, from that date"), required=False)
    reason = forms.CharField(label=gettext_lazy("Notes"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _managers_only(reach) -> None:
    if placements.care_manager_basis(reach) is None:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def placements_page(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    decides = sharing.who_decides(reach) is not None
    manages = placements.care_manager_basis(reach) is not None
    if not (manages or decides or reach.is_owner):
        raise PermissionDenied
    step, target = request.POST.get("step", ""), request.POST.get("placement", "")
    staying_put = decides and reach.passport.care_outcome == EpisodeOutcome.CARE_LEAVER
    current = placements.current_placements(reach.passport)
    granted = {g.grantee_id: g for g in sharing.active_grants(reach)} if staying_put else {}
    sent_for = next((p for p in current if str(p.pk) == target), None)
    end_form = EndPlacementForm(request.POST if step == "end" else None, prefix="end",
                                auto_id=_ids(target))
    stay_form = StayingPutForm(request.POST if step == "staying_put" else None, prefix="stay",
                               auto_id=_ids(target),
                               initial=_kept(granted, sent_for) if sent_for else None)
    if request.method == "POST":
        try:
            if step == "confirm":
                _managers_only(reach)
                placements.do_confirm_placement(reach, target)
                messages.success(request, _("Confirmed for another 6 months."))
                return redirect("placements", passport_id=passport_id)
            if step == "end":
                _managers_only(reach)
                if end_form.is_valid():
                    placements.do_end_placement(reach, target, end_form.cleaned_data["ended_on"])
                    messages.success(request, _("The placement's end is recorded."))
                    return redirect("placements", passport_id=passport_id)
            elif step == "staying_put":
                if not decides:
                    raise PermissionDenied
                if stay_form.is_valid():
                    placements.do_staying_put(reach, target,
                                            sections_=stay_form.cleaned_data["sections"],
                                            wishes=stay_form.cleaned_data["wishes"])
                    messages.success(request, _("Staying Put recorded: the former carer keeps "
                                                "what was agreed."))
                    return redirect("placements", passport_id=passport_id)
            elif step:
                raise PermissionDenied
        except ValidationError as error:
            apply_errors(stay_form if step == "staying_put" else end_form, error)
    rows = [(p, placements.lapses_on(p), _own(end_form, p, EndPlacementForm),
             _own(stay_form, p, StayingPutForm, _kept(granted, p))) for p in current]
    failed = bool(end_form.errors or stay_form.errors)
    return render(request, "frontend/placements.html", {
        "reach": reach, "rows": rows, "manages": manages, "end_form": end_form,
        "stay_form": stay_form, "staying_put": staying_put,
        "until": placements.staying_put_until(reach.passport),
    }, status=400 if failed else 200)


def _ids(pk) -> str:
    """One form per placement on the page: each one's field ids carry the placement's id."""
    return f"id_{pk}_%s"


def _kept(granted: dict, placement) -> dict:
    """What her carer already sees, shown on the Staying Put form: it replaces all of it."""
    grant = granted.get(placement.carer_id)
    return {"sections": grant.sections, "wishes": grant.wishes or ""} if grant else {}


def _own(sent: forms.Form, placement, form_class, initial=None) -> forms.Form:
    """The form just sent, as it was sent, under the placement it was sent for (what was
    typed for one placement never shows under another); a new one under the others."""
    if sent.is_bound and sent.data.get("placement") == str(placement.pk):
        return sent
    return form_class(prefix=sent.prefix, initial=initial, auto_id=_ids(placement.pk))


@login_required
@require_http_methods(["GET", "POST"])
def care_ending(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    _managers_only(reach)
    passport = reach.passport
    initial = {"ended_on": passport.care_ended_on, "outcome": passport.care_outcome,
               "adviser_agreed": passport.adviser_agreed}
    if request.method == "POST" and request.POST.get("step") == "confirm_adoption":
        placements.do_confirm_adoption(reach)
        messages.success(request, _("Adoption confirmed: the passport is sealed on the day "
                                    "care ends."))
        return redirect("passport", passport_id=passport_id)
    form = CareEndingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placements.do_record_care_ending(reach, ended_on=data["ended_on"],
                                           outcome=data["outcome"],
                                           adviser_agreed=data["adviser_agreed"],
                                           reason=data["reason"],
                                           sealing_confirmed=data["sealing_confirmed"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Recorded. What follows happens on that date."))
            return redirect("passport", passport_id=passport_id)
    return render(request, "frontend/care_ending.html", {
        "reach": reach, "form": form, "adoption_waiting": (
            passport.care_outcome == EpisodeOutcome.ADOPTED
            and passport.adoption_confirmed_at is None
            and passport.adoption_recorded_by_id is not None),
        "may_confirm": placements.may_confirm_adoption(reach),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_adviser(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    placements.do_withdraw_adviser(reach)
    messages.success(request, _("Your personal adviser can no longer see your passport."))
    return redirect("passport", passport_id=passport_id)
