"""The load benchmark's baseline (bench/load.py): a plain Django page that renders 20
database rows through a template, served by the same server, middleware and database as the
app, beside every URL of the app. Used only when HP_ROOT_URLCONF names this module."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from passport.models import User

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='en'><head><title>Twenty rows</title></head><body><main>"
    "<h1>Twenty rows</h1><table><tr><th>Name</th><th>Role</th><th>Joined</th></tr>"
    "{% for row in rows %}<tr><td>{{ row.username }}</td><td>{{ row.role }}</td>"
    "<td>{{ row.date_joined|date:'j F Y' }}</td></tr>{% endfor %}</table></main></body></html>"
)


def twenty_rows(request: HttpRequest) -> HttpResponse:
    rows = User.objects.order_by("username")[:20]
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


handler500 = "passport.middleware.server_error"

urlpatterns = [
    path("bench/twenty-rows/", twenty_rows),
    path("", include("passport.urls")),
]
