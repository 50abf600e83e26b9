"""FHIR R4 export of a passport: a document Bundle shaped to the International Patient Summary
(IPS 1.1 on FHIR R4), as docs/fhir.md describes.

A Composition whose sections are IPS's: the three it requires (medication summary, allergies,
problem list), then immunisations, plan of care, vital signs (growth), functional status (SDQ
results, IPS's place for assessment scales) and family history (only when she includes it). Every
section has narrative text, and every resource in the Bundle is referenced from the Composition.
A section the reader may not see says "withheld", whether or not it holds anything; a section
she may see with nothing in it says so (for the three required sections with IPS's
absent-or-unknown entries), so that no code hints at hidden content. The Patient always carries
her registered name, date of birth and NHS number: identity travels with health content
(docs/fhir.md); her chosen name only with "about me".

Everything comes through the policy's item filter, like every page: what this reader may see,
never a held-back entry, an assessment only once signed off. Codes are never invented: a SNOMED
CT code where the nurse recorded one that is a valid concept id (passport.clinical.snomed), LOINC
for the
sections and growth observations, text otherwise.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join

from passport.access.policy import Basis, Purpose, Reach
from passport.clinical import snomed as snomed_ids
from passport.records import audit, selectors
from passport.records.selectors import SectionView, identity

LOINC, SNOMED, UCUM = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ABSENT = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
EMPTY_REASON = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
XHTML = "http://www.w3.org/1999/xhtml"
PRIMARY_SOURCES = frozenset({"gp_record", "child_health_record"})


@dataclass(frozen=True)
class Section:
    key: str
    loinc: str
    title: str
    reads: str  # the passport section it comes from
    absent: tuple[str, str, str] | None = None  # IPS's "no information" entry, if required


SECTIONS = (
    Section("medications", "10160-0", "Medication summary", "conditions",
            ("MedicationStatement", "no-medication-info", "No information about medications")),
    Section("allergies", "48765-2", "Allergies and intolerances", "conditions",
            ("AllergyIntolerance", "no-allergy-info", "No information about allergies")),
    Section("problems", "11450-4", "Problem list", "conditions",
            ("Condition", "no-problem-info", "No information about current problems")),
    Section("immunizations", "11369-6", "History of immunizations", "immunisations"),
    Section("plan", "18776-5", "Plan of care", "health_plan"),
    Section("vitals", "8716-3", "Vital signs", "assessments"),
    Section("functional", "47420-5", "Functional status", "wellbeing"),
    Section("family", "10157-6", "History of family member diseases", "family_history"),
)
GROWTH = (("height_cm", "8302-2", "Body height", "cm"),
          ("weight_kg", "29463-7", "Body weight", "kg"),
          ("head_circumference_cm", "9843-4", "Head circumference", "cm"))


def _id() -> str:
    return str(uuid.uuid4())


def _ref(resource: dict) -> dict:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _code(text: str, snomed: str | None = None) -> dict:
    concept: dict[str, Any] = {"text": text}
    if snomed and snomed_ids.is_concept_id(snomed):
        concept["coding"] = [{"system": SNOMED, "code": snomed.strip()}]
    return concept


def _status(system: str, code: str) -> dict:
    return {"coding": [{"system": f"http://terminology.hl7.org/CodeSystem/{system}",
                        "code": code}]}


def _narrative(lines: list[str]) -> dict:
    items = format_html_join("", "<li>{}</li>", ((line,) for line in lines))
    return {"status": "generated",
            "div": format_html('<div xmlns="{}"><ul>{}</ul></div>', XHTML, items)}


def _empty(reason: str, words: str) -> dict:
    return {"emptyReason": {"coding": [{"system": EMPTY_REASON, "code": reason}], "text": words},
            "text": {"status": "generated",
                     "div": format_html('<div xmlns="{}"><p>{}</p></div>', XHTML, words)}}


def bundle(reach: Reach, *, family_history: bool = False) -> dict:
    """The Bundle as JSON-ready data. `family_history` is honoured only for the young person
    herself: FamilyMemberHistory travels only if she includes it."""
    now = timezone.now()
    # One language for the whole document, whatever the page's: the choices' names as well
    # as our own words (a receiving system's clinician reads it in English).
    with translation.override("en-gb"):
        return _Document(reach, family_history and reach.is_owner, now).bundle()


class _Document:
    """One export: the resources, each added with the line its section's narrative shows."""

    def __init__(self, reach: Reach, family_history: bool, now) -> None:
        self.reach, self.family_history, self.now = reach, family_history, now
        self.resources: list[dict] = []
        self.views: dict[str, SectionView] = {}
        self.found: dict[str, list[tuple[dict, str]]] = {s.key: [] for s in SECTIONS}
        self.patient = self._patient()
        self.subject = _ref(self.patient)

    def may_see(self, section: Section) -> bool:
        if section.key == "family":
            return self.family_history and self.reach.can(section.reads)
        return self.reach.can(section.reads)

    def entries(self, section: str, type_key: str) -> list:
        """Her entries of one type, through the section's view for an export (the item filter:
        never an entry held back from her, an assessment only once signed off), each section
        read once."""
        if not self.reach.can(section):
            return []
        if section not in self.views:
            self.views[section] = selectors.section_view(self.reach, section, Purpose.EXPORT,
                                                         show_unknown=False)
        return self.views[section].of(type_key)

    def add(self, section: str, resource: dict, line: str) -> None:
        self.resources.append(resource)
        self.found[section].append((resource, line))

    def _patient(self) -> dict:
        """Her registered name, date of birth and NHS number, always; her chosen name only
        for a reader of "about me"."""
        who = identity(self.reach, logged=True)
        names = [{"use": "official", "text": who.legal_name}]
        if who.chosen_name and self.reach.can("about_me"):
            names.append({"use": "usual", "text": who.chosen_name})
        patient: dict[str, Any] = {"resourceType": "Patient", "id": _id(), "name": names}
        if who.date_of_birth:
            patient["birthDate"] = who.date_of_birth.isoformat()
        else:  # IPS requires it: say that it is not known rather than leave it out
            patient["_birthDate"] = _absent_reason("unknown")
        if who.nhs_number:
            patient["identifier"] = [{"system": NHS_NUMBER,
                                      "value": who.nhs_number.replace(" ", "")}]
        return patient

    def bundle(self) -> dict:
        self._conditions()
        self._immunisations()
        self._growth()
        self._sdq()
        self._plan()
        if self.family_history:
            self._family()
        author = self._author()
        composition = {
            "resourceType": "Composition", "id": _id(), "status": "final",
            "type": {"coding": [{"system": LOINC, "code": "60591-5",
                                 "display": "Patient summary Document"}]},
            "subject": self.subject, "date": self.now.isoformat(),
            "author": [_ref(author)], "title": "My health: patient summary",
            "section": [self._section(s) for s in SECTIONS],
        }
        basis, glass = self.reach.logged_as("about_me")
        audit.record_event(actor=None if Basis.SHARE_LINK in self.reach.bases else self.reach.user,
                           action="fhir_exported", passport=self.reach.passport, basis=basis,
                           object_id=glass)
        return {
            "resourceType": "Bundle", "id": _id(), "type": "document",
            "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{_id()}"},
            "timestamp": self.now.isoformat(),
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
                      for r in [composition, self.patient, author, *self.resources]],
        }

    def _author(self) -> dict:
        """Who stands behind the document: her health team's organisation, or, with none, the
        system that assembled it from her record."""
        team = self.reach.passport.health_team
        if team is not None:
            return {"resourceType": "Organization", "id": _id(),
                    "name": team.organisation.name}
        return {"resourceType": "Device", "id": _id(),
                "deviceName": [{"name": "Health Passport", "type": "user-friendly-name"}]}

    def _section(self, section: Section) -> dict:
        shown = {"title": section.title,
                 "code": {"coding": [{"system": LOINC, "code": section.loinc}]}}
        if not self.may_see(section):
            return shown | _empty("withheld", "Not shared with the reader of this summary")
        found = self.found[section.key]
        if not found and section.absent:
            kind, code, words = section.absent
            found = [(self._absent(kind, code, words), words)]
            self.resources.append(found[0][0])
        if not found:
            return shown | _empty("notstarted", "Nothing recorded")
        return shown | {"text": _narrative([line for _r, line in found]),
                        "entry": [_ref(r) for r, _line in found]}

    def _absent(self, kind: str, code: str, words: str) -> dict:
        concept = {"coding": [{"system": ABSENT, "code": code, "display": words}]}
        if kind == "MedicationStatement":
            return {"resourceType": kind, "id": _id(), "status": "unknown",
                    "subject": self.subject, "medicationCodeableConcept": concept,
                    "_effectiveDateTime": _absent_reason("not-applicable")}
        if kind == "AllergyIntolerance":
            return {"resourceType": kind, "id": _id(), "patient": self.subject, "code": concept,
                    "clinicalStatus": _status("allergyintolerance-clinical", "active")}
        return {"resourceType": kind, "id": _id(), "subject": self.subject, "code": concept,
                "clinicalStatus": _status("condition-clinical", "active"),
                "category": [_status("condition-category", "problem-list-item")]}

    def _conditions(self) -> None:
        for condition in self.entries("conditions", "condition"):
            active = condition.ended_on is None
            since = f" (since {condition.started_on.isoformat()})" if condition.started_on else ""
            if condition.kind == "allergy":
                resource = {
                    "resourceType": "AllergyIntolerance", "id": _id(), "patient": self.subject,
                    "code": _code(condition.name, condition.snomed_code),
                    "clinicalStatus": _status("allergyintolerance-clinical",
                                              "active" if active else "resolved")}
                section = "allergies"
            elif condition.kind == "medicine":
                resource = {
                    "resourceType": "MedicationStatement", "id": _id(), "subject": self.subject,
                    "status": "active" if active else "completed",
                    "medicationCodeableConcept": _code(condition.name, condition.snomed_code)}
                resource |= _effective(condition.started_on, condition.ended_on)
                if condition.details:
                    resource["dosage"] = [{"text": condition.details}]
                section = "medications"
            else:
                resource = {
                    "resourceType": "Condition", "id": _id(), "subject": self.subject,
                    "code": _code(condition.name, condition.snomed_code),
                    "category": [_status("condition-category", "problem-list-item")],
                    "clinicalStatus": _status("condition-clinical",
                                              "active" if active else "resolved")}
                if condition.started_on:
                    resource["onsetDateTime"] = condition.started_on.isoformat()
                if condition.ended_on:
                    resource["abatementDateTime"] = condition.ended_on.isoformat()
                section = "problems"
            if condition.details and condition.kind != "medicine":
                resource["note"] = [{"text": condition.details}]
            state = "" if active else " (ended)"
            if condition.added_by_young_person:  # her own word: a GP should know whose it is
                resource["informationSource" if section == "medications"
                         else "asserter"] = self.subject
                state += " (added by the young person)"
            self.add(section, resource, f"{condition.name}{since}{state}")

    def _immunisations(self) -> None:
        for dose in self.entries("immunisations", "dose"):
            label = str(dose.vaccine_other if dose.vaccine == "other" and dose.vaccine_other
                        else dose.get_vaccine_display() if dose.vaccine else "Vaccine")
            resource = {"resourceType": "Immunization", "id": _id(), "status": "completed",
                        "vaccineCode": _code(label, dose.snomed_code), "patient": self.subject,
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
            when = dose.given_on.isoformat() if dose.given_on else "date not known"
            self.add("immunizations", resource, f"{label}: {when}")

    def _growth(self) -> None:
        for assessment in self.entries("assessments", "assessment"):
            if not assessment.held_on:  # only signed-off ones come (the export's item filter)
                continue
            for field, code, display, unit in GROWTH:
                value = getattr(assessment, field)
                if value is None:
                    continue
                self.add("vitals", {
                    "resourceType": "Observation", "id": _id(), "status": "final",
                    "category": [_status("observation-category", "vital-signs")],
                    "code": {"coding": [{"system": LOINC, "code": code, "display": display}],
                             "text": display},
                    "subject": self.subject,
                    "effectiveDateTime": assessment.held_on.isoformat(),
                    "valueQuantity": {"value": float(value), "unit": unit, "system": UCUM,
                                      "code": unit}},
                    f"{display}: {value} {unit} ({assessment.held_on.isoformat()})")

    def _sdq(self) -> None:
        for result in self.entries("wellbeing", "sdq_result"):
            scored = result.scored
            if scored is None or not result.completed_on:
                continue
            name = f"SDQ total difficulties score ({result.get_informant_display()})"
            self.add("functional", {
                "resourceType": "Observation", "id": _id(), "status": "final",
                "category": [_status("observation-category", "survey")],
                "code": {"text": name}, "subject": self.subject,
                "effectiveDateTime": result.completed_on.isoformat(),
                "valueInteger": scored.total,
                "component": [{"code": {"text": scale}, "valueInteger": scored.scores[scale]}
                              for scale in scored.scores]},
                f"{name}: {scored.total} ({result.completed_on.isoformat()})")

    def _plan(self) -> None:
        actions = self.entries("health_plan", "plan_action")
        if not actions:
            return
        status = {"done": "completed", "dropped": "cancelled"}
        self.add("plan", {
            "resourceType": "CarePlan", "id": _id(), "status": "active", "intent": "plan",
            "subject": self.subject, "title": "Health plan",
            "activity": [{"detail": {
                "status": status.get(a.status, "not-started"), "description": a.action,
                **({"scheduledString": f"By {a.due_on.isoformat()}"} if a.due_on else {})}}
                for a in actions]},
            "Health plan: " + "; ".join(a.action for a in actions))

    def _family(self) -> None:
        for relative in self.entries("family_history", "family_history"):
            who = str(relative.get_relative_display()) if relative.relative else "Relative"
            resource = {"resourceType": "FamilyMemberHistory", "id": _id(),
                        "status": "completed", "patient": self.subject,
                        "relationship": {"text": who}}
            if relative.condition:
                resource["condition"] = [{"code": {"text": relative.condition},
                                          **({"note": [{"text": relative.what_this_means}]}
                                             if relative.what_this_means else {})}]
            self.add("family", resource, f"{who}: {relative.condition or 'no condition named'}")


def _effective(started: datetime.date | None, ended: datetime.date | None) -> dict:
    """A medicine's time: the period she took it (either end may be unknown), or, with neither
    recorded, an unknown time said as such (IPS requires one)."""
    period = ({"start": started.isoformat()} if started else {}) | (
        {"end": ended.isoformat()} if ended else {})
    if period:
        return {"effectivePeriod": period}
    return {"_effectiveDateTime": _absent_reason("unknown")}


def _absent_reason(code: str) -> dict:
    return {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                           "valueCode": code}]}
