"""A young person who forgot her password and has no email: her nurse or personal adviser
gives her a one-time code (after confirming in person it is her), and she sets her own new
password with it (passport.accounts.recovery)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from frontend.accounts import too_many_from
from frontend.forms import Form, NewPasswordForm
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action
from passport.accounts import recovery


class IssueForm(Form):
    confirmed = forms.BooleanField(
        label=gettext_lazy("I have confirmed who they are, in person or on a video call"),
        error_messages={"required": gettext_lazy(
            "Confirm who they are, in person or on a video call, before you get a code.")})


@login_required
@never_cache  # the code is shown once: no copy in any cache
@require_http_methods(["GET", "POST"])
def issue_code(request: HttpRequest, passport_id) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, "about_me", Action.READ)
    if recovery.issuing_basis(reach) is None:
        raise PermissionDenied
    form = IssueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = recovery.do_issue(reach)
        return render(request, "frontend/recovery_code.html",
                      {"reach": reach, "code": code, "minutes": 15})
    return render(request, "frontend/recovery_issue.html", {"reach": reach, "form": form},
                  status=400 if form.errors else 200)


class UseForm(NewPasswordForm):
    username = forms.CharField(label=gettext_lazy("Your username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autocapitalize": "none"}))
    code = forms.CharField(label=gettext_lazy("The code you were given"), max_length=20,
                           help_text=gettext_lazy("12 letters and numbers. The dashes do not "
                                                  "matter."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "autocapitalize": "characters"}))
    field_order = ("username", "code", "password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = gettext_lazy("Choose a new password")
        self.fields["password2"].label = gettext_lazy("Type the new password again")


@never_cache
@require_http_methods(["GET", "POST"])
def use_code(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and too_many_from(request):
        return render(request, "registration/busy.html", status=429)
    form = UseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recovery.do_use(data["username"], data["code"], data["password1"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error("password1", error.message_dict["password"])
            else:
                form.add_error("code", error.messages)
        else:
            if request.user.is_authenticated:
                logout(request)
            messages.success(request, _("Your new password is set, and you are signed out "
                                        "everywhere else. Sign in with it now."))
            return redirect("login")
    return render(request, "frontend/recovery_use.html", {"form": form},
                  status=400 if form.errors else 200)

