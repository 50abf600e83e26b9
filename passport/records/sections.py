"""The passport's sections and the entry types each holds (docs/architecture.md section 4): one
registry, `SECTIONS`, that pages, the API, the booklet and FHIR iterate."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passport.errors import NotFound
from passport.models import (
    HOLDABLE_SECTIONS,
    AboutMe,
    Appointment,
    Assessment,
    BeforeReview,
    BirthHistory,
    CareEpisode,
    Communication,
    Condition,
    Contact,
    Entry,
    FamilyHistory,
    ImmunisationDose,
    ImmunisationStatus,
    MyNote,
    PlanAction,
    SavedService,
    SdqResult,
    SelfAssessment,
    SexualHealthEntry,
    UnknownItem,
)


@dataclass(frozen=True)
class Section:
    """One section of the passport: its stable key, its title, what it is in plain words for
    the young person (no "contact" or "LAC" left unexplained), and what it may hold."""

    key: str
    title: Promise
    explained: Promise
    unknowns: bool = True  # it may hold "not known yet" items

    @property
    def types(self) -> list[type[Entry]]:
        """Its entry types, in the order pages show them (each model names its section)."""
        return [m for m in _MODELS if self.key == m.SECTION]

    @property
    def holdable(self) -> bool:
        """An entry of it may be held back from her (the serious-harm test)."""
        return self.key in HOLDABLE_SECTIONS


_MODELS: tuple[type[Entry], ...] = (
    AboutMe, Communication, Contact, ImmunisationStatus, ImmunisationDose, BirthHistory,
    FamilyHistory, Condition, Assessment, PlanAction, SdqResult, SelfAssessment, BeforeReview,
    SexualHealthEntry, Appointment, MyNote, SavedService, CareEpisode,
)

# The registry, in the passport's order. Pages, the API, the booklet and FHIR iterate it; nothing
# else lists sections.
SECTIONS: dict[str, Section] = {s.key: s for s in (
    Section("about_me", _("About me"),
            _("Your name, languages and what you want people to know about you.")),
    Section("contacts", _("Contacts"),
            _("People to get in touch with: your doctor (GP), dentist, nurse, social "
              "worker, and who to call in an emergency.")),
    Section("immunisations", _("Immunisations"),
            _("Your vaccinations (jabs): what you have had and what may be due.")),
    Section("birth_history", _("Birth history"), _("What is known about when you were born.")),
    Section("family_history", _("Family health history"),
            _("Health in your birth family that could matter for your own health.")),
    Section("conditions", _("Conditions, allergies and medicines"),
            _("Health conditions, allergies and medicines.")),
    Section("assessments", _("Health assessments"),
            _("Your health checks with your nurse or doctor, and what they found.")),
    Section("health_plan", _("Health plan"),
            _("What you, your carer and others agreed to do for your health, and by "
              "when.")),
    Section("wellbeing", _("Wellbeing"),
            _("How you feel, in your own words, and questionnaires about your feelings.")),
    Section("sexual_health", _("Sexual health"),
            _("Contraception, sexual health and pregnancy. Only you see this unless "
              "you share it.")),
    Section("appointments", _("Appointments"),
            _("Appointments coming up, and ones you have been to.")),
    # Her notes and her own list of services hold no "not known yet" items.
    Section("my_notes", _("Notes for me"),
            _("Notes you keep for yourself. Only you can see them in the app: not your "
              "nurse, not your carer, not anyone you share your passport with. They are "
              "stored encrypted, they go in your own data download, and never in your "
              "booklet. Anyone who opens My Health on your phone while you are signed in "
              "could read them too. If you want your nurse to know something, tell them, or "
              "write it in “Before my health review”."),
            unknowns=False),
    Section("my_services", _("My services"), _("Services you saved from the directory."),
            unknowns=False),
    Section("care", _("Time in care"),
            _("The times you have been looked after by the council (in care).")),
)}

# Read from the registry, for those who need one column of it.
TITLES = {key: s.title for key, s in SECTIONS.items()}
EXPLAINED = {key: s.explained for key, s in SECTIONS.items()}
KEYS = tuple(SECTIONS)  # the stable section keys, in order
TYPES: dict[str, type[Entry]] = {m.TYPE: m for m in _MODELS} | {UnknownItem.TYPE: UnknownItem}
NO_UNKNOWNS = frozenset(key for key, s in SECTIONS.items() if not s.unknowns)
# Hers alone: no other basis reads them, so they are never granted, put in a share link,
# opened by break glass, counted for her leaving care or named as "not shared" (decision 0058).
HERS_ALONE = frozenset({"my_notes", "my_services"})


def types_of(section: str) -> list[type[Entry]]:
    return SECTIONS[section].types


def get(section: str) -> Section:
    """The section called `section`, or a ValidationError."""
    return SECTIONS[check_section(section)]


def named(section: str) -> Section:
    """The section an address names (a page's or the API's URL), or NotFound: 404 on both
    faces."""
    found = SECTIONS.get(section)
    if found is None:
        raise NotFound
    return found


def type_named(section: str, type_key: str) -> type[Entry]:
    """The entry type an address names within its section, or NotFound: 404 on both faces."""
    named(section)
    try:
        return entry_model(section, type_key)
    except ValidationError:
        raise NotFound from None


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
