"""Personal API tokens in her settings: make one (the secret shown once), see them, revoke."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from frontend.forms import Form, apply_errors
from passport.accounts import tokens, twofactor


class TokenForm(Form):
    name = forms.CharField(label=gettext_lazy("What it is for"), max_length=100)
    days = forms.IntegerField(label=gettext_lazy("Lasts for (days)"), min_value=1,
                              max_value=tokens.MAX_DAYS, initial=tokens.DEFAULT_DAYS)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    verified = twofactor.is_verified(request)
    form, secret = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = tokens.do_create(request, name=form.cleaned_data["name"],
                                             days=form.cleaned_data["days"])
        except PermissionDenied:
            form.add_error(None, _("Set up a second sign-in step first: a token is only made "
                                   "after one."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = TokenForm()
    return render(request, "frontend/api_tokens.html", {
        "form": form, "secret": secret, "tokens": tokens.listed(request.user),
        "verified": verified,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: UUID) -> HttpResponse:
    tokens.do_revoke(request.user, token_id)
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("api-tokens")
