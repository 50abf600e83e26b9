"""The area figures of the designated professional and the team lead: counts only,
never a name, a record or a link to one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passport.access import capabilities
from passport.care import area_figures


@login_required
def area_figures_page(request: HttpRequest) -> HttpResponse:
    if not capabilities.can_view_figures(request.user):
        raise PermissionDenied
    areas = area_figures.areas_for(request.user)
    # by_quarter logs the view itself (audit), once per page.
    quarters = area_figures.by_quarter(request.user, areas) if areas else []
    return render(request, "frontend/figures.html", {"areas": areas, "quarters": quarters})
