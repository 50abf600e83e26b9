"""Demo data for `make run`: one organisation and health team, every kind of professional, and
five young people with realistic, different records. No real person's data.

Loading twice changes nothing: people are found by username, passports by fixed ids, and the
directory by slug. Dates are relative to the day the demo is loaded, so the ages stay true.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from passport.access import capabilities, held_back
from passport.access.policy import Action, reach
from passport.care import assessments
from passport.encryption.fields import EncryptedTextField
from passport.models import (
    Area,
    Authenticator,
    Control,
    HealthTeam,
    Organisation,
    Passport,
    Placement,
    Role,
    Service,
    SocialWorkAssignment,
    User,
)
from passport.operations.demo_services import SERVICES
from passport.records import actions, sections

PASSWORD = "health-passport-demo"  # noqa: S105 (printed by make run: demo only)
NAMESPACE = uuid.UUID("6f1d1c43-6a43-4c8e-9a43-1f4c9b2d8e10")
TODAY = timezone.localdate


def ago(years: int = 0, months: int = 0, days: int = 0) -> datetime.date:
    return TODAY() - relativedelta(years=years, months=months, days=days)


def ahead(months: int = 0, days: int = 0) -> datetime.date:
    return TODAY() + relativedelta(months=months, days=days)


def earlier(kind: str, held_on: datetime.date, summary: str, by: str = "Priya Shah",
            profession: str = "Children in care nurse") -> tuple:
    """An assessment from the years before, signed off as the service would hold it: the
    area figures need five quarters of history, and the clock her last assessment."""
    fields = {"kind": kind, "held_on": held_on, "outcome": "done", "done_by": by,
              "profession": profession, "summary": summary}
    if kind == "initial":
        fields |= {"led_by": "doctor", "done_by": "Dr Tom Okafor",
                   "profession": "Community paediatrician"}
    return ("assessments", "assessment", fields)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: str
    display_name: str = ""
    job_title: str = ""


STAFF = [
    DemoPerson("nurse", Role.NURSE, "Priya Shah", "Children in care nurse"),
    DemoPerson("doctor", Role.DOCTOR, "Dr Tom Okafor", "Community paediatrician"),
    DemoPerson("teamlead", Role.TEAM_LEAD, "Helen Brooks",
               "Lead nurse for children in care"),
    DemoPerson("designated", Role.DESIGNATED, "Dr Ruth Adeyemi",
               "Designated doctor for children in care"),
    DemoPerson("fostercarer", Role.CARER, "Sam Jones"),
    DemoPerson("residential", Role.CARER, "Kim Lee"),
    DemoPerson("socialworker", Role.SOCIAL_WORKER, "Marcus Reid"),
    DemoPerson("adviser", Role.PERSONAL_ADVISER, "Leah Novak"),
    DemoPerson("caldicott", Role.CALDICOTT, "Carys Evans"),
    DemoPerson("safeguarding", Role.NURSE, "Nia Roberts"),
    DemoPerson("admin", Role.ADMIN, "Alex Morgan"),
    # A second admin: what widens someone's reach needs two.
    DemoPerson("admin2", Role.ADMIN, "Jo Baker"),
]


def young_people() -> list[dict[str, Any]]:
    """Five young people. Each entry is (section, type, fields)."""
    return [
        {
            "username": "yp.demo1", "legal_name": "Mia Louise Hartley", "chosen_name": "Mia",
            "born": ago(years=9, months=4), "sex": "female", "nhs": "999 000 1111",
            "control": Control.SUPPORTED,
            "story": "9, foster care, gaps in immunisations, birth history partly unknown",
            "care": {"started_on": ago(years=2, months=1), "legal_status": "care_order",
                     "placement_type": "foster", "placing": "Stockport", "host": "Stockport",
                     "parental_responsibility": "Stockport Council, shared with her mother"},
            "entries": [
                ("about_me", "about_me", {"own_words": "I love drawing horses and I hate "
                                          "needles so please tell me before."}),
                ("contacts", "contact", {"role": "gp", "name": "Dr Aisha Malik",
                                         "organisation": "Heaton Moor Medical Centre",
                                         "phone": "0161 496 0701"}),
                ("contacts", "contact", {"role": "emergency", "name": "Sam Jones (foster carer)",
                                         "phone": "07700 900101", "is_emergency": True}),
                ("immunisations", "immunisation_status", {
                    "history": "documented", "had_chickenpox": "yes",
                    "chickenpox_when": "Age 3, from her mother's account",
                    "notes": "Red book lost; GP record has most infant doses."}),
                ("immunisations", "dose", {"vaccine": "5in1", "given_on": ago(years=9, months=2),
                                           "dose_number": 1, "source": "gp_record"}),
                ("immunisations", "dose", {"vaccine": "5in1", "given_on": ago(years=9, months=1),
                                           "dose_number": 2, "source": "gp_record"}),
                ("immunisations", "dose", {"vaccine": "mmr", "given_on": ago(years=8, months=3),
                                           "dose_number": 1, "source": "gp_record",
                                           "batch": "MMR-AB1234"}),
                ("birth_history", "birth_history", {
                    "birth_weight_g": 2890, "delivery": "vaginal",
                    "place_of_birth": "Stepping Hill Hospital",
                    "neonatal_problems": "Treated for jaundice for two days."}),
                ("conditions", "condition", {"kind": "condition", "name": "Eczema",
                                             "details": "Flares in winter; emollient twice a day.",
                                             "what_to_do": "Cotton clothes; no perfumed soap."}),
                ("conditions", "condition", {
                    "kind": "medicine", "name": "Moisturising cream for eczema (Epaderm)",
                    "details": "Morning and bedtime, on dry skin. Keep it in the bathroom.",
                    "what_to_do": "If her skin is red, hot or weeping, ring the GP."}),
                ("health_plan", "plan_action", {
                    "action": "Book the missing MMR second dose and pre-school booster with the "
                              "GP practice nurse.",
                    "responsible": "carer", "responsible_name": "Sam Jones",
                    "carers_role": "Book and take her; tell her the day before.",
                    "due_on": ahead(months=1), "status": "open"}),
                ("wellbeing", "sdq_result", {"completed_on": ago(months=5), "informant": "carer",
                                             "emotional": 4, "conduct": 2, "hyperactivity": 5,
                                             "peer": 2, "prosocial": 8,
                                             "discussed_on": ago(months=4)}),
                earlier("initial", ago(years=2, days=5),
                        "Settling into foster care. Infant immunisation record incomplete."),
                earlier("review", ago(years=1, days=20),
                        "Well. Eczema managed. Ask the GP for her immunisation history."),
                ("assessments", "assessment", {
                    "kind": "review", "held_on": ago(months=5), "outcome": "done",
                    "done_by": "Priya Shah", "profession": "Children in care nurse",
                    "who_was_present": "Mia and her foster carer", "seen_alone": False,
                    "location": "At home, her choice", "own_words": "\u201cI want my own "
                    "room and a dog.\u201d", "height_cm": "131.5",
                    "weight_kg": "28.2",
                    "summary": "Well and settled. Two vaccinations to catch up."}),
            ],
            "unknown": [
                ("birth_history", {"item": "Gestation at birth", "where_to_find":
                                   "Maternity notes at Stepping Hill Hospital",
                                   "asked_on": ago(months=2), "asked_whom": "Maternity records",
                                   "status": "asked"}),
                ("family_history", {"item": "Birth father's health history",
                                    "where_to_find": "Social worker to ask the paternal family",
                                    "status": "not_asked"}),
                ("immunisations", {"item": "Pre-school booster", "where_to_find":
                                   "Child health record in the previous area",
                                   "asked_on": ago(months=1), "status": "asked"}),
            ],
        },
        {
            "username": "yp.demo2", "legal_name": "Chloe Amber Wright", "chosen_name": "",
            "born": ago(years=16, months=5), "sex": "female", "nhs": "485 777 3457",
            "control": Control.SELF_MANAGED,
            "story": "16, manages her own sharing, pregnant",
            "care": {"started_on": ago(years=3), "legal_status": "care_order",
                     "placement_type": "foster", "placing": "Stockport", "host": "Stockport",
                     "parental_responsibility": "Stockport Council, shared with her father"},
            "entries": [
                ("about_me", "about_me", {"own_words": "Ask me, not my carer. I want to be a "
                                          "good mum.", "pronouns": "she/her"}),
                ("sexual_health", "sexual_health", {
                    "kind": "pregnancy", "recorded_on": ago(months=3), "due_date": ahead(months=4),
                    "details": "First pregnancy. Scans normal so far.",
                    "support": "Teenage pregnancy midwife at Central Youth; Family Nurse "
                               "Partnership referral made."}),
                earlier("initial", ago(years=2, months=11, days=5),
                        "New to care. Asked to be seen without her carer."),
                earlier("review", ago(years=1, months=11),
                        "Well. Registered with a GP near her placement."),
                earlier("review", ago(months=13), "Well. Wants sexual health advice: "
                        "referred to Central Youth."),
                ("health_plan", "plan_action", {
                    "action": "Book a dental check-up near her placement.",
                    "responsible": "young_person", "due_on": ago(months=10),
                    "status": "open"}),
                ("assessments", "assessment", {
                    "kind": "review", "held_on": ago(days=2), "outcome": "done",
                    "done_by": "Priya Shah", "profession": "Children in care nurse",
                    "who_was_present": "Chloe, and her foster carer for the first part",
                    "seen_alone": True, "location": "Central Youth, her choice",
                    "own_words": "\u201cI want to keep the baby safe and finish college.\u201d",
                    "height_cm": "163.0", "weight_kg": "61.4",
                    "emotional_wellbeing": "Worried about the birth; sleeping well.\n"
                                           "Knows how to reach the perinatal team.",
                    "draft": True}),
                ("appointments", "appointment", {"on_date": ahead(days=9), "time": "10:30",
                                                 "what_for": "Antenatal check",
                                                 "with_whom": "Teenage pregnancy midwife",
                                                 "where": "Central Youth", "status": "booked",
                                                 "topic": "pregnancy"}),
                ("immunisations", "immunisation_status", {
                    "history": "documented", "had_chickenpox": "yes", "pregnant": "yes",
                    "expected_delivery_on": ahead(days=19 * 7),
                    "notes": "Whooping cough vaccine offered from 16 weeks of pregnancy."}),
                ("conditions", "condition", {"kind": "medicine", "name": "Folic acid 400 "
                                             "micrograms", "details": "One a day.",
                                             "topic": "pregnancy"}),
                ("family_history", "family_history", {
                    "relative": "birth_mother", "condition": "Type 2 diabetes",
                    "what_this_means": "Your risk is higher: your midwife will test for "
                                       "diabetes in pregnancy.",
                    "source": "Birth mother's GP summary", "relative_agreed": "yes"}),
            ],
            # Held back from her on the serious-harm test (docs/architecture.md 4): only her health
            # team sees it, with a review due and a release to plan before her care ends.
            "held": [
                ("family_history", "family_history", {
                    "relative": "birth_father", "condition": "Schizophrenia; died by suicide",
                    "what_this_means": "A higher chance of psychosis; talk to your GP if you "
                                       "notice changes in your thinking or mood.",
                    "source": "Court bundle"},
                 "Told now, in late pregnancy, this would be likely to cause her serious harm: "
                 "she has said she fears becoming like her father. Plan after the birth."),
            ],
            "unknown": [],
        },
        {
            "username": "yp.demo3", "legal_name": "Jordan Ellis Carter", "chosen_name": "Jay",
            "born": ago(years=18, months=2), "sex": "male", "nhs": "401 023 2137",
            "control": Control.SELF_MANAGED,
            "story": "18, care leaver",
            "care": {"started_on": ago(years=6), "ended_on": ago(months=2),
                     "legal_status": "s20", "placement_type": "supported",
                     "placing": "Stockport", "host": "Stockport",
                     "parental_responsibility": "His mother (accommodated by agreement)",
                     "outcome": "care_leaver"},
            "entries": [
                ("conditions", "condition", {
                    "kind": "condition", "name": "Asthma",
                    "details": "Brown preventer inhaler, two puffs morning and night.",
                    "what_to_do": "Blue reliever inhaler with a spacer, up to 10 puffs; call "
                                  "999 if it does not help.", "started_on": ago(years=10)}),
                ("conditions", "condition", {"kind": "allergy", "name": "Penicillin",
                                             "details": "Rash and swollen lips after "
                                                        "amoxicillin.",
                                             "what_to_do": "Tell every doctor, dentist and "
                                                           "pharmacist."}),
                ("conditions", "condition", {"kind": "medicine", "name": "Sertraline 50 mg",
                                             "details": "One tablet each morning, started by "
                                                        "CAMHS.", "topic": "mental_health"}),
                ("contacts", "contact", {"role": "personal_adviser", "name": "Leah Novak",
                                         "organisation": "Stockport Leaving Care Team",
                                         "phone": "0161 496 0702"}),
                ("contacts", "contact", {"role": "gp", "name": "Dr Hannah Bell",
                                         "organisation": "Brinnington Surgery",
                                         "phone": "0161 496 0703"}),
                ("health_plan", "plan_action", {
                    "action": "Register with a GP near the new flat.",
                    "responsible": "young_person", "due_on": ahead(months=1), "status": "open"}),
                ("health_plan", "plan_action", {
                    "action": "Apply for an HC2 certificate (NHS Low Income Scheme) for free "
                              "prescriptions; Leah Novak will help with the form.",
                    "responsible": "young_person", "status": "open"}),
                ("wellbeing", "self_assessment", {"recorded_on": ago(months=1),
                                                  "how_i_feel": "Mostly OK. Money worries.",
                                                  "what_helps": "Cafe Zest on Thursdays."}),
                ("my_services", "saved_service", {"service_id": "cafe-zest",
                                                  "service_name": "Café Zest",
                                                  "note": "Thursdays after college."}),
            ],
            "unknown": [],
        },
        {
            "username": "yp.demo4", "legal_name": "Ahmad Karimi", "chosen_name": "",
            "born": ago(years=15, months=1), "sex": "male", "nhs": "",
            "control": Control.SUPPORTED,
            "story": "15, unaccompanied asylum-seeking child, vaccination history unknown, "
                     "needs an Arabic interpreter",
            "care": {"started_on": ago(months=3), "legal_status": "uasc",
                     "placement_type": "residential", "placing": "Stockport", "host": "Stockport",
                     "parental_responsibility": "Stockport Council accommodates him; no adult "
                                                "with parental responsibility in the UK"},
            "entries": [
                ("about_me", "communication", {"languages": "Arabic, some Dari",
                                               "interpreter_needed": True,
                                               "interpreter_language": "Arabic"}),
                ("about_me", "about_me", {"culture_religion": "Muslim; I prefer a male "
                                                              "doctor.",
                                          "own_words": "I want to go to college and play "
                                                       "football."}),
                ("immunisations", "immunisation_status", {
                    "history": "none", "had_chickenpox": "unknown",
                    "tb_screening": "Offered at the initial assessment; chest X-ray booked.",
                    "bbv_screening": "Offered hepatitis B, hepatitis C and HIV tests; he "
                                     "agreed.",
                    "gp_catch_up_requested_on": ago(days=20),
                    "notes": "Plan as unimmunised: Td/IPV, MenACWY and MMR at the first "
                             "visit."}),
                ("assessments", "assessment", {
                    "kind": "initial", "held_on": ago(months=2, days=10), "outcome": "done",
                    "led_by": "doctor", "done_by": "Dr Tom Okafor", "profession": "Paediatrician",
                    "who_was_present": "Ahmad, his key worker, an Arabic interpreter",
                    "seen_alone": True, "interpreter": "Arabic (in person)",
                    "location": "Clinic", "own_words": "\u201cMy ears hurt since the boat.\u201d",
                    "height_cm": "165.0", "weight_kg": "52.4",
                    "hearing": "Referred for a hearing test.",
                    "emotional_wellbeing": "Sleeping badly; nightmares. Wants to talk to "
                                           "someone.",
                    "summary": "Catch-up vaccinations, hearing test, emotional support."}),
                ("health_plan", "plan_action", {
                    "action": "Hearing test at audiology.", "responsible": "nurse",
                    "responsible_name": "Priya Shah", "due_on": ahead(days=14),
                    "status": "open"}),
            ],
            "unknown": [
                ("immunisations", {"item": "All vaccinations before arriving in the UK",
                                   "where_to_find": "No records travelled with him; ask him "
                                                    "again with an interpreter",
                                   "asked_on": ago(months=2), "asked_whom": "Ahmad",
                                   "status": "not_available"}),
                ("birth_history", {"item": "Birth history", "where_to_find": "Not available",
                                   "status": "not_available"}),
            ],
        },
        {
            "username": "yp.demo5", "legal_name": "Leo James Patel", "chosen_name": "",
            "born": ago(years=4, months=2), "sex": "male", "nhs": "943 476 5919",
            "control": Control.SUPPORTED,
            "story": "4, placed out of area",
            "care": {"started_on": ago(years=1), "legal_status": "ico",
                     "placement_type": "kinship", "placing": "Stockport",
                     "host": "Cheshire East",
                     "parental_responsibility": "His parents, shared with Stockport Council "
                                                "(interim care order)"},
            "entries": [
                earlier("initial", ago(months=11, days=15),
                        "Thriving with his grandmother. Speech to be watched."),
                ("assessments", "assessment", {
                    "kind": "review", "held_on": ago(months=4), "outcome": "done",
                    "done_by": "Priya Shah", "profession": "Children in care nurse",
                    "who_was_present": "Leo and his grandmother",
                    "location": "Grandmother's home (Cheshire East)",
                    "height_cm": "101.0", "weight_kg": "15.8",
                    "development": "Speech a little behind; referred to speech and language "
                                   "therapy.",
                    "dental": "Not yet registered with a dentist.",
                    "summary": "Happy and active. Needs a dentist and speech therapy."}),
                ("immunisations", "dose", {"vaccine": "dtap_ipv", "given_on": ago(months=10),
                                           "source": "red_book"}),
                ("birth_history", "birth_history", {
                    "birth_weight_g": 3320, "gestation_weeks": 39, "delivery": "caesarean",
                    "blood_spot": "normal", "hearing_screening": "normal"}),
                ("appointments", "appointment", {"on_date": ahead(days=21),
                                                 "what_for": "Speech and language therapy",
                                                 "where": "Crewe children's centre",
                                                 "status": "booked"}),
            ],
            "unknown": [],
        },
    ]


AREAS = [("Stockport", "E08000007"), ("Manchester", "E08000003"), ("Tameside", "E08000008"),
         ("Trafford", "E08000009"), ("Cheshire East", "E06000049")]


# A saved service names a service of the directory, which is public reference data (in clear
# in its own table); that she saved it, and her note, are hers (encrypted).
# An assessment's "their profession" is its clinician's job title, which is in clear on her
# account.
PUBLIC_VALUES = {("saved_service", "service_id"), ("saved_service", "service_name"),
                 ("assessment", "profession")}


def sensitive_strings() -> list[str]:
    """Everything the demo writes that must never appear in plaintext in the database: names,
    NHS numbers, dates of birth, and every free-text value (choice keys are not secret)."""
    found: list[str] = []
    for person in young_people():
        born = person["born"]
        found += [person["legal_name"], born.isoformat(), born.strftime("%d/%m/%Y")]
        if person["nhs"]:
            found += [person["nhs"], person["nhs"].replace(" ", "")]
        if person["chosen_name"]:
            found.append(person["chosen_name"])
        found.append(person["care"]["parental_responsibility"])
        items = [(s, t, f) for s, t, f in person["entries"]]
        items += [(s, t, f) for s, t, f, _opinion in person.get("held", [])]
        found += [opinion for *_entry, opinion in person.get("held", [])]
        items += [(s, "not_known_yet", f) for s, f in person["unknown"]]
        for section, type_key, fields in items:
            model = sections.entry_model(section, type_key)
            for name, value in fields.items():
                if name == "draft" or (type_key, name) in PUBLIC_VALUES:
                    continue
                field = model._meta.get_field(name)
                if isinstance(field, EncryptedTextField) and not field.choices:
                    found.append(value)
    return found


def _user(person: DemoPerson, team: HealthTeam | None) -> User:
    user, created = User.objects.get_or_create(
        username=person.username,
        defaults={"role": person.role, "display_name": person.display_name,
                  "job_title": person.job_title},
    )
    if (capabilities.must_use_second_factor(user)
            and not Authenticator.objects.filter(user=user).exists()):
        # Every professional needs a second factor: the demo's authenticator, whose current
        # code `make code USER=...` prints (manage.py demo_code). Also for older demo data.
        Authenticator.create_for(user, name="Demo authenticator", confirmed=True)
    if created:
        user.set_password(PASSWORD)
        # The demo admin may use the Django admin, which shows accounts, never content.
        user.is_staff = user.is_superuser = capabilities.is_admin(user)
        if person.username == "safeguarding":
            # The trust's named nurse for safeguarding: in no team, may break glass.
            user.named_safeguarding_nurse = True
            user.organisation = team.organisation if team else None
        elif capabilities.is_health_professional(user):
            user.team = team
            user.organisation = team.organisation if team else None
        elif capabilities.is_organisation_officer(user):
            user.organisation = team.organisation if team else None
        if not capabilities.is_young_person(user):
            user.email = f"{person.username}@example.org"  # reminders print locally
        user.save()
    return user


def _organisation() -> HealthTeam:
    areas = {name: Area.objects.get_or_create(name=name, defaults={"code": code})[0]
             for name, code in AREAS}
    organisation, _created = Organisation.objects.get_or_create(
        name="Stockport NHS Foundation Trust", defaults={"ods_code": "RWJ"})
    organisation.areas.add(areas["Stockport"])
    team, _created = HealthTeam.objects.get_or_create(
        organisation=organisation, name="Children in Care Health Team",
        defaults={"phone": "0161 496 0106"})
    for spec in SERVICES:
        spec = dict(spec)
        area_names = spec.pop("areas", [])
        placed_by = spec.pop("only_placed_by", [])
        service, created = Service.objects.get_or_create(slug=spec["slug"], defaults=spec)
        if created:
            service.areas.set([areas[n] for n in area_names])
            service.only_placed_by.set([areas[n] for n in placed_by])
    return team


@transaction.atomic
def load() -> list[str]:
    """Load the demo; returns what was created (empty when everything was there already)."""
    team = _organisation()
    staff = {p.username: _user(p, team) for p in STAFF}
    created: list[str] = []
    for person in young_people():
        passport_id = uuid.uuid5(NAMESPACE, person["username"])
        if Passport.objects.filter(pk=passport_id).exists():
            continue
        owner = _user(DemoPerson(person["username"], Role.YOUNG_PERSON), None)
        _load_passport(passport_id, person, owner, staff, team)
        created.append(person["username"])
    return created


def _load_passport(passport_id, person, owner, staff, team) -> None:
    admin, nurse = staff["admin"], staff["nurse"]
    passport = actions.do_create_passport(
        admin, legal_name=person["legal_name"], chosen_name=person["chosen_name"],
        date_of_birth=person["born"], nhs_number=person["nhs"], owner=owner,
        health_team=team, passport_id=passport_id,
    )
    Passport.objects.filter(pk=passport.pk).update(control=person["control"])
    actions.do_assign_professional(admin, passport, nurse)
    actions.do_assign_professional(admin, passport, staff["doctor"])
    nurse_reach, own_reach = reach(nurse, passport.pk), reach(owner, passport.pk)
    if person.get("sex"):  # for her vaccines and growth charts: she and her health team see it
        actions.do_update_identity(nurse_reach, sex=person["sex"])
    care = dict(person["care"])
    care["placing_authority"] = Area.objects.get(name=care.pop("placing"))
    care["host_area"] = Area.objects.get(name=care.pop("host"))
    actions.do_add_entry(nurse_reach, sections.TYPES["care_episode"], care)
    # Assessments first, so each plan action belongs to the latest assessment's plan.
    ordered = sorted(person["entries"], key=lambda e: e[1] != "assessment")
    recorded = []
    for section, type_key, fields in ordered:
        # Her own words and her sexual health are hers to write (docs/access.md).
        model = sections.entry_model(section, type_key)
        writer = (own_reach if model.OWNER_ONLY or not nurse_reach.can(section, Action.WRITE)
                  else nurse_reach)
        plan_of = recorded[-1] if type_key == "plan_action" and recorded else None
        fields = dict(fields)
        draft = fields.pop("draft", False)  # a nurse's assessment not yet submitted
        entry = actions.do_add_entry(writer, model, fields, plan_of=plan_of)
        if type_key == "assessment" and not draft:
            # Signed off in turn, before any plan action is added: each one reviews the
            # open actions of the plans before it, and the demo's are all from the latest.
            _sign_off(nurse_reach, reach(staff["teamlead"], passport.pk), entry)
            recorded.append(entry)
    for section, type_key, fields, opinion in person.get("held", []):
        entry = actions.do_add_entry(nurse_reach, sections.entry_model(section, type_key),
                                     dict(fields))
        held_back.do_hold_back(nurse_reach, entry, opinion=opinion)
    for section, fields in person["unknown"]:
        actions.do_add_entry(nurse_reach, sections.TYPES["not_known_yet"],
                             dict(fields, section=section))
    _link_people(passport, person, staff)


def _sign_off(nurse_reach, lead_reach, assessment) -> None:
    """The demo's assessments as the service would hold them: submitted by the nurse and
    signed off by the team lead (a late one says why)."""
    if "late_reason_kind" in assessments.submission_errors(assessment):
        assessment = actions.do_amend_entry(
            nurse_reach, assessment, expected_version=assessment.version,
            reason="Why it was late", changes={"late_reason_kind": "notified_late"})
    assessment = assessments.do_submit(nurse_reach, assessment,
                                       expected_version=assessment.version)
    assessments.do_quality_review(
        lead_reach, assessment, decision="signed_off", comments="",
        checklist={key: "met" for key, _label in assessments.CHECKLIST},
        expected_version=assessment.version)


# Who else reaches each demo passport: carers by placement, social workers and advisers.
LINKS = {
    "yp.demo1": {"carer": "fostercarer", "social": ["socialworker"]},
    "yp.demo2": {"carer": "fostercarer", "social": ["socialworker", "adviser"]},
    # Jay's supported lodgings ended with his care: his key worker is a carer he had.
    "yp.demo3": {"carer": "residential", "carer_ended": True, "social": ["adviser"]},
    "yp.demo4": {"carer": "residential", "social": ["socialworker"]},
    "yp.demo5": {"social": ["socialworker"]},
}


def _link_people(passport, person, staff) -> None:
    links = LINKS.get(person["username"], {})
    if links.get("carer"):
        Placement.objects.create(passport=passport, carer=staff[links["carer"]],
                                 started_on=person["care"]["started_on"],
                                 ended_on=person["care"]["ended_on"]
                                 if links.get("carer_ended") else None,
                                 confirmed_on=ago(months=1))
    for name in links.get("social", []):
        SocialWorkAssignment.objects.create(passport=passport, worker=staff[name],
                                            started_at=timezone.now())
