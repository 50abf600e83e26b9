"""Identity facts on the about_me page: names, NHS number, and the date of birth's history."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontend.forms import ChosenNameForm, DateOfBirthForm, IdentityForm, apply_errors
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action, Basis
from passport.records import actions, selectors

SECTION = "about_me"


@login_required
@require_http_methods(["GET", "POST"])
def edit_identity(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, SECTION, Action.WRITE)
    current = selectors.identity(reach)
    if reach.basis_for(SECTION, Action.WRITE) is Basis.OWNER:
        form = ChosenNameForm(request.POST or None, initial={"chosen_name": current.chosen_name})
    else:
        form = IdentityForm(request.POST or None, initial=vars(current))
        if reach.basis_for(SECTION, Action.WRITE) is not Basis.HEALTH_TEAM:
            del form.fields["sex"]  # a private fact: only her health team records it
    if request.method == "POST" and form.is_valid():
        if "sex" not in request.POST:  # a form without the field leaves her sex as it is
            form.cleaned_data.pop("sex", None)
        try:
            actions.do_update_identity(reach, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("section", passport_id=passport_id, section=SECTION)
    return render(request, "frontend/identity_edit.html", {"reach": reach, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def change_date_of_birth(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, SECTION, Action.WRITE)
    if reach.basis_for(SECTION, Action.WRITE) is not Basis.HEALTH_TEAM:
        raise PermissionDenied
    form = DateOfBirthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.do_change_date_of_birth(reach, form.cleaned_data["date_of_birth"],
                                                      form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The date of birth is changed; the old one is kept.")
                             if changed else _("Nothing was changed, so nothing was saved."))
            return redirect("section", passport_id=passport_id, section=SECTION)
    return render(request, "frontend/date_of_birth.html", {
        "reach": reach, "form": form, "history": selectors.date_of_birth_history(reach),
    }, status=400 if form.errors else 200)
