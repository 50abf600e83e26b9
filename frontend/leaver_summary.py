"""The care leaver's health summary, for her health team: every section checked, the release
plan of anything held back, and the mark that it is ready for her booklet."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from frontend.forms import Form, apply_errors
from passport.access.passports import get_passport_for_user
from passport.care import leaver_summary
from passport.records import sections

ANSWERS = ("reviewed", "up_to_date", "still_unknown")


class ChecklistForm(Form):
    """Three answers for each checked section, named "<section>-<answer>" so one form posts
    the whole checklist."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in leaver_summary.CHECKED:
            self.fields[f"{key}-reviewed"] = forms.BooleanField(required=False)
            self.fields[f"{key}-up_to_date"] = forms.BooleanField(required=False)
            self.fields[f"{key}-still_unknown"] = forms.CharField(
                required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def lines(self, rows: list[leaver_summary.Row]) -> list[tuple]:
        return [(row, *(self[f"{row.section}-{name}"] for name in ANSWERS)) for row in rows]

    def checklist(self) -> dict[str, dict]:
        return {key: {name: self.cleaned_data[f"{key}-{name}"] for name in ANSWERS}
                for key in leaver_summary.CHECKED}


def _initial(rows: list[leaver_summary.Row]) -> dict:
    return {f"{row.section}-{name}": getattr(row, name) for row in rows for name in ANSWERS}


@login_required
@require_http_methods(["GET", "POST"])
def leaver_summary_page(request: HttpRequest, passport_id: UUID) -> HttpResponse:
    reach = get_passport_for_user(request.user, passport_id)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step not in ("", "save", "ready"):
        raise PermissionDenied
    form = ChecklistForm(request.POST if step == "save" else None)
    # No fields: it carries the reasons the summary is not ready yet, for the error summary.
    ready_form = Form(request.POST if step == "ready" else None)
    try:
        if step == "save" and form.is_valid():
            before = leaver_summary.summary_of(reach)
            saved = leaver_summary.do_save(reach, form.checklist())
            if before is not None and saved.updated_at == before.updated_at:
                messages.success(request, _("Nothing was changed, so nothing was saved."))
            else:
                messages.success(request, _("Saved. Check it again, then mark it ready.")
                                 if before and before.ready_at else _("Saved."))
            return redirect("leaver-summary", passport_id=passport_id)
        if step == "ready":
            leaver_summary.do_mark_ready(reach)
            messages.success(request, _("Marked ready for the booklet."))
            return redirect("leaver-summary", passport_id=passport_id)
    except ValidationError as error:
        apply_errors(form if step == "save" else ready_form, error)
    rows = leaver_summary.rows(reach)  # refuses anyone but her health team
    if not form.is_bound:
        form.initial = _initial(rows)
    held = [(sections.TITLES[plan.hold.section],
             capfirst(sections.TYPES[plan.hold.entry_type]._meta.verbose_name), plan)
            for plan in leaver_summary.held_plans(reach)]
    failed = bool(form.errors or ready_form.errors)
    return render(request, "frontend/leaver_summary.html", {
        "reach": reach, "form": form, "ready_form": ready_form, "lines": form.lines(rows),
        "held": held, "summary": leaver_summary.summary_of(reach),
    }, status=400 if failed else 200)
