"""Exports: the FHIR R4 Bundle of every demo passport validates with a FHIR library
(fhir.resources, R4B models: the R4 family's published Python models) and carries the UK Core
immunisation fields; family history only when she includes it; nothing held back; her own data
as one documented JSON document with other people's information marked."""

import json
import uuid

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from rest_framework.test import APIClient

from passport.models import User
from passport.operations import demo
from tests.conftest import login

NAMES = ("yp.demo1", "yp.demo2", "yp.demo3", "yp.demo4", "yp.demo5")


@pytest.fixture
def passports(loaded):
    return {name: uuid.uuid5(demo.NAMESPACE, name) for name in NAMES}


def fhir_of(user, passport_id, query=""):
    response = login(APIClient(), user).get(f"/api/v1/passports/{passport_id}/fhir/{query}")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_of_every_demo_passport_validates(passports):
    nurse = User.objects.get(username="nurse")
    for name, passport_id in passports.items():
        # Her nurse reaches every demo passport but the care leaver's (yp.demo3).
        readers = [User.objects.get(username=name)] + ([nurse] if name != "yp.demo3" else [])
        for reader in readers:
            data = fhir_of(reader, passport_id)
            Bundle.model_validate(data)  # raises on anything that is not FHIR
            assert data["type"] == "document"
            composition = data["entry"][0]["resource"]
            assert composition["resourceType"] == "Composition"
            codes = [s["code"]["coding"][0]["code"] for s in composition["section"]]
            assert codes[:5] == ["10160-0", "48765-2", "11450-4", "11369-6", "18776-5"]
            # Every reference in a section points at a resource in the bundle.
            urls = {e["fullUrl"] for e in data["entry"]}
            for section in composition["section"]:
                for ref in section.get("entry", []):
                    assert ref["reference"] in urls


def test_immunisations_carry_the_uk_core_fields(passports):
    mia = passports["yp.demo1"]
    data = fhir_of(User.objects.get(username="yp.demo1"), mia)
    mmr = [r for r in resources(data, "Immunization")
           if r["vaccineCode"]["text"].startswith("MMR")]
    assert mmr, [r["vaccineCode"] for r in resources(data, "Immunization")]
    dose = next(r for r in mmr if r.get("lotNumber") == "MMR-AB1234")
    assert dose["status"] == "completed" and dose["occurrenceDateTime"]
    assert dose["patient"]["reference"].startswith("urn:uuid:")
    assert dose["protocolApplied"][0]["doseNumberPositiveInt"] >= 1
    patient = resources(data, "Patient")[0]
    assert patient["identifier"][0] == {"system": "https://fhir.nhs.uk/Id/nhs-number",
                                        "value": patient["identifier"][0]["value"]}
    assert len(patient["identifier"][0]["value"]) == 10


def test_family_history_only_when_she_includes_it_and_never_what_is_held(passports):
    chloe = passports["yp.demo2"]
    her, nurse = User.objects.get(username="yp.demo2"), User.objects.get(username="nurse")
    assert not resources(fhir_of(her, chloe), "FamilyMemberHistory")
    assert not resources(fhir_of(nurse, chloe, "?family_history=include"),
                         "FamilyMemberHistory")  # only she may include it
    included = fhir_of(her, chloe, "?family_history=include")
    Bundle.model_validate(included)
    text = json.dumps(included)
    assert "Schizophrenia" not in text  # held back from her: in no export


def test_her_data_export(passports):
    chloe = passports["yp.demo2"]
    her = User.objects.get(username="yp.demo2")
    response = login(Client(), her).get(f"/p/{chloe}/my-data/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-health-data.json"'
    data = json.loads(response.content)
    assert data["format"] == "health-passport-export/1"
    assert data["about"]["nhs_number"]
    family = data["sections"]["family_history"]["entries"]
    assert family and all(e["about_other_people"] for e in family)
    assert "Schizophrenia" not in response.content.decode()
    conditions = data["sections"]["conditions"]["entries"]
    assert all(not e["about_other_people"] for e in conditions)
    api = login(APIClient(), her).get(f"/api/v1/passports/{chloe}/export/")
    assert json.loads(api.content)["sections"].keys() == data["sections"].keys()


def test_only_she_exports_her_data(passports):
    chloe = passports["yp.demo2"]
    nurse = login(APIClient(), User.objects.get(username="nurse"))
    assert nurse.get(f"/api/v1/passports/{chloe}/export/").status_code == 403
    assert login(Client(), User.objects.get(username="nurse")).get(
        f"/p/{chloe}/my-data/").status_code == 403
    stranger = login(APIClient(), User.objects.get(username="residential"))
    assert stranger.get(f"/api/v1/passports/{chloe}/export/").status_code == 404
    assert stranger.get(f"/api/v1/passports/{chloe}/fhir/").status_code == 404
