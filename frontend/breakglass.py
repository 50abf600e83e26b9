"""Break glass (for her own health professionals and the named nurse for safeguarding) and
the Caldicott guardian's review list."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontend.forms import Form, apply_errors
from passport.access import breakglass, capabilities
from passport.records import sections


class BreakGlassForm(Form):
    nhs_number = forms.CharField(label=gettext_lazy("Their NHS number"), max_length=20,
                                 required=False)
    section = forms.ChoiceField(label=gettext_lazy("The one section to open"), choices=[
        (k, t) for k, t in sections.TITLES.items() if k not in breakglass.NOT_OPENABLE])
    reason = forms.CharField(label=gettext_lazy("Why you need it now"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("The Caldicott guardian reviews it the "
                                                    "next working day."))
    delay_days = forms.IntegerField(
        label=gettext_lazy("Days before the young person is told (0 to 7)"), min_value=0,
        max_value=breakglass.MAX_DELAY_DAYS, initial=0)
    delay_reason = forms.CharField(
        label=gettext_lazy("If later: why telling them sooner could put them at risk"),
        required=False, widget=forms.Textarea(attrs={"rows": 2}))
    code = forms.CharField(label=gettext_lazy("A code from your authenticator, now"),
                           max_length=20, widget=forms.TextInput(
                               attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    if not capabilities.can_break_glass(request.user):
        raise PermissionDenied
    passport_id = request.GET.get("passport", "")
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        passport = None
        if passport_id:
            try:
                passport = breakglass.passport_by_id(UUID(passport_id))
            except ValueError:
                passport = None
        elif data["nhs_number"]:
            passport = breakglass.find_passport(data["nhs_number"])
        try:
            glass = breakglass.do_break_glass(
                request.user, passport, section=data["section"], reason=data["reason"],
                code=data["code"], delay_days=data["delay_days"],
                delay_reason=data["delay_reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.warning(request, _("Opened for 24 hours. This is logged and reviewed."))
            return redirect("section", passport_id=glass.passport_id, section=glass.section)
    return render(request, "frontend/break_glass.html", {
        "form": form, "from_passport": bool(passport_id)},
        status=400 if form.errors else 200)


class ReviewForm(Form):
    note = forms.CharField(label=gettext_lazy("Your review"),
                           widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@require_http_methods(["GET", "POST"])
def reviews(request: HttpRequest) -> HttpResponse:
    if not capabilities.can_review_break_glass(request.user):
        raise PermissionDenied
    target = request.POST.get("glass", "")
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            breakglass.do_review(request.user, UUID(target), note=form.cleaned_data["note"])
        except (ValidationError, ValueError) as error:
            apply_errors(form, error if isinstance(error, ValidationError)
                         else ValidationError(_("Choose a break glass to review.")))
        else:
            messages.success(request, _("Review recorded."))
            return redirect("break-glass-reviews")
    return render(request, "frontend/break_glass_reviews.html", {
        "rows": breakglass.review_list(request.user), "form": form, "titles": sections.TITLES,
        "failed_for": target if form.errors else ""}, status=400 if form.errors else 200)
