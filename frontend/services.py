"""The services directory: open to everyone (it is public information), with search and
filters that work without JavaScript."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from frontend.forms import Form
from passport.access.policy import reach
from passport.models import Area, Need, SavedService
from passport.records import actions, selectors


class DirectoryFilter(Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    need = forms.ChoiceField(label=gettext_lazy("What do you need help with?"), required=False,
                             choices=[("", gettext_lazy("Anything")), *Need.choices])
    age = forms.IntegerField(label=gettext_lazy("Your age"), required=False, min_value=0,
                             max_value=30)
    area = forms.ModelChoiceField(label=gettext_lazy("Where you live"), required=False,
                                  queryset=Area.objects.all(),
                                  empty_label=gettext_lazy("Anywhere"))
    placed_by = forms.ModelChoiceField(
        label=gettext_lazy("The council that looks after you"), required=False,
        queryset=Area.objects.all(), empty_label=gettext_lazy("Not in care, or not sure"),
        help_text=gettext_lazy("Some services are only for young people in care of one "
                               "council."))


def directory(request: HttpRequest) -> HttpResponse:
    """Everything, or what the filters ask for. A young person signed in starts from her own
    age, where she lives and the council that looks after her (she can change or clear each);
    the filters stay folded under one line that says what they are set to."""
    theirs = {} if request.GET else _her_starting_filters(request)
    form = DirectoryFilter(request.GET or theirs or None)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {k: v for k, v in filters.items() if v not in (None, "")}
    services = selectors.services(**chosen)
    return render(request, "frontend/services.html", {
        "form": form, "services": services, "from_her_record": bool(theirs),
        "set_to": [str(_said(form, k, v)) for k, v in chosen.items() if k != "q"],
    }, status=400 if form.errors else 200)


def _said(form: DirectoryFilter, key: str, value) -> str:
    if key == "age":
        return _("age %(age)s") % {"age": value}
    if key == "placed_by":
        return _("looked after by %(council)s") % {"council": value}
    if key == "area":
        return _("living in %(area)s") % {"area": value}
    if key == "need":
        return dict(form.fields["need"].choices).get(value, value)
    return str(value)


def _her_starting_filters(request: HttpRequest) -> dict:
    """Hers, when a young person is signed in (selectors.directory_start); nothing for anyone
    else."""
    found = _own_reach(request)
    return selectors.directory_start(found) if found is not None else {}


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service(slug)
    if service is None:
        raise Http404
    found = _own_reach(request)
    saved = found is not None and selectors.has_saved(found, slug)
    return render(request, "frontend/service.html", {"service": service, "saved": saved})


def _own_reach(request: HttpRequest):
    """Her reach to her own passport, when a young person is signed in; None for anyone
    else."""
    own = getattr(request.user, "passport", None) if request.user.is_authenticated else None
    found = reach(request.user, own.pk) if own is not None else None
    return found if found is not None and found.is_owner else None


@login_required
@require_POST
def save_service(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service(slug)
    found = _own_reach(request)
    if service is None or found is None:
        raise Http404
    if selectors.has_saved(found, service.slug):  # pressed twice: one card
        messages.success(request, _("It is in my services already."))
        return redirect("service", slug=slug)
    actions.do_add_entry(found, SavedService, {"service_id": service.slug,
                                               "service_name": service.name})
    messages.success(request, _("Saved to my services."))
    return redirect("service", slug=slug)
