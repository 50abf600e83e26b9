"""Property-based API tests from the OpenAPI schema: Schemathesis generates requests
for every operation and sends each as the young person, her nurse, her carer and nobody, in
process through the real WSGI application. Checks: no 5xx, every response as the schema says,
and no operation that answers without authentication (ignored_auth). Bounded: a few examples
per operation, no deadline; SQLite only (it tests the API, not the database)."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis import checks

from passport.models import Condition, Placement, Role
from passport.records import actions
from tests.conftest import login, make_user

pytestmark = pytest.mark.one_database  # make test-postgres leaves it out


def _schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_schema())
schema.app = get_wsgi_application()
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance,
          checks.ignored_auth, checks.status_code_conformance]


@pytest.fixture
def people(db, her_passport, nurse_reach, young_person, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "Penicillin"})
    carer = make_user("carer.jo", Role.CARER, "Jo Carer")
    Placement.objects.create(passport=her_passport, carer=carer, started_on="2024-01-01",
                             confirmed_on=timezone.localdate())
    headers = {}
    for name, user in (("young person", young_person), ("nurse", nurse_reach.user),
                       ("carer", carer)):
        client = login(Client(), user)
        client.get("/")  # a CSRF cookie
        cookies = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
        headers[name] = {"Cookie": cookies,
                         "X-CSRFToken": client.cookies.get("csrftoken").value
                         if client.cookies.get("csrftoken") else ""}
    # In process, as Django's own test client does: no connection closed between requests
    # (that would end the test's transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield her_passport, headers
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_for_every_role(case, people):
    passport, headers = people
    if "passport_id" in (case.path_parameters or {}):
        case.path_parameters["passport_id"] = str(passport.pk)
    if "section" in (case.path_parameters or {}) and case.path_parameters["section"] not in (
            "conditions", "immunisations", "about_me"):
        case.path_parameters["section"] = "conditions"
    for role in ("young person", "nurse", "carer"):
        case.call_and_validate(headers=headers[role], checks=CHECKS)
    response = case.call(headers={})  # nobody: refused, never a 5xx
    assert response.status_code < 500
