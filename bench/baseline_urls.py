"""The load benchmark's baseline (bench/load.py): a plain Django page that renders 20
database rows through a template, served by the same server, middleware and database as the
app, beside every URL of the app. Used only when HP_ROOT_URLCONF names this module."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from passport.models import Service

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='en'><head><title>Twenty rows</title></head><body><main>"
    "<h1>Twenty rows</h1><table><tr><th>Name</th><th>Run by</th><th>Ages</th></tr>"
    "{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.provider }}</td>"
    "<td>{{ row.min_age }} to {{ row.max_age }}</td></tr>{% endfor %}</table></main></body></html>"
)


def twenty_rows(request: HttpRequest) -> HttpResponse:
    # The services directory: reference data anyone may read, so even a server started with
    # this URLconf by mistake shows nothing about anyone.
    rows = Service.objects.order_by("name")[:20]
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


handler500 = "passport.project.middleware.server_error"

urlpatterns = [
    path("bench/twenty-rows/", twenty_rows),
    path("", include("passport.project.urls")),
]
