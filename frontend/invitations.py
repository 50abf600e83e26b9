"""Invitation pages: create one (admins: professionals; a health team: its young people and
carers), and set up an account from one."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontend import links
from frontend.forms import Form, NewPasswordForm, apply_errors
from passport.access import capabilities
from passport.accounts import invitations
from passport.models import Role
from passport.records import selectors


class InviteForm(Form):
    role = forms.ChoiceField(label=gettext_lazy("They will be"))
    display_name = forms.CharField(label=gettext_lazy("Their name"), max_length=150,
                                   required=False, help_text=gettext_lazy(
                                       "For professionals and carers. A young person's name "
                                       "comes from her passport."))
    passport = forms.ChoiceField(label=gettext_lazy("Whose passport (young people only)"),
                                 required=False)
    email = forms.EmailField(label=gettext_lazy("Their work email"), required=False,
                             help_text=gettext_lazy(
                                 "For an administrator or a connected system only: the link "
                                 "is sent there once another administrator confirms it."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = capabilities.invitable_roles(user)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed]
        if any(capabilities.is_young_person(role) for role in allowed):
            self.passports = {str(p.pk): p for p in selectors.passports_for(user)
                              if p.owner_id is None}
            self.fields["passport"].choices = [("", _("Not a young person"))] + [
                (pk, p.display_name) for pk, p in self.passports.items()]
            if not self.passports:
                self.fields["passport"].help_text = _(
                    "Each of your young people has an account already.")
        else:
            del self.fields["passport"]
            self.passports = {}
        if not any(capabilities.needs_second_admin(role) for role in allowed):
            del self.fields["email"]


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    if not capabilities.can_invite(request.user):
        raise PermissionDenied
    form = InviteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        passport = form.passports.get(form.cleaned_data.get("passport") or "")
        try:
            invitation, token = invitations.do_invite(
                request.user, role=form.cleaned_data["role"],
                display_name=form.cleaned_data["display_name"], passport=passport,
                email=form.cleaned_data.get("email") or "")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # The secret after "#": never sent to the server, so never in a log. None while
            # it waits for a second admin: the link then goes to the invitee's email only.
            link = (f"{request.build_absolute_uri(reverse('invitation-accept'))}#{token}"
                    if token else None)
            return render(request, "frontend/invitation_created.html",
                          {"link": link, "invitation": invitation,
                           "waiting": invitation.confirmed_at is None})
    return render(request, "frontend/invite.html", {"form": form},
                  status=400 if form.errors else 200)


class AcceptForm(NewPasswordForm):
    username = forms.CharField(label=gettext_lazy("Choose a username"), max_length=150,
                               help_text=gettext_lazy("Not your full name: something only you "
                                                      "would think of is safest."))
    field_order = ("username", "password1", "password2")


SESSION_KEY = "hp_invitation"


@require_http_methods(["GET"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """An older link, with the secret in its path (the access log hides it): its secret moves
    into the session and out of the address."""
    return _open(request, token)


@require_http_methods(["POST"])
def open_posted(request: HttpRequest) -> HttpResponse:
    """A link with the secret after "#": the page posted it."""
    token, refused = links.posted_secret(request, "frontend/invitation_open.html")
    return refused or _open(request, token)


def _open(request: HttpRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        logout(request)  # an account is set up by the person invited, not over someone else's
    if invitations.open_invitation(token) is None:
        return render(request, "frontend/invitation_gone.html", status=410)
    request.session[SESSION_KEY] = token
    return redirect("invitation-accept")


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_KEY, "")
    if not token and request.method == "GET":  # a new link: its secret is after "#"
        return render(request, "frontend/invitation_open.html", {"form": links.LinkForm()})
    invitation = invitations.open_invitation(token) if token else None
    if invitation is None:
        return render(request, "frontend/invitation_gone.html", status=410)
    if invitation.confirmed_at is None:
        return render(request, "frontend/invitation_waiting.html", status=403)
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.do_accept_invitation(token, username=form.cleaned_data["username"],
                                             password=form.cleaned_data["password1"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                form.add_error("password1", error.messages)
        else:
            del request.session[SESSION_KEY]
            messages.success(request, _("Your account is ready. Sign in with it now."))
            return redirect("login")
    return render(request, "frontend/invitation_accept.html",
                  {"form": form, "professional": not capabilities.is_young_person(invitation)},
                  status=400 if form.errors else 200)
