"""Demo data for `make run`: a nurse, a doctor, an admin and two young people with conditions.

Loading twice changes nothing: people are found by username, passports by fixed ids.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction

from passport import actions, crypto
from passport.models import Condition, Passport, Role, User
from passport.policy import reach

PASSWORD = "health-passport-demo"  # noqa: S105 (printed by make run: demo only)
NAMESPACE = uuid.UUID("6f1d1c43-6a43-4c8e-9a43-1f4c9b2d8e10")


@dataclass(frozen=True)
class DemoPerson:
    username: str
    role: str
    display_name: str = ""


STAFF = [
    DemoPerson("nurse", Role.NURSE, "Priya Shah"),
    DemoPerson("doctor", Role.DOCTOR, "Dr Tom Okafor"),
    DemoPerson("admin", Role.ADMIN, "Alex Morgan"),
]

YOUNG_PEOPLE = [
    {
        "username": "yp.demo",
        "legal_name": "Jordan Ellis Carter",
        "chosen_name": "Jay",
        "date_of_birth": datetime.date(2010, 3, 14),
        "nhs_number": "999 000 1111",
        "conditions": [
            {"kind": "condition", "name": "Asthma",
             "details": "Brown preventer inhaler, two puffs morning and night.",
             "what_to_do": "Blue reliever inhaler with a spacer, up to 10 puffs; call 999 if "
                           "it does not help.",
             "started_on": datetime.date(2016, 5, 2)},
            {"kind": "allergy", "name": "Penicillin",
             "details": "Rash and swollen lips after amoxicillin in 2019.",
             "what_to_do": "Tell every doctor, dentist and pharmacist."},
            {"kind": "medicine", "name": "Salbutamol inhaler 100 micrograms",
             "details": "When needed for wheeze."},
            {"kind": "medicine", "name": "Sertraline 50 mg",
             "details": "One tablet each morning, started by CAMHS.", "is_private": True},
        ],
    },
    {
        "username": "yp.demo2",
        "legal_name": "Amira Haddad",
        "chosen_name": "",
        "date_of_birth": datetime.date(2008, 11, 2),
        "nhs_number": "485 777 3457",
        "conditions": [
            {"kind": "allergy", "name": "Peanuts",
             "details": "Anaphylaxis in 2021; carries two adrenaline auto-injectors.",
             "what_to_do": "Use the auto-injector in the outer thigh, call 999, say anaphylaxis."},
            {"kind": "condition", "name": "Eczema",
             "details": "Flares in winter; emollient cream twice a day."},
        ],
    },
]


def sensitive_strings() -> list[str]:
    """Everything the demo writes that must never appear in plaintext in the database."""
    found: list[str] = []
    for person in YOUNG_PEOPLE:
        born = person["date_of_birth"]
        found += [person["legal_name"], person["nhs_number"].replace(" ", ""),
                  person["nhs_number"], born.isoformat(), born.strftime("%d/%m/%Y")]
        if person["chosen_name"]:
            found.append(person["chosen_name"])
        for condition in person["conditions"]:
            found += [v for k, v in condition.items() if isinstance(v, str) and k != "kind"]
    return found


def _user(person: DemoPerson) -> User:
    user, created = User.objects.get_or_create(
        username=person.username,
        defaults={"role": person.role, "display_name": person.display_name},
    )
    if created:
        user.set_password(PASSWORD)
        # The demo admin may use the Django admin, which shows accounts, never content.
        user.is_staff = user.is_superuser = person.role == Role.ADMIN
        user.save(update_fields=["password", "is_staff", "is_superuser"])
    return user


@transaction.atomic
def load() -> list[str]:
    """Load the demo; returns what was created (empty when everything was there already)."""
    created: list[str] = []
    staff = {p.username: _user(p) for p in STAFF}
    nurse, admin = staff["nurse"], staff["admin"]
    for person in YOUNG_PEOPLE:
        passport_id = uuid.uuid5(NAMESPACE, person["username"])
        if Passport.objects.filter(pk=passport_id).exists():
            continue
        owner = _user(DemoPerson(person["username"], Role.YOUNG_PERSON))
        with crypto.key_scope():
            _load_passport(passport_id, person, owner, nurse, admin, staff["doctor"])
        created.append(person["username"])
    return created


def _load_passport(passport_id, person, owner, nurse, admin, doctor) -> None:
    passport = actions.do_create_passport(
        admin, legal_name=person["legal_name"], chosen_name=person["chosen_name"],
        date_of_birth=person["date_of_birth"], nhs_number=person["nhs_number"], owner=owner,
        passport_id=passport_id,
    )
    actions.do_assign_professional(admin, passport, nurse)
    actions.do_assign_professional(admin, passport, doctor)
    nurse_reach = reach(nurse, passport.pk)
    for condition in person["conditions"]:
        actions.do_add_entry(nurse_reach, Condition, dict(condition))
