"""Hostile bodies get a problem document, never a server error or an HTML
page: JSON nested too deeply is refused before it is parsed into Python, a body over the size
limit answers 413, malformed JSON 400; and nothing is written."""

import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from passport.models import Revision
from tests.conftest import login


@pytest.fixture
def api(her_nurse):
    return login(APIClient(), her_nurse)


def url_of(asthma) -> str:
    return f"/api/v1/passports/{asthma.passport_id}/conditions/condition/{asthma.pk}/"


def patch(api, asthma, body: bytes, content_type="application/json"):
    return api.generic("PATCH", url_of(asthma), body, content_type=content_type,
                       HTTP_IF_MATCH=f'"{asthma.pk}-v1"')


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"]
    return problem


@pytest.mark.parametrize("depth", [100, 100_000])
def test_json_nested_too_deeply_is_a_400_problem(api, asthma, depth):
    body = ('{"details": ' + "[" * depth + "]" * depth + ', "reason": "x"}').encode()
    problem = assert_problem(patch(api, asthma, body), 400)
    assert "nested" in problem["detail"]
    assert Revision.objects.filter(entry_id=asthma.pk).count() == 1


def test_a_body_over_the_limit_is_a_413_problem(api, asthma):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"details": "x" * (limit + 10), "reason": "x"}).encode()
    assert_problem(patch(api, asthma, body), 413)
    form = patch(api, asthma, b"details=" + b"x" * (limit + 10),
                 content_type="application/x-www-form-urlencoded")
    assert form.status_code in (413, 415), form.content[:300]
    assert form["Content-Type"] == "application/problem+json"
    assert Revision.objects.filter(entry_id=asthma.pk).count() == 1


def test_malformed_json_is_a_400_problem(api, asthma):
    assert_problem(patch(api, asthma, b'{"details": '), 400)
    assert_problem(patch(api, asthma, b"\xff\xfe not text"), 400)
