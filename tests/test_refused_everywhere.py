"""Generated from the URL table: every page and API address that is not public refuses someone
not signed in, and every address about a young person's passport refuses a signed-in stranger
(a carer with no link to her), for GET and POST alike, changing nothing. Which addresses are
public is the hand-written COVERED table of test_permission_matrix; a new address is checked
here the day it is added."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from rest_framework.test import APIClient

from passport.models import AuditEvent, Role
from tests.conftest import login, make_user
from tests.frontend.test_permission_matrix import COVERED

PUBLIC = {name for name, why in COVERED.items() if why.startswith("public")}
VALUES = {"section": "conditions", "type_key": "condition", "token": "n0t-a-real-token-at-all",
          "slug": "not-a-service", "key": "not-a-key"}


def patterns():
    from api import urls as api_urls
    from frontend import urls as frontend_urls

    for face, module in (("page", frontend_urls), ("api", api_urls)):
        for p in module.urlpatterns:
            if isinstance(p, URLPattern) and p.name and p.name not in PUBLIC:
                yield pytest.param(face, p.name, sorted(p.pattern.converters), id=p.name)


def address(name, params, passport_id):
    kwargs = {}
    for param in params:
        if param == "passport_id":
            kwargs[param] = passport_id
        elif param.endswith("_id"):
            kwargs[param] = uuid.uuid4()
        else:
            kwargs[param] = VALUES.get(param, "x")
    return reverse(name, kwargs=kwargs)


def refused(face, response, signed_in):
    if face == "page" and not signed_in and response.status_code == 302:
        return response["Location"].startswith("/accounts/login/")
    return response.status_code in {401, 403, 404, 405}


@pytest.mark.parametrize(("face", "name", "params"), list(patterns()))
def test_nobody_signed_in_is_refused(db, her_passport, face, name, params):
    url = address(name, params, her_passport.pk)
    client = Client() if face == "page" else APIClient()
    before = AuditEvent.objects.count()
    for method in (client.get, client.post):
        response = method(url)
        assert refused(face, response, signed_in=False), (method.__name__, url,
                                                          response.status_code)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("face", "name", "params"),
                         [p for p in patterns() if "passport_id" in p.values[2]])
def test_a_stranger_is_refused_her_passport(db, her_passport, face, name, params):
    stranger = make_user("stranger.carer", Role.CARER, "Sam Stranger")
    url = address(name, params, her_passport.pk)
    client = login(Client() if face == "page" else APIClient(), stranger)
    for method in (client.get, client.post):
        response = method(url)
        assert refused(face, response, signed_in=True), (method.__name__, url,
                                                         response.status_code)
    assert not AuditEvent.objects.filter(passport=her_passport, actor=stranger).exists()


def test_the_check_sees_an_open_door(db):
    """The public directory answers anyone: the same check calls that open, so it can fail."""
    assert not refused("page", Client().get(reverse("services")), signed_in=False)
    assert not refused("api", APIClient().get(reverse("api-services")), signed_in=False)
