"""A carer helping a child under 11 say what she thinks before her health review, from the
carer's own account (passport/care/before_review.py). The page shows only the draft they are
writing together; once it is sent, it is hers and her health team's."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from frontend.forms import apply_errors, entry_form, for_her_age
from passport.access.passports import get_passport_for_user
from passport.care import before_review
from passport.models import BeforeReview, StaleVersion
from passport.records import selectors


@login_required
@never_cache  # never kept, nor its form's words brought back by the Back button
@require_http_methods(["GET", "POST"])
def help_before_review(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    helping = before_review.helping_now(reach)
    if helping is None:
        raise PermissionDenied
    draft = helping.draft
    form_class = entry_form(BeforeReview)
    if request.method == "POST":
        form = form_class(request.POST)
        version = _version(request)
        if form.is_valid():
            data = {name: form.cleaned_data.get(name) for name in before_review.WORDS}
            try:
                with transaction.atomic():  # saved and sent together, or neither
                    entry = before_review.do_help_write(reach, data, expected_version=version)
                    if request.POST.get("send"):
                        before_review.do_send(reach, entry, expected_version=entry.version)
            except StaleVersion:
                messages.error(request, _("This changed on another device: look at it again, "
                                          "then save it."))
                return redirect("help-before-review", passport_id=passport_id)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if request.POST.get("send"):
                    messages.success(request, _(
                        "Sent. Only %(name)s and their health team can read it now.")
                        % {"name": reach.passport.display_name})
                    return redirect("passport", passport_id=passport_id)
                messages.success(request, _("Saved. You can come back to it together."))
                return redirect("help-before-review", passport_id=passport_id)
    else:
        form = form_class(initial={name: getattr(draft, name) for name in before_review.WORDS}
                          if draft else None)
        if draft is not None:  # reading what they wrote together is a look like any other
            selectors.log_helping(reach, draft)
    for_her_age(form, reach)
    return render(request, "frontend/help_before_review.html", {
        "reach": reach, "helping": helping, "draft": draft, "form": form})


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None
