"""Share links: the young person's page to make, watch and stop them; and the viewer's pages
(no account): name and organisation, then the code, then the chosen sections, read-only."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontend import links
from frontend.forms import Form, apply_errors
from frontend.sharing import sharing_reach
from passport.access import sharelinks, sharing
from passport.access.policy import control_of, reach_by_link
from passport.models import Control, ShareLink, ShareLinkUse
from passport.records import sections, selectors


class LinkForm(Form):
    ready = forms.ChoiceField(
        label=gettext_lazy("Who is it for?"), widget=forms.RadioSelect, required=False,
        choices=[(k, label) for k, (label, _s) in sharelinks.READY.items()]
        + [("", gettext_lazy("I'll choose the sections myself"))])
    sections = forms.MultipleChoiceField(
        label=gettext_lazy("Sections (if you choose them yourself)"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, sections.TITLES[k]) for k in sharing.GRANTABLE])
    family_history_understood = forms.BooleanField(
        label=gettext_lazy("I understand family history is about my birth family"),
        required=False)
    hours = forms.TypedChoiceField(
        label=gettext_lazy("How long it works"), coerce=int, initial=sharelinks.DEFAULT_HOURS,
        widget=forms.RadioSelect,
        choices=[(24, gettext_lazy("1 day")), (72, gettext_lazy("3 days")),
                 (168, gettext_lazy("7 days"))])
    wishes = forms.CharField(label=gettext_lazy("What the young person wants (nurses only)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, owner: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if owner:
            del self.fields["wishes"]

    def chosen(self) -> list[str]:
        ready = self.cleaned_data.get("ready")
        return list(sharelinks.READY[ready][1]) if ready else self.cleaned_data["sections"]


@login_required
@require_http_methods(["GET", "POST"])
def share_links(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = sharing_reach(request, passport_id)
    decides = sharing.who_decides(reach) is not None
    # "?ready=gp" from the sharing page (her GP by name): that choice made, the form open.
    ready = request.GET.get("ready", "")
    form = LinkForm(request.POST if request.method == "POST" else None, owner=reach.is_owner,
                    initial={"ready": ready} if ready in sharelinks.READY else None)
    created = None
    if request.method == "POST":
        if not decides:
            raise PermissionDenied
        if form.is_valid():
            try:
                created = sharelinks.do_create_link(
                    reach, sections_=form.chosen(), hours=form.cleaned_data["hours"],
                    family_history_understood=form.cleaned_data["family_history_understood"],
                    wishes=form.cleaned_data.get("wishes", ""))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                form = LinkForm(owner=reach.is_owner)
    context = {"reach": reach, "form": form, "decides": decides,
               "asked": ready in sharelinks.READY,
               "supported": control_of(reach.passport) == Control.SUPPORTED,
               "rows": sharelinks.links_of(reach), "titles": sections.TITLES}
    if created is not None:  # shown once: neither is kept
        context["new_link"] = link_to(request, created.token)
        context["new_code"] = sharelinks.display_code(created.code)
    return render(request, "frontend/share_links.html", context,
                  status=400 if form.errors else 200)


@login_required
@require_POST
def revoke_link(request: HttpRequest, passport_id: UUID, link_id: UUID) -> HttpResponse:
    reach = sharing_reach(request, passport_id)
    sharelinks.do_revoke_link(reach, link_id)
    messages.success(request, _("The link no longer works."))
    return redirect("share-links", passport_id=passport_id)


# --- the viewer's side: no account ---------------------------------------------------------

SESSION_LINK, SESSION_WHO, SESSION_USE = "share_link", "share_who", "share_use"


class WhoForm(Form):
    viewer_name = forms.CharField(label=gettext_lazy("Your name"), max_length=100)
    organisation = forms.CharField(label=gettext_lazy("Your organisation"), max_length=150,
                                   help_text=gettext_lazy("For example: Heaton Moor Medical "
                                                          "Centre. The young person sees it."))


class CodeForm(Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}),
                           help_text=gettext_lazy("8 digits. The young person gives you it "
                                                  "separately from the link."))


def link_to(request: HttpRequest, token: str) -> str:
    """The link to give: its secret after "#", never sent to the server, so never logged."""
    return f"{request.build_absolute_uri(reverse('share-viewer'))}#{token}"


def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """An older link, with the secret in its path (the access log hides it)."""
    return _open(request, token)


@require_POST
def open_posted(request: HttpRequest) -> HttpResponse:
    """A link with the secret after "#": the viewer's page posted it."""
    token, refused = links.posted_secret(request, "frontend/share_open.html")
    return refused or _open(request, token)


def _open(request: HttpRequest, token: str) -> HttpResponse:
    """The link's secret goes into the session and out of the address bar (and out of any
    Referer), like an invitation's."""
    link = sharelinks.link_for_token(token)
    request.session.cycle_key()
    request.session.pop(SESSION_USE, None)
    request.session.pop(SESSION_WHO, None)
    request.session[SESSION_LINK] = str(link.pk) if link else ""
    return redirect("share-viewer")


def _gone(request, status=410) -> HttpResponse:
    return render(request, "frontend/share_gone.html", status=status)


@require_http_methods(["GET", "POST"])
def viewer(request: HttpRequest) -> HttpResponse:
    link_id = request.session.get(SESSION_LINK)
    if not link_id and request.method == "GET":  # a new link: its secret is after "#"
        return render(request, "frontend/share_open.html", {"form": links.LinkForm()})
    link = ShareLink.objects.filter(pk=link_id).first() if link_id else None
    if link is None:
        return _gone(request, 404)
    if sharelinks.state(link) is not sharelinks.LinkState.ACTIVE and not (
            request.session.get(SESSION_USE) and sharelinks.state(link)
            is sharelinks.LinkState.LOCKED):
        return _gone(request)
    use_id = request.session.get(SESSION_USE)
    if use_id:
        return _shared_content(request, link, UUID(use_id))
    who = request.session.get(SESSION_WHO)
    step = request.POST.get("step") if request.method == "POST" else ""
    who_form = WhoForm(request.POST if step == "who" else None)
    code_form = CodeForm(request.POST if step == "code" else None)
    if step == "who" and who_form.is_valid():
        request.session[SESSION_WHO] = who_form.cleaned_data
        return redirect("share-viewer")
    if step == "code" and who and code_form.is_valid():
        try:
            use = sharelinks.do_use_link(link, code=code_form.cleaned_data["code"], **who)
        except sharelinks.LinkClosed:
            return _gone(request)
        except ValidationError as error:
            apply_errors(code_form, error)
        else:
            if use is None:
                code_form.add_error("code", _("That code is not right. After a few wrong "
                                              "codes the link stops working."))
            else:
                request.session.cycle_key()
                request.session[SESSION_USE] = str(use.pk)
                return redirect("share-viewer")
    failed = bool(who_form.errors or code_form.errors)
    return render(request, "frontend/share_viewer.html", {
        "who": who, "who_form": who_form, "code_form": code_form,
    }, status=400 if failed else 200)


def _shared_content(request, link: ShareLink, use_id: UUID) -> HttpResponse:
    use = ShareLinkUse.objects.filter(pk=use_id, link=link).first()
    reach = reach_by_link(link, use_id) if use else None
    if reach is None:
        request.session.pop(SESSION_USE, None)
        return _gone(request)
    # What a clinician must not miss first: conditions, allergies and medicines.
    order = sorted(sections.TITLES, key=lambda key: key != "conditions")
    read = [selectors.section_view(reach, key, show_unknown=False)
            for key in order if key in link.sections and reach.can(key)]
    # Only sections with something in them; every other is named once, at the end, whatever
    # the reason (not shared, or empty), so that the list never hints at what is hidden.
    views = [view for view in read if not view.empty]
    shown = {view.key for view in views}
    return render(request, "frontend/share_content.html", {
        "name": reach.passport.display_name, "views": views, "link": link,
        # Whose it is, so that the doctor can match it to her patient: identity travels with
        # health content, and only with it (each section's read is logged as it is shown);
        # with no section readable now, no identity either.
        "identity": selectors.identity(reach, logged=True) if read else None,
        "not_included": [str(title) for key, title in sections.TITLES.items()
                         if key not in shown and key not in sections.HERS_ALONE],
    })
