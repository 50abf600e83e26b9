"""The task list of a nurse, doctor, team lead or social worker."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passport.access import capabilities
from passport.care import tasks
from passport.records import audit


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    if not capabilities.has_tasks(request.user):
        raise PermissionDenied
    found = tasks.tasks_for(request.user)
    audit.record_event(actor=request.user, action="list_viewed")  # a list: logged once
    return render(request, "frontend/tasks.html", {"tasks": found})
