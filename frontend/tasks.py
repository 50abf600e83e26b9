"""The task list of a nurse, doctor, team lead or social worker."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passport.care import tasks
from passport.models import HEALTH_ROLES, Role
from passport.records import audit


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in HEALTH_ROLES | {Role.SOCIAL_WORKER}:
        raise PermissionDenied
    found = tasks.tasks_for(request.user)
    audit.record_event(actor=request.user, action="list_viewed")  # a list: logged once
    return render(request, "frontend/tasks.html", {"tasks": found})
