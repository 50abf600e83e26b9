"""One assessment's page for her health team: its plan, the earlier plan's open actions to
review, submitting, quality assurance and addenda (passport/care/assessments.py does the work)."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontend.forms import DateField, Form, apply_errors, entry_form
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action
from passport.care import assessments, before_review, contributions
from passport.models import (
    ActionDecision,
    Assessment,
    AssessmentState,
    Contributor,
    PlanAction,
    QualityDecision,
    StaleVersion,
)
from passport.records import selectors

ANSWER_CHOICES = [("met", gettext_lazy("Met")), ("not_met", gettext_lazy("Not met")),
                  ("not_applicable", gettext_lazy("Does not apply"))]


class ReviewActionForm(Form):
    action_id = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=gettext_lazy("What became of it"),
                                 choices=ActionDecision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("What happened, or why it is no longer needed"),
                           required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    due_on = DateField(label=gettext_lazy("New date, if it carries on"), required=False)


class SubmitForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class QualityForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comments = forms.CharField(label=gettext_lazy("Comments for the author"), required=False,
                               max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in assessments.CHECKLIST:
            self.fields[key] = forms.ChoiceField(label=label, choices=ANSWER_CHOICES,
                                                widget=forms.RadioSelect, required=False)
        self.order_fields([k for k, _label in assessments.CHECKLIST] + ["comments"])


class AddendumForm(Form):
    text = forms.CharField(label=gettext_lazy("Addendum"), max_length=4000,
                           help_text=gettext_lazy("What was wrong or missing, and what is "
                                                  "right. The assessment itself stays as it "
                                                  "was signed off."),
                           widget=forms.Textarea(attrs={"rows": 4}))


class ContributionForm(Form):
    contributor = forms.ChoiceField(label=gettext_lazy("Who was asked"),
                                    choices=Contributor.choices, widget=forms.RadioSelect)
    contact = forms.CharField(label=gettext_lazy("Name or team"), required=False,
                              max_length=200)
    requested_on = DateField(label=gettext_lazy("Asked on"), required=False,
                             help_text=gettext_lazy("Leave empty for today."))
    wanted_by = DateField(label=gettext_lazy("Needed by"), required=False)


class ReceivedForm(Form):
    request_id = forms.UUIDField(widget=forms.HiddenInput)
    summary = forms.CharField(label=gettext_lazy("What they said"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    received_on = DateField(label=gettext_lazy("Received on"), required=False,
                            help_text=gettext_lazy("Leave empty for today."))


def _ids(pk) -> str:
    """One form per row on a page: each row's field ids carry the row's id."""
    return f"id_{pk}_%s"


STEPS = ("plan_action", "review_action", "submit", "quality", "addendum")
# Where each step's page opens after it is saved.
AFTER = {"plan_action": "#plan-title", "review_action": "#review-title",
         "addendum": "#addenda-title"}


@login_required
@require_http_methods(["GET", "POST"])
def assessment_page(request: HttpRequest, passport_id: UUID, entry_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, "assessments", Action.WRITE)
    reach.require_health_team("assessments")
    assessment = selectors.entry_for(reach, "assessments", "assessment", entry_id)
    step = request.POST.get("step") if request.method == "POST" else None
    if request.method == "POST" and step not in STEPS:
        raise Http404
    bound: dict[str, forms.Form] = {}
    submit_failed = False
    if step:
        form_class = {"plan_action": entry_form(PlanAction), "review_action": ReviewActionForm,
                      "submit": SubmitForm, "quality": QualityForm,
                      "addendum": AddendumForm}[step]
        form = (form_class(request.POST, auto_id=_ids(request.POST.get("action_id")))
                if step == "review_action" else form_class(request.POST))
        bound[step] = form
        if form.is_valid():
            try:
                done = _do(step, reach, assessment, form)
            except StaleVersion:
                form.add_error(None, _("Someone else changed this assessment while you were "
                                       "working on it. Look at it again below."))
            except ValidationError as error:
                if step == "submit" and hasattr(error, "error_dict"):
                    # Its problems are listed once, at the top, as links (a page already
                    # submitted by someone else is told so as it is).
                    submit_failed = True
                else:
                    apply_errors(form, error)
            else:
                messages.success(request, done)
                # Back where she was on a long page, not at its top.
                return redirect(reverse("assessment", args=[passport_id, entry_id])
                                + AFTER.get(step, ""))
        if step == "review_action":
            form.action_id_value = request.POST.get("action_id")
        assessment = selectors.entry_for(reach, "assessments", "assessment", entry_id)
    return render(request, "frontend/assessment.html",
                  _context(reach, assessment, bound) | {"submit_failed": submit_failed},
                  status=400 if bound else 200)


def _do(step: str, reach, assessment, form) -> str:
    data = form.cleaned_data
    if step == "plan_action":
        assessments.do_add_plan_action(reach, assessment, form.entry_data())
        return _("Added to the plan.")
    if step == "review_action":
        action = assessments.earlier_action(reach, data["action_id"])
        assessments.do_review_action(reach, assessment, action, decision=data["decision"],
                                     note=data["note"], due_on=data["due_on"])
        return _("Action reviewed.")
    if step == "submit":
        assessments.do_submit(reach, assessment, expected_version=data["version"])
        return _("Submitted for sign-off.")
    if step == "quality":
        decision = form.data.get("decision")
        assessments.do_quality_review(
            reach, assessment, decision=decision, comments=data["comments"],
            checklist={k: data.get(k) or "" for k, _label in assessments.CHECKLIST},
            expected_version=data["version"])
        return (_("Signed off.") if decision == QualityDecision.SIGNED_OFF
                else _("Returned to the author with your comments."))
    assessments.do_add_addendum(reach, assessment, data["text"])
    return _("Addendum added.")


def _context(reach, assessment, bound: dict) -> dict:
    editable = assessment.state in assessments.EDITABLE
    earlier, reviews = assessments.to_review(assessment)
    review_forms = []
    for action in earlier:
        form = bound.get("review_action")
        if form is None or getattr(form, "action_id_value", None) != str(action.pk):
            form = ReviewActionForm(initial={"action_id": action.pk}, auto_id=_ids(action.pk))
        review_forms.append((action, reviews.get(action.pk), form))
    reviews_done = assessments.quality_reviews(assessment)
    return {
        # Her say before it, beside it and never in it (read, each time, in her log): for the
        # one writing it and the one signing it off.
        "her_say": ([] if assessment.state == AssessmentState.SIGNED_OFF
                    else before_review.for_health_team(reach)),
        "reach": reach, "assessment": assessment, "editable": editable,
        "state": AssessmentState(assessment.state).label,
        "plan": assessments.plan_of(assessment),
        "to_review": review_forms,
        "waiting": sum(1 for a in earlier if a.pk not in reviews) if editable else 0,
        "problems": _problems(reach, assessment) if editable else [],
        "plan_form": bound.get("plan_action") or entry_form(PlanAction)(
            initial={"status": "open"}),
        "submit_form": bound.get("submit") or SubmitForm(initial={"version": assessment.version}),
        "may_review": assessments.may_review(reach, assessment),
        "quality_form": bound.get("quality") or QualityForm(
            initial={"version": assessment.version}),
        "quality_reviews": reviews_done,
        # What the reviewer who returned it found not met, for the top of the page.
        "not_met": [label for key, label in assessments.CHECKLIST
                    if reviews_done and reviews_done[-1].checklist.get(key) == "not_met"],
        "addenda": assessments.addenda([assessment.pk]).get(assessment.pk, []),
        "addendum_form": bound.get("addendum") or AddendumForm(),
    }


def _problems(reach, assessment) -> list[tuple[str, str]]:
    """What stops it being submitted, each named and linked to where it is put right: the
    question on the form that changes it, or the earlier plan's actions below."""
    form = entry_form(Assessment, amend=True)()
    edit = reverse("entry-edit", args=[reach.passport.pk, "assessments", "assessment",
                                       assessment.pk])
    found = []
    for name, problems in assessments.submission_errors(assessment).items():
        for problem in problems:
            if name not in form.fields:
                found.append(("#review-title", problem))
                continue
            target = form[name].auto_id
            if isinstance(form.fields[name].widget, forms.RadioSelect):
                target += "_0"
            found.append((f"{edit}#{target}", _("%(field)s: %(problem)s") % {
                "field": capfirst(str(form.fields[name].label)), "problem": problem}))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def contributions_page(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    """Asking the GP, CAMHS or KITE for their contribution before a review."""
    reach = get_passport_for_user(request.user, passport_id, "assessments", Action.WRITE)
    reach.require_health_team("assessments")
    ask, received = ContributionForm(), None
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "request":
                ask = ContributionForm(request.POST)
                if ask.is_valid():
                    contributions.do_request(reach, **ask.cleaned_data)
                    messages.success(request, _("Request recorded."))
                    return redirect("contributions", passport_id=passport_id)
            elif step == "received":
                received = ReceivedForm(request.POST,
                                        auto_id=_ids(request.POST.get("request_id")))
                if received.is_valid():
                    contributions.do_mark_received(
                        reach, received.cleaned_data["request_id"],
                        summary=received.cleaned_data["summary"],
                        received_on=received.cleaned_data["received_on"])
                    messages.success(request, _("Marked received."))
                    return redirect("contributions", passport_id=passport_id)
            else:
                raise Http404
        except ValidationError as error:
            apply_errors(ask if step == "request" else received, error)
    found = contributions.requests_for(reach)
    answer_for = request.POST.get("request_id") if received is not None else None
    rows = [(r, received if str(r.pk) == answer_for else ReceivedForm(
        initial={"request_id": r.pk}, auto_id=_ids(r.pk))) for r in found]
    return render(request, "frontend/contributions.html", {
        "reach": reach, "rows": rows, "ask": ask,
    }, status=400 if request.method == "POST" else 200)
