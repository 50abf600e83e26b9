"""The passport's sections and the entry types each holds (docs/architecture.md section 4).

Pages, the API and (later) the booklet iterate this registry; nothing else lists sections.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from passport.models import (
    AboutMe,
    Appointment,
    Assessment,
    BirthHistory,
    CareEpisode,
    Communication,
    Condition,
    Contact,
    Entry,
    FamilyHistory,
    ImmunisationDose,
    ImmunisationStatus,
    PlanAction,
    SavedService,
    SdqResult,
    SelfAssessment,
    SexualHealthEntry,
    UnknownItem,
)

# What each section is, in plain words for the young person (no "contact" or "LAC" left
# unexplained).
EXPLAINED = {
    "about_me": _("Your name, languages and what you want people to know about you."),
    "contacts": _("People to get in touch with: your doctor (GP), dentist, nurse, social "
                  "worker, and who to call in an emergency."),
    "immunisations": _("Your vaccinations (jabs): what you have had and what may be due."),
    "birth_history": _("What is known about when you were born."),
    "family_history": _("Health in your birth family that could matter for your own health."),
    "conditions": _("Health conditions, allergies and medicines."),
    "assessments": _("Your health checks with your nurse or doctor, and what they found."),
    "health_plan": _("What you, your carer and others agreed to do for your health, and by "
                     "when."),
    "wellbeing": _("How you feel, in your own words, and questionnaires about your feelings."),
    "sexual_health": _("Contraception, sexual health and pregnancy. Only you see this unless "
                       "you share it."),
    "appointments": _("Appointments coming up, and ones you have been to."),
    "my_services": _("Services you saved from the directory."),
    "care": _("The times you have been looked after by the council (in care)."),
}

TITLES = {
    "about_me": _("About me"),
    "contacts": _("Contacts"),
    "immunisations": _("Immunisations"),
    "birth_history": _("Birth history"),
    "family_history": _("Family health history"),
    "conditions": _("Conditions, allergies and medicines"),
    "assessments": _("Health assessments"),
    "health_plan": _("Health plan"),
    "wellbeing": _("Wellbeing"),
    "sexual_health": _("Sexual health"),
    "appointments": _("Appointments"),
    "my_services": _("My services"),
    "care": _("Time in care"),
}

KEYS = tuple(TITLES)  # the stable section keys, in order

_MODELS: tuple[type[Entry], ...] = (
    AboutMe, Communication, Contact, ImmunisationStatus, ImmunisationDose, BirthHistory,
    FamilyHistory, Condition, Assessment, PlanAction, SdqResult, SelfAssessment,
    SexualHealthEntry, Appointment, SavedService, CareEpisode,
)
TYPES: dict[str, type[Entry]] = {m.TYPE: m for m in _MODELS} | {UnknownItem.TYPE: UnknownItem}
# Every section can hold "not known yet" items, except the young person's own list of services.
NO_UNKNOWNS = frozenset({"my_services"})


def types_of(section: str) -> list[type[Entry]]:
    return [m for m in _MODELS if section == m.SECTION]


def check_section(section: str) -> str:
    if section not in TITLES:
        raise ValidationError(_("There is no section called %(section)s."),
                              params={"section": section}, code="unknown_section")
    return section


def entry_model(section: str, type_key: str) -> type[Entry]:
    """The entry type `type_key` of `section`, or a ValidationError."""
    check_section(section)
    model = TYPES.get(type_key)
    if model is UnknownItem and section not in NO_UNKNOWNS:
        return model
    if model is None or model is UnknownItem or section != model.SECTION:
        raise ValidationError(_("This section has no entries of that kind."), code="unknown_type")
    return model
