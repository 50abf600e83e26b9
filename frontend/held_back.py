"""Holding an entry back (serious-harm test), reviewing and releasing it; and the young
person's "hide now"."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontend.forms import DateField, Form, apply_errors
from passport.access import held_back, sharing
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action
from passport.models import HOLDABLE_SECTIONS, HeldBack
from passport.records import selectors


class HoldForm(Form):
    opinion = forms.CharField(
        label=gettext_lazy("Your opinion, and why"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Hold back only where seeing it would be likely to cause the "
                               "young person serious harm (Data Protection Act 2018, "
                               "schedule 3). Say what harm, and why."))


class HoldOnAddForm(Form):
    """On the add form of birth and family history, for the health team: hold the new entry
    back in the same step, so the young person never glimpses it in between."""

    hold_back = forms.BooleanField(
        label=gettext_lazy("Hold this back from the young person (serious-harm test)"),
        required=False)
    opinion = forms.CharField(
        label=gettext_lazy("If held back: your opinion, and why"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=HoldForm.base_fields["opinion"].help_text)

    def clean(self):
        data = super().clean()
        if data.get("hold_back") and not (data.get("opinion") or "").strip():
            self.add_error("opinion", _("Record your opinion of the serious harm seeing it "
                                        "would be likely to cause, and why."))
        return data


class ReviewForm(Form):
    note = forms.CharField(label=gettext_lazy("Why it still meets the serious-harm test"),
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReleaseForm(Form):
    conversation_on = DateField(label=gettext_lazy("Date you talked it through"))
    release_note = forms.CharField(
        label=gettext_lazy("How the conversation went"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Who was there, how the young person took it, what support "
                               "they have."))


STEPS = {"hold": HoldForm, "review": ReviewForm, "release": ReleaseForm}


@login_required
@require_http_methods(["GET", "POST"])
def hold_entry(request: HttpRequest, passport_id: UUID, section: str, type_key: str,
               entry_id: UUID) -> HttpResponse:
    if section not in HOLDABLE_SECTIONS:
        raise Http404
    reach = get_passport_for_user(request.user, passport_id, section, Action.WRITE)
    entry = selectors.entry_for(reach, section, type_key, entry_id)
    back = redirect("section", passport_id=passport_id, section=section)
    return _hold_page(request, reach, entry, section, back)


@login_required
@require_http_methods(["GET", "POST"])
def hold_after_care(request: HttpRequest, hold_id: UUID) -> HttpResponse:
    """After care has ended: the former health team reviews or releases a hold (only)."""
    hold = HeldBack.objects.filter(pk=hold_id, released_at__isnull=True).first()
    reach = held_back.after_care_reach(request.user, hold.passport_id) if hold else None
    if reach is None:
        raise Http404
    entry = selectors.entry_for(reach, hold.section, hold.entry_type, hold.entry_id)
    return _hold_page(request, reach, entry, hold.section, redirect("tasks"))


def _hold_page(request, reach, entry, section, back) -> HttpResponse:
    hold = held_back.hold_of(reach, entry)
    if hold is None and not reach.sees_held:
        raise PermissionDenied
    available = ("review", "release") if hold else ("hold",)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    forms_ = {name: STEPS[name](request.POST if step == name else None, prefix=name)
              for name in available}
    if step:
        if step not in forms_:
            raise PermissionDenied
        form = forms_[step]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if step == "hold":
                    held_back.do_hold_back(reach, entry, opinion=data["opinion"])
                    messages.success(request, _("Held back from the young person."))
                elif step == "review":
                    held_back.do_review_hold(reach, hold, note=data["note"])
                    messages.success(request, _("Review recorded."))
                else:
                    held_back.do_release(reach, hold, conversation_on=data["conversation_on"],
                                          note=data["release_note"])
                    messages.success(request, _("Released: the young person can now see it."))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return back
    failed = any(f.errors for f in forms_.values())
    return render(request, "frontend/hold.html", {
        "reach": reach, "entry": entry, "section": section, "hold": hold, "forms": forms_,
        "reviews": hold.reviews.order_by("-reviewed_at") if hold else [],
    }, status=400 if failed else 200)


@login_required
@require_POST
def hide_now(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    if not reach.is_owner:
        raise PermissionDenied
    on = request.POST.get("on") == "1"
    sharing.do_hide_now(reach, on)
    messages.success(request, _("Hidden. Only you and your health team can see your passport "
                                "now, apart from what keeps you safe in an emergency.") if on
                     else _("Back as before: everyone who could see your passport can again."))
    return redirect("passport", passport_id=passport_id)
