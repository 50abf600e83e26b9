"""The young person's own pages: home, her essentials for the copy on her phone,
settings, "this isn't right", and the leaving-care guide."""

import contextlib
import datetime
import json
import re
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontend.forms import Form, apply_errors
from passport.access import capabilities
from passport.access.passports import get_passport_for_user
from passport.access.policy import reachable
from passport.accounts import devices, push, sessions
from passport.care import before_review
from passport.models import BeforeReview, StaleVersion
from passport.records import corrections, selectors


def own_reach(user):
    """Her own passport (a young person has one)."""
    found = [r for r in reachable(user) if r.is_owner]
    return found[0] if found else None


def young_home(request: HttpRequest) -> HttpResponse:
    reach = own_reach(request.user)
    if reach is None:
        return render(request, "frontend/home.html", {"passports": []})
    since = parse_datetime(request.session.get("since") or "")
    show_unknown = request.GET.get("unknown") == "show"
    home = selectors.young_persons_home(reach, since, show_unknown=show_unknown)
    return render(request, "frontend/home_young.html", {
        "reach": reach, "home": home, "since": since, "show_unknown": show_unknown,
        "guide": guide_for(reach), "sections": selectors.home_sections(reach),
        "offer_language": _language_to_offer(request, reach),
        "asking": before_review.asking(reach),
        "young": before_review.in_a_childs_words(reach),
    })


# Names a record may give a language in, beyond its English and its own name.
LANGUAGE_ALIASES = {"fa": {"farsi", "dari"}}


def _language_to_offer(request: HttpRequest, reach) -> dict | None:
    """The app's language her record says she speaks, offered until she has chosen one (her
    nurse may have written "Arabic, some Dari" long before she signed in). Her interpreter's
    language first, then the languages she speaks, in the order written."""
    from django.utils.translation import get_language_info

    if request.user.language or request.LANGUAGE_CODE != settings.LANGUAGE_CODE:
        return None
    found = selectors.section_view(reach, "about_me", show_unknown=False).of("communication")
    if not found:
        return None
    said = " ".join(filter(None, (found[0].interpreter_language, found[0].languages))).lower()
    words = [w for w in re.split(r"[^\w]+", said) if w]
    for word in words:
        for code, _name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            info = get_language_info(code)
            names = {info["name"].lower(), info["name_local"].lower()} | LANGUAGE_ALIASES.get(
                code, set())
            if word in names:
                return {"code": code, "name": info["name"], "local": info["name_local"]}
    return None


@login_required
def my_copy(request: HttpRequest) -> HttpResponse:
    """Her essentials on one page: what the copy on her phone holds."""
    reach = own_reach(request.user)
    if reach is None:
        raise PermissionDenied
    return render(request, "frontend/my_copy.html", {
        "reach": reach, "views": selectors.essentials(reach), "saved": timezone.now()})


class OftenForm(Form):
    often = forms.ChoiceField(label=gettext_lazy("How often?"), widget=forms.RadioSelect,
                              choices=[("daily", gettext_lazy("At most once a day")),
                                       ("each", gettext_lazy("Each time something is new"))])


class LanguageForm(Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()


def language_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language_info

    choices = []
    for code, name in settings.LANGUAGES:
        local = get_language_info(code)["name_local"]
        label = f"{local} ({name})" if local != str(name) else local
        if code in settings.LANGUAGES_AWAITING_REVIEW:
            label += ": " + _("translation awaiting review")
        choices.append((code, label))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    young = capabilities.is_young_person(user)
    here = devices.device_for(user, request.COOKIES.get(devices.COOKIE))
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "keep" and young:
            token = devices.do_keep_copy(user, request.headers.get("User-Agent", ""))
            response = redirect("settings")
            response.set_cookie(devices.COOKIE, token, max_age=30 * 24 * 3600, httponly=True,
                                secure=request.is_secure(), samesite="Lax")
            messages.success(request, _("A copy of your essentials is kept on this phone."))
            return response
        if step == "forget" and young:
            if here is not None:
                devices.do_revoke(user, here.pk)
            response = redirect("settings")
            response.delete_cookie(devices.COOKIE)
            response["Clear-Site-Data"] = '"cache"'
            messages.success(request, _("The copy on this phone is deleted."))
            return response
        if step == "revoke" and young:
            with contextlib.suppress(ValueError):
                devices.do_revoke(user, UUID(request.POST.get("device", "")))
            messages.success(request, _("That device will delete its copy next time it is "
                                        "online."))
            return redirect("settings")
        if step == "push_often" and young:
            user.reminders_each_time = request.POST.get("often") == "each"
            user.save(update_fields=["reminders_each_time"])
            messages.success(request, _("Saved."))
            return redirect(reverse("settings") + "#reminders")
        if step == "push_stop" and young:
            with contextlib.suppress(ValueError):
                push.do_unsubscribe(user, subscription_id=UUID(request.POST.get("device", "")))
            messages.success(request, _("Reminders are off on that phone."))
            return redirect(reverse("settings") + "#reminders")
        raise PermissionDenied
    listed = request.session.get(sessions.LISTED)
    return render(request, "frontend/settings.html", {
        "young": young, "here": here, "devices": devices.devices_of(user) if young else [],
        "language_form": LanguageForm(initial={"language": request.LANGUAGE_CODE}),
        "push": young and push.enabled() and {
            "key": push.public_key(), "long": bool(request.session.get(sessions.LONG)),
            "here": bool(listed) and push.subscribed(user, listed),
            "devices": user.push_subscriptions.order_by("-created_at"),
            "often": OftenForm(initial={"often": "each" if user.reminders_each_time
                                        else "daily"})},
    })


@login_required
@require_POST
def push_subscription(request: HttpRequest) -> HttpResponse:
    """Her browser's subscription, from the settings page's script (JSON): on, or off."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": _("Something went wrong: try again.")}, status=400)
    if "unsubscribe" in body:  # this browser's address, or else whatever this session has
        if not push.do_unsubscribe(request.user, endpoint=str(body["unsubscribe"])[:1000]):
            push.do_unsubscribe(request.user, session_id=request.session.get(sessions.LISTED))
        return JsonResponse({"ok": True})
    if not request.session.get(sessions.LONG):
        return JsonResponse({"error": _("Reminders can be turned on only on a phone where you "
                                        "stay signed in.")}, status=400)
    try:
        push.do_subscribe(request.user, request.session.get(sessions.LISTED),
                          body.get("subscription"))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"ok": True}, status=201)


class CorrectionForm(Form):
    message = forms.CharField(label=gettext_lazy("What isn't right?"),
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@login_required
@require_POST
def not_right(request: HttpRequest, passport_id: UUID, section: str, type_key: str,
              entry_id: UUID) -> HttpResponse:
    """"This isn't right": a correction request to her nurse, about one entry."""
    reach = get_passport_for_user(request.user, passport_id, section)
    entry = selectors.entry_for(reach, section, type_key, entry_id)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            corrections.do_ask_correction(reach, entry, form.cleaned_data["message"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sent to your nurse. They will look at it and "
                                        "talk to you."))
            return redirect("section", passport_id=passport_id, section=section)
    # Sent empty: back to the same box, open, saying what to do (nothing is sent).
    return redirect(reverse("section", args=[passport_id, section])
                    + f"?not_right={entry.pk}#not-right-{entry.pk}")


@login_required
@require_POST
def send_before_review(request: HttpRequest, passport_id: UUID, entry_id: UUID
                       ) -> HttpResponse:
    """She sends what she wrote before her review to her health team."""
    reach = get_passport_for_user(request.user, passport_id, "wellbeing")
    entry = selectors.entry_for(reach, "wellbeing", BeforeReview.TYPE, entry_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        before_review.do_send(reach, entry, expected_version=version)
    except StaleVersion:
        messages.error(request, _("This changed on another device: look at it again, then "
                                  "send it."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent. Your health team will read it before your review."))
    return redirect("section", passport_id=passport_id, section="wellbeing")


@login_required
def guide(request: HttpRequest) -> HttpResponse:
    reach = own_reach(request.user)
    return render(request, "frontend/guide.html", {"guide": guide_for(reach) if reach else None})


def guide_for(reach) -> dict | None:
    """Her age, and which milestones are near: a personal adviser from 16, 18, 21, 24, 25."""
    if reach is None:
        return None
    born = reach.passport.born
    if born is None:
        return None
    today = timezone.localdate()
    age = relativedelta(today, born).years
    at = {n: born + relativedelta(years=n) for n in (16, 18, 21, 24, 25)}
    return {"age": age, "at": at, "soon": next((n for n in (16, 18, 21, 24, 25)
                                                  if at[n] >= today
                                                  and at[n] - today < datetime.timedelta(days=366)),
                                                 None)}
