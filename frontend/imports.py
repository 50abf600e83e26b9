"""Her nurse sends in a GP record export (FHIR JSON), sees the preview with duplicates marked,
and confirms the doses to save (passport/outputs/fhir_import.py)."""

from __future__ import annotations

import json
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontend.forms import Form, apply_errors
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action
from passport.outputs import fhir_import

MAX_BYTES = 2 * 1024 * 1024


class UploadForm(Form):
    file = forms.FileField(label=gettext_lazy("GP record export (FHIR JSON)"), help_text=(
        gettext_lazy("A FHIR Bundle or Immunization resource, at most 2 MB.")))


@login_required
@require_http_methods(["GET", "POST"])
def imports_page(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id, "immunisations", Action.WRITE)
    reach.require_health_team("immunisations")
    upload, refused = UploadForm(), []
    if request.method == "POST" and request.POST.get("step") == "upload":
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            sent = upload.cleaned_data["file"]
            try:
                if sent.size > MAX_BYTES:
                    raise ValidationError(_("The file is too big: at most 2 MB."))
                try:
                    payload = json.loads(sent.read().decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise ValidationError(_("This is not a FHIR JSON file.")) from None
                fhir_import.do_submit(reach, payload, source=_("GP record export"))
            except ValidationError as error:
                apply_errors(upload, error)
            else:
                messages.success(request, _("Received: check the doses below."))
                return redirect("immunisation-imports", passport_id=passport_id)
    elif request.method == "POST" and request.POST.get("step") == "confirm":
        chosen = [int(n) for n in request.POST.getlist("row") if n.isdigit()]
        try:
            saved = fhir_import.do_confirm(reach, request.POST.get("import_id") or None, chosen)
        except ValidationError as error:  # a dose the passport cannot take: nothing saved
            # Shown on this page, not as a flash message: it names a dose, and flash messages
            # are kept in the session table, which never holds health content.
            refused = error.messages
        else:
            messages.success(request, _("Saved %(n)d doses.") % {"n": saved})
            return redirect("immunisation-imports", passport_id=passport_id)
    pending = [(imported, fhir_import.rows(imported)) for imported in fhir_import.pending(reach)]
    return render(request, "frontend/imports.html", {
        "reach": reach, "pending": pending, "upload": upload, "refused": refused,
    }, status=400 if upload.errors or refused else 200)
