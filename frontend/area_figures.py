"""The area figures of the designated professional and the team lead: counts only,
never a name, a record or a link to one. One table, a column for each quarter, so that a
quarter reads against the ones before it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.care import area_figures


def _share(counts: area_figures.Counts) -> str:
    if counts.share_on_time is None:
        return _("none fell due")
    return _("%(share)s%%") % {"share": counts.share_on_time}


def _rows(quarters: list[area_figures.Quarter]) -> list[tuple[str, list, str]]:
    """(label, a value for each quarter, kind): kind "group" heads the rows below it."""
    rows: list[tuple[str, list, str]] = [
        (_("Children in care at any time in the quarter"), [q.in_care for q in quarters], ""),
        (_("Breaches"), [q.breaches for q in quarters], "total"),
    ]
    for name, part in ((_("Initial assessments"), "initial"), (_("Reviews"), "review")):
        counts = [getattr(q, part) for q in quarters]
        rows += [
            (name, [], "group"),
            (_("Fell due"), [c.due for c in counts], ""),
            (_("Done on time"), [c.on_time - c.declined for c in counts], ""),
            (_("Declined by the young person (not a breach)"), [c.declined for c in counts], ""),
            (_("Done late"), [c.late for c in counts], ""),
            (_("Not done yet"), [c.not_done for c in counts], ""),
            (_("Share on time or declined"), [_share(c) for c in counts], ""),
        ]
    rows.append((_("Not brought to an assessment"), [q.not_brought for q in quarters], ""))
    return rows


def _reasons(quarters: list[area_figures.Quarter]) -> list[tuple[str, list[int]]]:
    """The reasons for breaches, a count for each quarter; the commonest first."""
    found: dict[str, list[int]] = {}
    for index, quarter in enumerate(quarters):
        for reason, count in quarter.reason_rows():
            found.setdefault(reason, [0] * len(quarters))[index] = count
    return sorted(found.items(), key=lambda item: (-sum(item[1]), item[0]))


@login_required
def area_figures_page(request: HttpRequest) -> HttpResponse:
    if not capabilities.can_view_figures(request.user):
        raise PermissionDenied
    areas = area_figures.areas_for(request.user)
    # by_quarter logs the view itself (audit), once per page.
    quarters = area_figures.by_quarter(request.user, areas) if areas else []
    return render(request, "frontend/figures.html", {
        "areas": areas, "quarters": quarters, "rows": _rows(quarters),
        "reasons": _reasons(quarters), "as_at": timezone.localtime(),
        "oldest": quarters[-1] if quarters else None})
