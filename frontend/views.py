"""HTML pages. Each view: access helper, form, action or selector, response."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontend.forms import AmendConditionForm, ConditionForm
from passport import actions, selectors
from passport.access import get_passport_for_user
from passport.models import Condition, StaleVersion
from passport.policy import Action

SECTION = Condition.SECTION


@login_required
def home(request: HttpRequest) -> HttpResponse:
    passports = selectors.passports_for(request.user)
    return render(request, "frontend/home.html", {"passports": passports})


def _apply_form_errors(form: ConditionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def conditions(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, SECTION)
    can_write = reach.can(SECTION, Action.WRITE)
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    form = ConditionForm(request.POST or None) if can_write else None
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_condition(reach, form.cleaned_data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect("conditions", passport_id=passport_id)
    entries = selectors.conditions_for(reach)
    status = 400 if form is not None and form.errors else 200
    return render(request, "frontend/conditions.html", {
        "reach": reach, "entries": entries, "form": form, "can_write": can_write,
    }, status=status)


def _current(entry: Condition) -> dict:
    return entry.content() | {"version": entry.version}


@login_required
@require_http_methods(["GET", "POST"])
def amend_condition(request: HttpRequest, passport_id: UUID, entry_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, SECTION, Action.WRITE)
    entry = selectors.condition_for(reach, entry_id)
    form = AmendConditionForm(request.POST or None, initial=_current(entry))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, reason = data.pop("version"), data.pop("reason")
        try:
            actions.do_amend_condition(reach, entry, expected_version=version, reason=reason,
                                       changes=data)
        except StaleVersion:
            # Show the winner's version; the writer makes their change again on top of it.
            entry = selectors.condition_for(reach, entry_id)
            form = AmendConditionForm(initial=_current(entry))
            return render(request, "frontend/condition_edit.html",
                          {"reach": reach, "entry": entry, "form": form, "conflict": True},
                          status=409)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("conditions", passport_id=passport_id)
    return render(request, "frontend/condition_edit.html",
                  {"reach": reach, "entry": entry, "form": form},
                  status=400 if form.errors else 200)


@login_required
def condition_history(request: HttpRequest, passport_id: UUID, entry_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, SECTION)
    entry = selectors.condition_for(reach, entry_id)
    revisions = selectors.condition_history(reach, entry)
    return render(request, "frontend/condition_history.html",
                  {"reach": reach, "entry": entry, "revisions": revisions})
