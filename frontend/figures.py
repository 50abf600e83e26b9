"""The area figures of the designated professional and the team lead: counts only,
never a name, a record or a link to one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passport.access import capabilities
from passport.care import figures


@login_required
def area_figures(request: HttpRequest) -> HttpResponse:
    if not capabilities.can_view_figures(request.user):
        raise PermissionDenied
    areas = figures.areas_for(request.user)
    # area_figures logs the view itself (audit), once per page.
    quarters = figures.area_figures(request.user, areas) if areas else []
    return render(request, "frontend/figures.html", {"areas": areas, "quarters": quarters})
