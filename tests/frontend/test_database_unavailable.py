"""When the database cannot answer, requests fail cleanly: 503 with Retry-After, a
problem document for the API and a plain page for people, no trace, nothing half-written. The
outage here is real: the table a page reads is gone inside the test's transaction (SQLite's DDL
is transactional, so the rollback brings it back)."""

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from passport.models import Condition
from tests.conftest import login

pytestmark = pytest.mark.one_database  # PostgreSQL would abort the test's transaction


def drop_conditions_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE passport_condition")


def test_the_api_answers_503_with_a_problem(her_passport, her_nurse, asthma):
    api = login(APIClient(), her_nurse)
    drop_conditions_table()
    response = api.get(f"/api/v1/passports/{her_passport.pk}/conditions/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503 and "try again" in body["title"].lower()
    assert "Traceback" not in response.content.decode() and "passport_condition" not in (
        response.content.decode())


def test_a_page_answers_503_in_plain_words(her_passport, her_nurse, asthma):
    client = login(Client(), her_nurse)
    drop_conditions_table()
    response = client.get(f"/p/{her_passport.pk}/conditions/")
    assert response.status_code == 503
    text = response.content.decode()
    assert "Try again in a moment" in text or "try again in a moment" in text
    assert "Asthma" not in text and "OperationalError" not in text


def test_a_write_that_meets_the_outage_leaves_nothing(her_passport, her_nurse):
    api = login(APIClient(), her_nurse)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE passport_revision")  # the entry is written, its history not
    response = api.post(f"/api/v1/passports/{her_passport.pk}/conditions/condition/",
                        {"kind": "allergy", "name": "Nuts"}, format="json")
    assert response.status_code == 503
    assert not Condition.objects.filter().exists()  # the whole write rolled back
