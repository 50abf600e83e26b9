"""Making the "My health" booklet: choose what goes in, the language and an optional password,
and download the PDF (passport/outputs/booklet.py makes it)."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from frontend.forms import Form, apply_errors
from passport.access.passports import get_passport_for_user
from passport.access.policy import Reach
from passport.outputs import booklet
from passport.outputs.downloads import json_download, pdf_download
from passport.records import sections


class BookletForm(Form):
    preset = forms.ChoiceField(label=_("What to put in it"), widget=forms.RadioSelect,
                               choices=list(booklet.PRESET_LABELS.items()), initial="everything")
    sections = forms.MultipleChoiceField(
        label=_("Sections (if you choose)"), required=False,
        widget=forms.CheckboxSelectMultiple)
    show_unknown = forms.BooleanField(
        label=_("Include what is not known yet, and where to ask"), required=False,
        help_text=_("Some people find this hard to read."))
    language = forms.ChoiceField(label=_("Language"))
    password = forms.CharField(
        label=_("Password (optional)"), required=False, strip=False, max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Anyone opening the booklet will need it. We do not keep it: if you forget "
                    "it, make a new booklet."))
    password_again = forms.CharField(
        label=_("Password again"), required=False, strip=False, max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(s, sections.TITLES[s]) for s in allowed]
        self.fields["language"].choices = list(settings.LANGUAGES)
        self.fields["language"].initial = translation.get_language()
        self.allowed = allowed

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data

    def chosen(self) -> list[str]:
        return booklet.choose(self.allowed, self.cleaned_data["preset"],
                              self.cleaned_data["sections"])


def booklet_view(request: HttpRequest, reach: Reach, template_context: dict) -> HttpResponse:
    allowed = booklet.may_make(reach)
    if not allowed:
        raise PermissionDenied
    form = BookletForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            pdf = booklet.render(reach, form.chosen(), language=form.cleaned_data["language"],
                                 password=form.cleaned_data["password"],
                                 show_unknown=form.cleaned_data["show_unknown"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return pdf_download(pdf)
    return render(request, "frontend/booklet.html", template_context | {
        "form": form, "reach": reach}, status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def make_booklet(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    return booklet_view(request, reach, {"shared": False})


@never_cache
@require_http_methods(["GET", "POST"])
def shared_booklet(request: HttpRequest) -> HttpResponse:
    """A share link's viewer makes a booklet of the shared sections only."""
    from frontend.sharelinks import SESSION_LINK, SESSION_USE
    from passport.access.policy import reach_by_link
    from passport.models import ShareLink, ShareLinkUse

    link = ShareLink.objects.filter(pk=request.session.get(SESSION_LINK) or None).first()
    use_id = request.session.get(SESSION_USE)
    use = ShareLinkUse.objects.filter(pk=use_id, link=link).first() if link and use_id else None
    reach = reach_by_link(link, use.pk) if use else None
    if reach is None:
        raise PermissionDenied
    return booklet_view(request, reach, {"shared": True})


@login_required
@never_cache
def my_data(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    """Her data, everything she can see, as one JSON file (passport/outputs/export.py)."""
    from passport.outputs import export

    reach = get_passport_for_user(request.user, passport_id)
    return json_download(export.export_for(reach), "my-health-data.json", "application/json")
