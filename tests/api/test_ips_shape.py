"""FHIR as an IPS reader expects (docs/fhir.md): narrative in every section, every
resource referenced, IPS's required sections with its absent-or-unknown entries, "withheld" for
every section the reader may not see whether or not it holds anything, a medicine's time, the
author as a reference, SNOMED CT codes checked, and her identity always on the Patient."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from fhir.resources.R4B.bundle import Bundle
from rest_framework.test import APIClient

from passport.access import sharing
from passport.access.policy import reach
from passport.clinical.snomed import is_concept_id
from passport.models import Condition, ImmunisationDose, Role
from passport.records import actions
from tests.conftest import login, make_user

REQUIRED = {"10160-0": "no-medication-info", "48765-2": "no-allergy-info",
            "11450-4": "no-problem-info"}


def export(user, passport) -> dict:
    response = login(APIClient(), user).get(f"/api/v1/passports/{passport.pk}/fhir/")
    assert response.status_code == 200, response.content[:300]
    data = json.loads(response.content)
    Bundle.model_validate(data)
    return data


def composition(data) -> dict:
    return data["entry"][0]["resource"]


def by_code(data) -> dict:
    return {s["code"]["coding"][0]["code"]: s for s in composition(data)["section"]}


def referenced(data) -> set[str]:
    doc = composition(data)
    refs = {doc["subject"]["reference"]} | {a["reference"] for a in doc["author"]}
    return refs | {e["reference"] for s in doc["section"] for e in s.get("entry", [])}


def test_every_section_has_narrative_and_every_resource_is_referenced(her_passport,
                                                                       nurse_reach, her_nurse):
    actions.do_add_entry(nurse_reach, Condition, {
        "kind": "medicine", "name": "Salbutamol inhaler", "started_on": datetime.date(2024, 1, 5),
        "details": "Two puffs when wheezy"})
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": datetime.date(2012, 7, 1), "source": "gp_record",
        "snomed_code": "38598009"})
    data = export(her_nurse, her_passport)
    for section in composition(data)["section"]:
        assert section["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
    urls = {e["fullUrl"] for e in data["entry"][1:]}
    assert urls == referenced(data)  # nothing unreferenced, nothing missing
    medication = next(e["resource"] for e in data["entry"]
                      if e["resource"]["resourceType"] == "MedicationStatement")
    assert medication["effectivePeriod"] == {"start": "2024-01-05"}
    assert "Salbutamol inhaler (since 2024-01-05)" in by_code(data)["10160-0"]["text"]["div"]


def test_the_required_sections_say_no_information_when_nothing_is_recorded(her_passport,
                                                                            her_nurse):
    data = export(her_nurse, her_passport)
    sections = by_code(data)
    entries = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    for code, absent in REQUIRED.items():
        [ref] = sections[code]["entry"]
        resource = entries[ref["reference"]]
        concept = resource.get("medicationCodeableConcept") or resource["code"]
        assert concept["coding"][0] == {
            "system": "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips",
            "code": absent, "display": concept["coding"][0]["display"]}
    assert sections["11369-6"]["emptyReason"]["coding"][0]["code"] == "notstarted"


def test_a_section_not_shared_reads_withheld_whether_or_not_it_holds_anything(
        her_passport, nurse_reach, her_nurse, other_passport, other_nurse):
    """A social worker given only immunisations reads the same 'withheld' conditions section
    for a young person with an allergy and for one with none."""
    worker = make_user("sw.kim", Role.SOCIAL_WORKER, "Kim Social")
    actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "Peanuts"})
    for passport, nurse in ((her_passport, her_nurse), (other_passport, other_nurse)):
        sharing.do_grant(reach(nurse, passport.pk), grantee=worker,
                         sections_=["immunisations"], until=None, wishes="Asked for.")
    with_allergy, without = export(worker, her_passport), export(worker, other_passport)
    for code in ("10160-0", "48765-2", "11450-4", "18776-5", "8716-3", "47420-5", "10157-6"):
        one, other = by_code(with_allergy)[code], by_code(without)[code]
        assert one == other, code
        assert one["emptyReason"]["coding"][0]["code"] == "withheld"
        assert "entry" not in one
    assert "Peanuts" not in json.dumps(with_allergy)


def test_her_identity_travels_with_any_health_content(her_passport, her_nurse):
    worker = make_user("sw.kim", Role.SOCIAL_WORKER, "Kim Social")
    sharing.do_grant(reach(her_nurse, her_passport.pk), grantee=worker,
                     sections_=["immunisations"], until=None, wishes="Asked for.")
    patient = export(worker, her_passport)["entry"][1]["resource"]
    assert patient["resourceType"] == "Patient"
    assert patient["name"] == [{"use": "official", "text": "Samantha Rose Jones"}]  # not "Sam"
    assert patient["birthDate"] == "2011-06-01"
    assert patient["identifier"][0]["value"] == "9434765919"
    hers = export(her_nurse, her_passport)["entry"][1]["resource"]
    assert {"use": "usual", "text": "Sam"} in hers["name"]


def test_the_author_is_a_reference_to_who_stands_behind_it(her_passport, her_nurse):
    data = export(her_nurse, her_passport)
    [author] = composition(data)["author"]
    assert set(author) == {"reference"}
    resource = next(e["resource"] for e in data["entry"] if e["fullUrl"] == author["reference"])
    assert resource["resourceType"] in {"Organization", "Device"}


@pytest.mark.parametrize("code", ["138875005", "404684003", "195967001", "38598009",
                                  "39114911000001105"])
def test_real_snomed_concept_ids_pass_the_check(code):
    assert is_concept_id(code)


@pytest.mark.parametrize("code", ["138875006", "138857005", "1234", "0138875005",
                                  "138875015", "12345678901234567890"])
def test_a_mistyped_or_non_concept_id_fails(code):
    """One digit wrong, two neighbours swapped, too short, a leading zero, a description's
    partition, too long."""
    assert not is_concept_id(code)


def test_a_mistyped_code_is_refused_with_a_clear_message(nurse_reach):
    with pytest.raises(ValidationError) as refused:
        actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "Peanuts",
                                                      "snomed_code": "91935008"})
    assert "not a SNOMED CT concept code" in refused.value.message_dict["snomed_code"][0]
    assert not Condition.objects.filter(passport=nurse_reach.passport).exists()


def test_the_document_is_in_one_language_whatever_the_readers_pages(her_passport, nurse_reach,
                                                                   her_nurse):
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": datetime.date(2012, 7, 1), "source": "red_book"})
    actions.do_add_entry(nurse_reach, Condition, {
        "kind": "medicine", "name": "Sertraline", "ended_on": datetime.date(2025, 2, 1)})
    response = login(APIClient(), her_nurse).get(f"/api/v1/passports/{her_passport.pk}/fhir/",
                                                 HTTP_ACCEPT_LANGUAGE="ar")
    data = json.loads(response.content)
    dose = next(e["resource"] for e in data["entry"]
                if e["resource"]["resourceType"] == "Immunization")
    assert dose["vaccineCode"]["text"] == "MMR (measles, mumps, rubella)"
    assert dose["reportOrigin"]["text"] == "Red book"
    medicine = next(e["resource"] for e in data["entry"]
                    if e["resource"]["resourceType"] == "MedicationStatement")
    assert medicine["effectivePeriod"] == {"end": "2025-02-01"}  # the end kept, start unknown



def test_what_she_added_herself_says_so(her_passport, young_person, her_nurse):
    """Her own entries are labelled as hers wherever they show (issue 26): in FHIR, she is
    the source of a medicine she added, and the asserter of an allergy."""
    own = reach(young_person, her_passport.pk)
    actions.do_add_entry(own, Condition, {"kind": "medicine", "name": "Cetirizine",
                                          "details": "One a day in summer"})
    actions.do_add_entry(own, Condition, {"kind": "allergy", "name": "Cats"})
    data = export(her_nurse, her_passport)
    patient = composition(data)["subject"]
    resources = {e["resource"]["resourceType"]: e["resource"] for e in data["entry"][1:]}
    assert resources["MedicationStatement"]["informationSource"] == patient
    assert resources["AllergyIntolerance"]["asserter"] == patient
    assert "Cetirizine (added by the young person)" in by_code(data)["10160-0"]["text"]["div"]
