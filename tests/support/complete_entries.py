"""One entry of every type with every field filled, written by hand, for the round-trip tests
: an empty field round-trips by itself, so only a full entry shows that a saved date,
number, choice or yes/no survives being shown and read back.

Each is added to a demo passport that has none of that type yet, by the person who would write
it. Dates are relative to today and lie after the young person's birth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passport.operations.demo import ago, ahead

MIA, CHLOE, JAY, LEO = "yp.demo1", "yp.demo2", "yp.demo3", "yp.demo5"


@dataclass(frozen=True)
class Complete:
    passport: str  # the demo young person's username
    writer: str  # "nurse", or "owner" for what only she writes
    section: str
    fields: dict[str, Any]
    change: tuple[str, Any]  # the one field a second save changes, and its new value


def complete_entries(areas: dict[str, Any], service_slug: str = "cafe-zest",
                     ) -> dict[str, Complete]:
    """Keyed by entry type. `areas`: Area by name (care episodes point at two)."""
    return {
        "about_me": Complete(JAY, "owner", "about_me", {
            "own_words": "Call me Jay.\nI am good with tablets, not with injections.",
            "pronouns": "he/him",
            "culture_religion": "Not religious. Vegetarian.",
        }, ("pronouns", "he/they")),
        "communication": Complete(MIA, "nurse", "about_me", {
            "languages": "English, a little Polish",
            "interpreter_needed": False,
            "interpreter_language": "Polish, for her mother's visits",
            "communication_needs": "Likes pictures to explain things.\nGive her time to answer.",
        }, ("interpreter_needed", True)),
        "contact": Complete(MIA, "nurse", "contacts", {
            "is_emergency": True, "role": "dentist", "name": "Dr Jon Price",
            "organisation": "Heaton Smiles Dental", "phone": "0161 000 0303",
            "email": "reception@example.org", "address": "12 Shaw Road\nHeaton Moor\nSK4 4AA",
            "notes": "Check-ups every 6 months.", "topic": "general",
        }, ("phone", "0161 000 0404")),
        "immunisation_status": Complete(LEO, "nurse", "immunisations", {
            "history": "verbal", "had_chickenpox": "no", "chickenpox_when": "Not had it",
            "pregnant": "no", "expected_delivery_on": ago(months=3),
            "tb_screening": "Not needed: no risk factors.",
            "bbv_screening": "Not needed.", "gp_catch_up_requested_on": ago(months=2),
            "gp_catch_up_confirmed_on": ago(months=1, days=3),
            "notes": "Grandmother remembers the baby jabs.\nRed book not found.",
        }, ("gp_catch_up_confirmed_on", ago(months=1))),
        "dose": Complete(MIA, "nurse", "immunisations", {
            "vaccine": "other", "vaccine_other": "Hepatitis A (travel)",
            "given_on": ago(years=1, months=2, days=9), "dose_number": 1, "batch": "HAV-7781",
            "site": "left upper arm", "route": "intramuscular",
            "where": "Centro de Salud, Málaga", "country": "Spain", "source": "abroad",
            "snomed_code": "836375003",
            "notes": "Given on holiday with her foster family.\nCertificate seen.",
        }, ("batch", "HAV-7782")),
        "birth_history": Complete(CHLOE, "nurse", "birth_history", {
            "birth_weight_g": 3150, "gestation_weeks": 38, "gestation_days": 4,
            "delivery": "assisted", "place_of_birth": "St Mary's Hospital, Manchester",
            "neonatal_problems": "None recorded.", "exposure_in_pregnancy": "Smoking.",
            "blood_spot": "normal", "hearing_screening": "follow_up",
            "neonatal_hepatitis_b": "no", "bcg": "unknown",
            "notes": "From the discharge letter.\nHearing follow-up was normal.",
        }, ("gestation_days", 5)),
        "family_history": Complete(MIA, "nurse", "family_history", {
            "relative": "grandparent", "condition": "Heart attack at 48",
            "what_this_means": "Tell your GP when you are older; a cholesterol check helps.",
            "source": "Maternal grandmother", "relative_agreed": "unknown",
            "recorded_on": ago(months=6, days=2),
        }, ("relative_agreed", "yes")),
        "condition": Complete(MIA, "nurse", "conditions", {
            "kind": "allergy", "name": "Peanuts", "details": "Hives within minutes.",
            "what_to_do": "Antihistamine; call 999 if her lips or tongue swell.",
            "started_on": ago(years=3, days=11), "ended_on": ago(months=3, days=5),
            "topic": "general", "snomed_code": "91935009",
        }, ("details", "Hives within minutes; outgrown.")),
        "assessment": Complete(MIA, "nurse", "assessments", {
            "kind": "review", "led_by": "nurse", "held_on": ago(days=3), "outcome": "done",
            "outcome_reason": "Done in two visits.", "done_by": "Priya Shah",
            "profession": "Children in care nurse",
            "nurse_led_rationale": "Known to the nurse for two years.",
            "supervising_doctor": "Dr Tom Okafor", "who_was_present": "Mia and Sam Jones",
            "seen_alone": True, "interpreter": "None needed", "location": "School, her choice",
            "consent": "Mia, with her social worker's agreement",
            "own_words": "\u201cI like my new school.\u201d",
            "height_cm": "134.5", "weight_kg": "29.8", "head_circumference_cm": "52.3",
            "development": "Reading at her age.", "dental": "Registered; seen in spring.",
            "sight": "Glasses for reading.", "hearing": "No concerns.",
            "emotional_wellbeing": "Settled.\nSome worry before contact with her mother.",
            "summary": "Well. Catch-up vaccines booked.", "plan_ready_on": ago(days=1),
            "late_reason_kind": "consent", "late_reason": "Consent came late.",
        }, ("weight_kg", "30.1")),
        "plan_action": Complete(MIA, "nurse", "health_plan", {
            "action": "Eye test at the optician.", "responsible": "gp",
            "responsible_name": "Dr Aisha Malik", "carers_role": "Take her; bring the letter.",
            "due_on": ahead(months=2, days=4), "status": "open",
            "outcome": "Booked for the half term.", "topic": "general",
        }, ("action", "Eye test at the optician, with a reading check.")),
        "sdq_result": Complete(MIA, "nurse", "wellbeing", {
            "completed_on": ago(months=1, days=6), "informant": "teacher", "emotional": 3,
            "conduct": 1, "hyperactivity": 6, "peer": 0, "prosocial": 10,
            "discussed_on": ago(days=20),
        }, ("peer", 1)),
        "self_assessment": Complete(CHLOE, "owner", "wellbeing", {
            "recorded_on": ago(days=10), "how_i_feel": "Tired but OK.\nExcited about the baby.",
            "what_helps": "Talking to the midwife.",
        }, ("what_helps", "Talking to the midwife and my foster carer.")),
        "before_review": Complete(CHLOE, "owner", "wellbeing", {
            "going_well": "College.\nMy foster carer.", "worries": "Being tired all the time.",
            "talk_about": "The baby, and sleep.", "where_to_meet": "At home",
            "who_there": "My foster carer for some of it", "seen_alone": "yes",
        }, ("worries", "Being tired, and money.")),
        "sexual_health": Complete(CHLOE, "owner", "sexual_health", {
            "kind": "contraception", "recorded_on": ago(months=8, days=1),
            "details": "Implant removed.", "due_date": ahead(months=3, days=2),
            "support": "Central Youth clinic.", "vaccines_in_pregnancy": "Flu jab in October.",
            "fraser_competent": True,
        }, ("details", "Implant removed in the spring.")),
        "appointment": Complete(MIA, "nurse", "appointments", {
            "on_date": ahead(days=30), "time": "16:15", "what_for": "Dentist check-up",
            "with_whom": "Dr Jon Price", "where": "Heaton Smiles Dental", "status": "booked",
            "topic": "general", "notes": "Bring the exemption form.\nShe likes the first slot.",
        }, ("time", "16:30")),
        "my_note": Complete(CHLOE, "owner", "my_notes", {
            "about": "Questions for the midwife", "note": "Is it OK to swim?\nAsk about sleep.",
        }, ("note", "Is it OK to swim?")),
        "saved_service": Complete(CHLOE, "owner", "my_services", {
            "service_id": service_slug, "service_name": "Café Zest",
            "note": "Thursdays after college.\nFree food.",
        }, ("note", "Thursdays after college.")),
        "care_episode": Complete(MIA, "nurse", "care", {
            "started_on": ago(years=6, days=3), "ended_on": ago(years=5, months=6),
            "placing_authority": areas["Stockport"], "host_area": areas["Manchester"],
            "legal_status": "s20", "parental_responsibility": "Her mother (by agreement)",
            "placement_type": "kinship", "outcome": "home",
        }, ("parental_responsibility", "Her mother and father (by agreement)")),
        "not_known_yet": Complete(MIA, "nurse", "conditions", {
            "item": "Allergy tests as a baby", "where_to_find": "The GP in her first area",
            "asked_on": ago(days=40), "asked_whom": "Dr Aisha Malik", "status": "asked",
        }, ("status", "found")),
    }



@dataclass(frozen=True)
class Added:
    entry: Any
    editor: str  # the username of who may change it
    section: str
    change: tuple[str, Any]


def add_complete_entries() -> dict[str, Added]:
    """Every complete entry, added to the loaded demo through the real action."""
    from passport.access.policy import reach
    from passport.models import Area, Passport, User
    from passport.records import actions, sections

    areas = {area.name: area for area in Area.objects.all()}
    nurse = User.objects.get(username="nurse")
    added = {}
    for type_key, spec in complete_entries(areas).items():
        passport = Passport.objects.select_related("owner").get(owner__username=spec.passport)
        writer = passport.owner if spec.writer == "owner" else nurse
        model = sections.TYPES[type_key]
        fields = dict(spec.fields)
        if type_key == "not_known_yet":
            fields["section"] = spec.section
        entry = actions.do_add_entry(reach(writer, passport.pk), model, fields)
        added[type_key] = Added(entry, writer.username, spec.section, spec.change)
    return added
