"""FHIR import of immunisations: a preview for the nurse, doses already recorded
detected as duplicates, only confirmed doses saved, each naming its source; bad input keeps
nothing."""

import datetime
import io
import json

from django.test import Client
from rest_framework.test import APIClient

from passport.models import ImmunisationDose, ImmunisationImport
from passport.records import actions
from tests.conftest import login


def immunization(text, day, dose=None, lot=None):
    resource = {"resourceType": "Immunization", "status": "completed",
                "vaccineCode": {"text": text}, "patient": {"reference": "Patient/1"},
                "occurrenceDateTime": day}
    if dose:
        resource["protocolApplied"] = [{"doseNumberPositiveInt": dose}]
    if lot:
        resource["lotNumber"] = lot
    return {"resource": resource}


BUNDLE = {"resourceType": "Bundle", "type": "collection", "entry": [
    immunization("M-M-RvaxPro (MMR)", "2012-07-01", 1, "MMR-1"),
    immunization("MMR", "2015-09-10", 2, "MMR-2"),
    immunization("Gardasil 9 (HPV)", "2024-10-01", 1, "HPV-7"),
    immunization("Yellow fever", "2020-01-01"),
]}


def test_a_preview_with_duplicates_then_only_confirmed_doses(her_passport, nurse_reach):
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": datetime.date(2012, 7, 1), "source": "red_book"})
    api = login(APIClient(), nurse_reach.user)
    base = f"/api/v1/passports/{her_passport.pk}/immunisations/imports/"
    response = api.post(base, BUNDLE, format="json")
    assert response.status_code == 201
    rows = response.json()["rows"]
    assert [(r["vaccine"], r["given_on"], r["duplicate"]) for r in rows] == [
        ("mmr", "2012-07-01", True), ("mmr", "2015-09-10", False),
        ("hpv", "2024-10-01", False), ("other", "2020-01-01", False)]
    assert ImmunisationDose.objects.count() == 1  # nothing saved before confirmation
    made = response.json()["id"]
    response = api.post(f"{base}{made}/confirm/", {"rows": [0, 1, 3]}, format="json")
    assert response.json() == {"saved": 2}  # the duplicate never; HPV not chosen
    doses = {(d.vaccine, d.given_on): d for d in ImmunisationDose.objects.all()}
    assert set(doses) == {("mmr", datetime.date(2012, 7, 1)), ("mmr", datetime.date(2015, 9, 10)),
                          ("other", datetime.date(2020, 1, 1))}
    second = doses[("mmr", datetime.date(2015, 9, 10))]
    assert (second.dose_number, second.batch, second.source) == (2, "MMR-2", "gp_record")
    assert "Imported from GP record export" in second.notes
    assert doses[("other", datetime.date(2020, 1, 1))].vaccine_other == "Yellow fever"
    # Closed: it cannot be confirmed twice.
    assert api.post(f"{base}{made}/confirm/", {"rows": [2]}, format="json").status_code == 403
    assert ImmunisationDose.objects.count() == 3
    assert api.get(base).json() == []


def test_bad_input_keeps_nothing(her_passport, nurse_reach):
    api = login(APIClient(), nurse_reach.user)
    base = f"/api/v1/passports/{her_passport.pk}/immunisations/imports/"
    broken = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Immunization", "vaccineCode": {"text": "MMR"}}}]}
    for payload in (broken, {"resourceType": "Patient"}, [1, 2],
                    {"resourceType": "Bundle", "type": "collection", "entry": []}):
        response = api.post(base, payload, format="json")
        assert response.status_code == 400, payload
        assert response["Content-Type"] == "application/problem+json"
    assert not ImmunisationImport.objects.exists()


def test_the_nurses_page_uploads_previews_and_confirms(her_passport, nurse_reach):
    client = login(Client(), nurse_reach.user)
    url = f"/p/{her_passport.pk}/immunisations/imports/"
    upload = io.BytesIO(json.dumps(BUNDLE).encode())
    upload.name = "export.json"
    assert client.post(url, {"step": "upload", "file": upload}).status_code == 302
    page = client.get(url).content.decode()
    assert "Gardasil 9 (HPV)" in page and "Yellow fever" in page
    imported = ImmunisationImport.objects.get()
    client.post(url, {"step": "confirm", "import_id": imported.pk, "row": ["2"]})
    assert [d.vaccine for d in ImmunisationDose.objects.all()] == ["hpv"]
    bad = io.BytesIO(b"not json")
    bad.name = "x.json"
    response = client.post(url, {"step": "upload", "file": bad})
    assert response.status_code == 400 and "not a FHIR JSON file" in response.content.decode()


def test_only_her_health_team(her_passport, nurse_reach, young_person, stranger):
    for user in (young_person, stranger):
        api = login(APIClient(), user)
        response = api.post(f"/api/v1/passports/{her_passport.pk}/immunisations/imports/",
                            BUNDLE, format="json")
        assert response.status_code in (403, 404)
        assert login(Client(), user).get(
            f"/p/{her_passport.pk}/immunisations/imports/").status_code in (403, 404)
    assert not ImmunisationImport.objects.exists()


# Names as GP systems send them, to the vaccine each dose really is. "Haemophilus
# influenzae type b" is Hib, a bacterium: it was imported as a flu dose (the Hib dose lost, a
# flu vaccination invented). Each row worked from the UKHSA schedule's own wording.
NAMES = [
    ("Haemophilus influenzae type b", "other"),
    ("Hib/MenC (Menitorix)", "hib_menc"),
    ("Haemophilus influenzae type b and meningococcal group C", "hib_menc"),
    ("DTaP/IPV/Hib/HepB", "6in1"),
    ("Diphtheria, tetanus, pertussis (whooping cough), polio, Haemophilus influenzae type b "
     "(Hib) and hepatitis B", "6in1"),
    ("Infanrix hexa", "6in1"),
    ("DTaP/IPV/Hib (Pediacel)", "5in1"),
    ("Influenza", "flu"),
    ("Fluenz (live attenuated influenza vaccine)", "flu"),
    ("Hepatitis B", "hepb"),
    ("Meningococcal group B (Bexsero)", "menb"),
    ("Meningococcal groups A, C, W and Y", "menacwy"),
    ("Measles, mumps, rubella and varicella (ProQuad)", "mmrv"),
]


def test_each_name_is_imported_as_the_vaccine_it_is(her_passport, nurse_reach):
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        immunization(name, f"2019-01-{day + 1:02d}") for day, (name, _v) in enumerate(NAMES)]}
    api = login(APIClient(), nurse_reach.user)
    response = api.post(f"/api/v1/passports/{her_passport.pk}/immunisations/imports/", bundle,
                        format="json")
    assert response.status_code == 201
    got = [row["vaccine"] for row in response.json()["rows"]]
    assert got == [vaccine for _name, vaccine in NAMES]


def test_a_date_that_is_not_a_whole_day_is_kept_and_said(her_passport, nurse_reach):
    """A review found "2019-05" became no date at all, silently. It is shown in the preview, kept
    in the dose's notes, and the dose (saved without a date) does not count."""
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        immunization("MMR", "2019-05"), immunization("MenB", "2019")]}
    nurse = login(Client(), nurse_reach.user)
    api = login(APIClient(), nurse_reach.user)
    base = f"/api/v1/passports/{her_passport.pk}/immunisations/imports/"
    made = api.post(base, bundle, format="json").json()
    assert [(r["given_on"], r["date_sent"]) for r in made["rows"]] == [
        (None, "2019-05"), (None, "2019")]
    page = nurse.get(f"/p/{her_passport.pk}/immunisations/imports/").content.decode()
    assert "Incomplete: 2019-05" in page and "Incomplete: 2019 " in page
    assert api.post(f"{base}{made['id']}/confirm/", {"rows": [0]},
                    format="json").json() == {"saved": 1}
    dose = ImmunisationDose.objects.get()
    assert dose.given_on is None and "gave the date only as 2019-05" in dose.notes
