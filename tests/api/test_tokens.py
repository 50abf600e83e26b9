"""Personal API tokens and connected systems: made only after a second factor,
acting with exactly their owner's rights, expiring, revocable, listed, logged; a connected
system reads nothing and may only send immunisations; throttling answers 429."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from passport.accounts import tokens
from passport.models import ApiToken, AuditEvent, ImmunisationImport
from tests.conftest import login


def make_token(user, name="Reporting script", days=30) -> str:
    page = login(Client(), user).post("/settings/api-tokens/", {"name": name, "days": days})
    assert page.status_code == 200, page.content.decode()[:2000]
    return re.search(r"<code>(hp_[^<]+)</code>", page.content.decode()).group(1)


def as_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_a_token_acts_with_exactly_its_owners_rights(her_passport, other_passport, her_nurse,
                                                     asthma):
    secret = make_token(her_nurse)
    stored = ApiToken.objects.get(user=her_nurse)
    assert stored.token_hash != secret and secret not in str(stored.__dict__)
    api = as_token(secret)
    response = api.get(f"/api/v1/passports/{her_passport.pk}/conditions/")
    assert response.status_code == 200 and "Asthma" in response.content.decode()
    assert api.get(f"/api/v1/passports/{other_passport.pk}/conditions/").status_code == 404
    assert AuditEvent.objects.filter(action="api_token_created", actor=her_nurse).exists()
    listed = login(Client(), her_nurse).get("/settings/api-tokens/").content.decode()
    assert "Reporting script" in listed and stored.prefix in listed and secret not in listed


def test_revoked_and_expired_tokens_stop_working(her_passport, her_nurse, asthma, other_nurse):
    secret = make_token(her_nurse)
    token = ApiToken.objects.get(user=her_nurse)
    # Someone else cannot revoke it.
    assert login(Client(), other_nurse).post(
        f"/settings/api-tokens/{token.pk}/revoke/").status_code == 403
    assert as_token(secret).get(f"/api/v1/passports/{her_passport.pk}/").status_code != 401
    login(Client(), her_nurse).post(f"/settings/api-tokens/{token.pk}/revoke/")
    response = as_token(secret).get(f"/api/v1/passports/{her_passport.pk}/conditions/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"
    second = make_token(her_nurse, "Second")
    ApiToken.objects.filter(name="Second").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert as_token(second).get(
        f"/api/v1/passports/{her_passport.pk}/conditions/").status_code in (401, 403)
    assert as_token("hp_not-a-real-token").get("/api/v1/caseload/").status_code in (401, 403)


def test_no_token_without_a_second_factor(her_passport, young_person, her_nurse):
    # A young person with no second factor set up is told to set one up first.
    page = login(Client(), young_person).post("/settings/api-tokens/",
                                              {"name": "x", "days": 10})
    assert page.status_code == 400 and "second sign-in step first" in page.content.decode()
    # A professional whose session has not passed the second factor reaches no token page.
    unverified = Client()
    unverified.force_login(her_nurse)
    assert unverified.post("/settings/api-tokens/", {"name": "x", "days": 10}).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_connected_system_reads_nothing(her_passport, asthma):
    token, secret = tokens.create_integration("Heaton Moor GP system")
    api = as_token(secret)
    for url in (f"/api/v1/passports/{her_passport.pk}/conditions/",
                f"/api/v1/passports/{her_passport.pk}/fhir/", "/api/v1/caseload/",
                "/api/v1/services/", f"/api/v1/passports/{her_passport.pk}/immunisations/"
                "imports/", "/api/v1/sign-off/", "/api/v1/figures/"):
        response = api.get(url)
        assert response.status_code in (403, 404), url
        assert "Asthma" not in response.content.decode()
    # It cannot sign in to the pages either.
    assert not token.user.has_usable_password()


BUNDLE = {"resourceType": "Bundle", "type": "collection", "entry": [
    {"resource": {"resourceType": "Patient", "identifier": [
        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}]}},
    {"resource": {"resourceType": "Immunization", "status": "completed",
                  "vaccineCode": {"text": "MMR"}, "patient": {"reference": "Patient/1"},
                  "occurrenceDateTime": "2012-07-01"}}]}


def test_a_connected_system_sends_immunisations_and_learns_nothing(her_passport):
    _token, secret = tokens.create_integration("Heaton Moor GP system")
    api = as_token(secret)
    known = api.post("/api/v1/immunisations/import/", BUNDLE, format="json")
    unknown_bundle = {**BUNDLE, "entry": [
        {"resource": {"resourceType": "Patient", "identifier": [
            {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "4010232137"}]}},
        BUNDLE["entry"][1]]}
    unknown = api.post("/api/v1/immunisations/import/", unknown_bundle, format="json")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json()) == (
        202, {"status": "received"})
    assert ImmunisationImport.objects.get().passport_id == her_passport.pk


def test_a_person_cannot_use_the_systems_door(her_passport, her_nurse):
    secret = make_token(her_nurse)
    assert as_token(secret).post("/api/v1/immunisations/import/", BUNDLE,
                                 format="json").status_code == 403
    assert not ImmunisationImport.objects.exists()


def test_too_many_requests_are_refused(her_passport, her_nurse, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    # The rates as configured, lowered for this test only (monkeypatch puts them back).
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {"address": "100/min", "user": "3/min", "grants": "30/hour"})
    api = login(APIClient(), her_nurse)
    codes = [api.get(f"/api/v1/passports/{her_passport.pk}/conditions/").status_code
             for _n in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = api.get(f"/api/v1/passports/{her_passport.pk}/conditions/")
    assert refused["Content-Type"] == "application/problem+json"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    from django.core.cache import cache

    cache.clear()  # throttle counts of earlier tests
    yield
    cache.clear()
