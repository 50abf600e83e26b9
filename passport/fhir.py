"""FHIR R4 export of a passport (issue 10; RULES.md 4): a document Bundle shaped like the
International Patient Summary. A Composition with sections for medications, allergies,
problems, immunisations and the plan of care, and the resources they point to: Patient,
Immunization (the UK Core fields), AllergyIntolerance, Condition, MedicationStatement,
Observation (growth, SDQ totals), CarePlan. IPS has no family-history section, so
FamilyMemberHistory resources travel beside it, and only when the young person includes them.

Everything comes through the policy's item filter, like every page: what this reader may see,
never a held-back entry, an assessment only once signed off. Codes are never invented: a SNOMED
CT code where the nurse recorded one, LOINC for the IPS sections and growth observations, text
otherwise.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from passport import audit
from passport.crypto import key_scope
from passport.models import (
    Assessment,
    AssessmentState,
    Condition,
    FamilyHistory,
    ImmunisationDose,
    PlanAction,
    SdqResult,
)
from passport.policy import Basis, Reach, visible
from passport.selectors import identity

LOINC, SNOMED, UCUM = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
PRIMARY_SOURCES = frozenset({"gp_record", "child_health_record"})
SECTIONS = (  # IPS section, LOINC code, title
    ("medications", "10160-0", "Medication summary"),
    ("allergies", "48765-2", "Allergies and intolerances"),
    ("problems", "11450-4", "Problem list"),
    ("immunizations", "11369-6", "History of immunizations"),
    ("plan", "18776-5", "Plan of care"),
    ("vitals", "8716-3", "Vital signs"),
)
GROWTH = (("height_cm", "8302-2", "Body height", "cm"),
          ("weight_kg", "29463-7", "Body weight", "kg"),
          ("head_circumference_cm", "9843-4", "Head circumference", "cm"))


def _id() -> str:
    return str(uuid.uuid4())


def _ref(resource: dict) -> dict:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _entries(reach: Reach, model, section: str) -> list:
    if not reach.can(section):
        return []
    found = visible(reach, model.objects.filter(passport=reach.passport).order_by("created_at"))
    held = reach.held_ids
    return [e for e in found if e.pk not in held]


def _code(text: str, snomed: str | None = None) -> dict:
    concept: dict[str, Any] = {"text": text}
    if snomed and snomed.strip().isdigit():
        concept["coding"] = [{"system": SNOMED, "code": snomed.strip()}]
    return concept


def bundle(reach: Reach, *, family_history: bool = False) -> dict:
    """The Bundle as JSON-ready data. `family_history` is honoured only for the young person
    herself: FamilyMemberHistory travels only if she includes it."""
    now = timezone.now()
    with key_scope():
        return _bundle(reach, family_history and reach.is_owner, now)


def _bundle(reach: Reach, family_history: bool, now) -> dict:
    patient: dict[str, Any] = {"resourceType": "Patient", "id": _id()}
    if reach.can("about_me"):
        who = identity(reach)
        names = [{"use": "official", "text": who.legal_name}]
        if who.chosen_name:
            names.append({"use": "usual", "text": who.chosen_name})
        patient["name"] = names
        if who.date_of_birth:
            patient["birthDate"] = who.date_of_birth.isoformat()
        if who.nhs_number:
            patient["identifier"] = [{"system": NHS_NUMBER,
                                      "value": who.nhs_number.replace(" ", "")}]
    subject = _ref(patient)
    resources: list[dict] = [patient]
    sections: dict[str, list[dict]] = {key: [] for key, _c, _t in SECTIONS}

    def add(section: str | None, resource: dict) -> None:
        resources.append(resource)
        if section:
            sections[section].append(_ref(resource))

    for condition in _entries(reach, Condition, "conditions"):
        active = condition.ended_on is None
        if condition.kind == "allergy":
            resource = {"resourceType": "AllergyIntolerance", "id": _id(), "patient": subject,
                        "code": _code(condition.name, condition.snomed_code),
                        "clinicalStatus": {"coding": [{
                            "system": "http://terminology.hl7.org/CodeSystem/"
                                      "allergyintolerance-clinical",
                            "code": "active" if active else "resolved"}]}}
            section = "allergies"
        elif condition.kind == "medicine":
            resource = {"resourceType": "MedicationStatement", "id": _id(), "subject": subject,
                        "status": "active" if active else "completed",
                        "medicationCodeableConcept": _code(condition.name,
                                                           condition.snomed_code)}
            if condition.details:
                resource["dosage"] = [{"text": condition.details}]
            section = "medications"
        else:
            resource = {"resourceType": "Condition", "id": _id(), "subject": subject,
                        "code": _code(condition.name, condition.snomed_code),
                        "clinicalStatus": {"coding": [{
                            "system": "http://terminology.hl7.org/CodeSystem/"
                                      "condition-clinical",
                            "code": "active" if active else "resolved"}]}}
            if condition.started_on:
                resource["onsetDateTime"] = condition.started_on.isoformat()
            if condition.ended_on:
                resource["abatementDateTime"] = condition.ended_on.isoformat()
            section = "problems"
        if condition.details and condition.kind != "medicine":
            resource["note"] = [{"text": condition.details}]
        add(section, resource)

    for dose in _entries(reach, ImmunisationDose, "immunisations"):
        label = (dose.vaccine_other if dose.vaccine == "other" and dose.vaccine_other
                 else dose.get_vaccine_display() if dose.vaccine else "Vaccine")
        resource = {"resourceType": "Immunization", "id": _id(), "status": "completed",
                    "vaccineCode": _code(str(label), dose.snomed_code), "patient": subject,
                    "primarySource": dose.source in PRIMARY_SOURCES}
        if dose.given_on:
            resource["occurrenceDateTime"] = dose.given_on.isoformat()
        else:
            resource["occurrenceString"] = "Date not known"
        if dose.batch:
            resource["lotNumber"] = dose.batch
        if dose.site:
            resource["site"] = {"text": dose.site}
        if dose.route:
            resource["route"] = {"text": str(dose.get_route_display())}
        if dose.source and dose.source not in PRIMARY_SOURCES:
            resource["reportOrigin"] = {"text": str(dose.get_source_display())}
        if dose.dose_number:
            resource["protocolApplied"] = [{"doseNumberPositiveInt": dose.dose_number}]
        add("immunizations", resource)

    for assessment in _entries(reach, Assessment, "assessments"):
        if assessment.state != AssessmentState.SIGNED_OFF or not assessment.held_on:
            continue
        for field, code, display, unit in GROWTH:
            value = getattr(assessment, field)
            if value is None:
                continue
            add("vitals", {
                "resourceType": "Observation", "id": _id(), "status": "final",
                "category": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "vital-signs"}]}],
                "code": {"coding": [{"system": LOINC, "code": code, "display": display}],
                         "text": display},
                "subject": subject, "effectiveDateTime": assessment.held_on.isoformat(),
                "valueQuantity": {"value": float(value), "unit": unit, "system": UCUM,
                                  "code": unit}})

    for result in _entries(reach, SdqResult, "wellbeing"):
        scored = result.scored
        if scored is None or not result.completed_on:
            continue
        add(None, {
            "resourceType": "Observation", "id": _id(), "status": "final",
            "code": {"text": f"SDQ total difficulties score ({result.informant})"},
            "subject": subject, "effectiveDateTime": result.completed_on.isoformat(),
            "valueInteger": scored.total,
            "component": [{"code": {"text": scale}, "valueInteger": scored.scores[scale]}
                          for scale in scored.scores]})

    actions = _entries(reach, PlanAction, "health_plan")
    if actions:
        status = {"done": "completed", "dropped": "cancelled"}
        add("plan", {
            "resourceType": "CarePlan", "id": _id(), "status": "active", "intent": "plan",
            "subject": subject, "title": "Health plan",
            "activity": [{"detail": {
                "status": status.get(a.status, "not-started"), "description": a.action,
                **({"scheduledString": f"By {a.due_on.isoformat()}"} if a.due_on else {})}}
                for a in actions]})

    if family_history:
        for relative in _entries(reach, FamilyHistory, "family_history"):
            resource = {"resourceType": "FamilyMemberHistory", "id": _id(),
                        "status": "completed", "patient": subject,
                        "relationship": {"text": str(relative.get_relative_display())
                                         if relative.relative else "Relative"}}
            if relative.condition:
                resource["condition"] = [{"code": {"text": relative.condition},
                                          **({"note": [{"text": relative.what_this_means}]}
                                             if relative.what_this_means else {})}]
            add(None, resource)

    composition = {
        "resourceType": "Composition", "id": _id(), "status": "final",
        "type": {"coding": [{"system": LOINC, "code": "60591-5",
                             "display": "Patient summary Document"}]},
        "subject": subject, "date": now.isoformat(),
        "author": [{"display": "Health Passport"}], "title": "My health: patient summary",
        "section": [
            {"title": title, "code": {"coding": [{"system": LOINC, "code": code}]},
             **({"entry": sections[key]} if sections[key] else
                {"emptyReason": {"text": "Nothing recorded or shared"}})}
            for key, code, title in SECTIONS],
    }
    basis, glass = reach.logged_as("about_me")
    audit.record_event(actor=None if Basis.SHARE_LINK in reach.bases else reach.user,
                       action="fhir_exported", passport=reach.passport, basis=basis,
                       object_id=glass)
    return {
        "resourceType": "Bundle", "id": _id(), "type": "document",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{_id()}"},
        "timestamp": now.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
                  for r in [composition, *resources]],
    }
