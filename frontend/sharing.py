"""The sharing page (who can see what; what the council gets anyway), "who has looked", and
the nurse's decision about who manages sharing."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontend.forms import DateField, Form, apply_errors
from passport.access import capabilities, sharing
from passport.access.passports import get_passport_for_user
from passport.access.policy import control_of
from passport.models import Control
from passport.models.sections import ContactRole
from passport.records import sections, selectors


class GrantForm(Form):
    """Whom to share with: someone already in her record, chosen by name and who they are to
    her, or anyone else with an account, by their username. No sharing form makes an account
    (someone without one is shown her passport with a share link)."""

    SOMEONE_ELSE = "username"

    person = forms.ChoiceField(label=gettext_lazy("Who to share with"), required=False,
                               widget=forms.RadioSelect)
    username = forms.CharField(
        label=gettext_lazy("Their username, if you chose someone else"), max_length=150,
        required=False, help_text=gettext_lazy("Ask them for it."))
    sections = forms.MultipleChoiceField(
        label=gettext_lazy("What they can see"), widget=forms.CheckboxSelectMultiple,
        choices=[(k, sections.TITLES[k]) for k in sharing.GRANTABLE],
        help_text=gettext_lazy("Family history is never shared with a carer."),
        error_messages={"required": gettext_lazy("Choose at least one thing they can see.")})
    until = DateField(label=gettext_lazy("Until (leave empty for no end date)"),
                      required=False)
    family_history_understood = forms.BooleanField(
        label=gettext_lazy("I understand family history is about my birth family"),
        required=False)
    wishes = forms.CharField(label=gettext_lazy("What the young person wants (nurses only)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people: list[sharing.Person], owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.user.pk): p for p in people}
        self.fields["person"].choices = (
            [(pk, p.label) for pk, p in self.people.items()]
            + [(self.SOMEONE_ELSE, _("Someone else with a My Health account"))])
        if not people:  # nobody to choose: the username is all there is
            del self.fields["person"]
            self.fields["username"].label = _("Their username")
            self.fields["username"].required = True
        if owner:  # her own words need no go-between
            del self.fields["wishes"]

    def clean(self):
        data = super().clean()
        person = data.get("person")
        if person and person != self.SOMEONE_ELSE:
            data["chosen"] = self.people[person]
        elif "person" not in self.fields or data.get("username") or "username" in self.errors:
            pass  # a username to try, or its own error already
        elif person == self.SOMEONE_ELSE:
            self.add_error("username", _("Enter their username."))
        else:
            self.add_error("person", _("Choose who to share with, or enter their username."))
        return data


# Guessing usernames on the sharing form: at most 10 misses an hour for one account.
MISS_LIMIT, MISS_WINDOW = 10, 3600


def _count_miss(request) -> None:
    key = f"share-miss:{request.user.pk}"
    misses = (cache.get(key) or 0) + 1
    cache.set(key, misses, MISS_WINDOW)


def _too_many_misses(request) -> bool:
    return (cache.get(f"share-miss:{request.user.pk}") or 0) >= MISS_LIMIT


def _refused(request, form, error: ValidationError) -> None:
    """Shown on the form. A refusal of a username (unknown or not allowed alike) counts as a
    miss and is shown on the username, the same for every account; someone she chose from
    her record is someone she knows, so the one reason it can be is said."""
    if "grantee" in getattr(error, "error_dict", {}):
        del error.error_dict["grantee"]
        if form.cleaned_data.get("chosen"):
            form.add_error("person", _(
                "Family history is never shared with a carer. Untick it to share the rest.")
                if "family_history" in form.cleaned_data["sections"]
                and capabilities.is_carer(form.cleaned_data["chosen"].user)
                else _("We could not share with this person."))
        else:
            _count_miss(request)
            form.add_error("username", sharing.ACCOUNT_REFUSED)
        if not error.error_dict:
            return
    apply_errors(form, error)


def sharing_reach(request, passport_id):
    reach = get_passport_for_user(request.user, passport_id)
    if not (reach.is_owner or sharing.who_decides(reach)):
        raise PermissionDenied
    return reach


@login_required
@require_http_methods(["GET", "POST"])
def sharing_page(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = sharing_reach(request, passport_id)
    decides = sharing.who_decides(reach) is not None
    form = GrantForm(request.POST if request.method == "POST" else None,
                     people=sharing.people_in_her_record(reach) if decides else [],
                     owner=reach.is_owner)
    if request.method == "POST":
        if not decides:
            raise PermissionDenied
        # Decided from what the form made of the post, not from the post itself: whatever
        # is sent, a share that is not to someone chosen from the list is by username, and
        # counted.
        if form.is_valid() and not form.cleaned_data.get("chosen") and _too_many_misses(
                request):
            form.add_error(None, _("Too many usernames that did not work. Try again in an "
                                   "hour, or ask your nurse."))
        elif form.is_valid():
            data = form.cleaned_data
            common = {"sections_": data["sections"], "until": data["until"],
                      "wishes": data.get("wishes", ""),
                      "family_history_understood": data["family_history_understood"]}
            try:
                if data.get("chosen"):
                    sharing.do_grant(reach, grantee=data["chosen"].user, **common)
                else:
                    sharing.do_grant_to(reach, username=data["username"], **common)
            except ValidationError as error:
                _refused(request, form, error)
            else:
                messages.success(request, _("Shared."))
                return redirect("sharing", passport_id=passport_id)
    grants = [(g, [sections.TITLES[s] for s in g.sections]) for g in sharing.active_grants(reach)]
    carer_form = CarerViewForm(initial={"hidden": reach.passport.placement_hidden},
                               owner=reach.is_owner)
    return render(request, "frontend/sharing.html", {
        "reach": reach, "form": form if decides else None, "grants": grants,
        "after_care": not reach.passport.in_care_on(timezone.localdate()),
        "carer_form": carer_form if decides else None,
        "viewers": sharing.who_can_see(reach), "to_show": _to_show(reach) if decides else [],
        "decides": decides, "supported": control_of(reach.passport) == Control.SUPPORTED,
    }, status=400 if form.errors else 200)


def _to_show(reach) -> list:
    """Her GP, dentist and optician as her contacts name them: people without an account
    here, shown her passport with a share link (the link's ready-made choice for each)."""
    ready = {ContactRole.GP: "gp", ContactRole.DENTIST: "dentist",
             ContactRole.OPTICIAN: "dentist"}
    if not reach.can("contacts"):
        return []
    # Through the section's own read (logged for whoever is not her), as every read is.
    contacts = selectors.section_view(reach, "contacts", show_unknown=False).of("contact")
    return [(contact, ready[contact.role]) for contact in contacts
            if contact.role in ready]  # a ContactRole, not an account's role


@login_required
@require_POST
def revoke(request: HttpRequest, passport_id: UUID, grant_id: UUID) -> HttpResponse:
    reach = sharing_reach(request, passport_id)
    grant = sharing.grant_in(reach, grant_id)
    try:
        sharing.do_revoke_grant(reach, grant, wishes=request.POST.get("wishes", ""))
    except ValidationError:
        messages.error(request, _("Record what the young person wants before stopping a "
                                  "share."))
        return redirect("sharing", passport_id=passport_id)
    messages.success(request, _("Stopped. They can no longer see it."))
    return redirect("sharing", passport_id=passport_id)


@login_required
def who_has_looked(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    return render(request, "frontend/who_has_looked.html",
                  {"reach": reach, "looks": sharing.who_has_looked(reach)})


class ControlForm(Form):
    control = forms.ChoiceField(label=gettext_lazy("Who manages sharing"),
                                choices=Control.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("The decision and why"),
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=gettext_lazy(
                                 "For example: confirmed at 16; judged competent (Gillick); "
                                 "lacks capacity for this decision, so stays supported."))


@login_required
@require_http_methods(["GET", "POST"])
def control(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    form = ControlForm(request.POST if request.method == "POST" else None,
                       initial={"control": reach.passport.control})
    if request.method == "POST" and form.is_valid():
        try:
            sharing.do_set_control(reach, form.cleaned_data["control"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("passport", passport_id=passport_id)
    if "health_team" not in reach.bases:
        raise PermissionDenied
    return render(request, "frontend/control.html", {"reach": reach, "form": form},
                  status=400 if form.errors else 200)


class CarerViewForm(Form):
    hidden = forms.MultipleChoiceField(
        label=gettext_lazy("Hide from your carer"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, sections.TITLES[k]) for k in sharing.PLACEMENT_DEFAULT])
    conditions_confirmed = forms.BooleanField(
        label=gettext_lazy("I understand my carer will not see my allergies and medicines"),
        required=False)
    wishes = forms.CharField(label=gettext_lazy("What the young person wants (nurses only)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if owner:
            del self.fields["wishes"]


@login_required
@require_http_methods(["POST"])
def carer_view(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = sharing_reach(request, passport_id)
    form = CarerViewForm(request.POST, owner=reach.is_owner)
    if form.is_valid():
        try:
            changed = sharing.do_set_carer_view(
                reach, form.cleaned_data["hidden"],
                conditions_confirmed=form.cleaned_data["conditions_confirmed"],
                wishes=form.cleaned_data.get("wishes", ""))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved.") if changed
                             else _("Nothing was changed, so nothing was saved."))
            return redirect("sharing", passport_id=passport_id)
    return render(request, "frontend/carer_view.html", {"reach": reach, "form": form},
                  status=400)
