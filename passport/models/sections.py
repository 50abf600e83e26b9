"""The entries of every passport section but `conditions` (docs/architecture.md section 4), with the
fields a LAC nurse records. Every value is encrypted; see Entry for the class settings."""

import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from passport.clinical.snomed import validate_concept_id
from passport.encryption.fields import (
    EncryptedBooleanField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedIntegerField,
    EncryptedTextField,
)
from passport.models.entries import Entry, Topic


def between(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


# --- about_me ------------------------------------------------------------------------------


class AboutMe(Entry):
    """The young person's own words: only she writes them (docs/access.md, about_me)."""

    SECTION, TYPE, SINGLE = "about_me", "about_me", True
    OWNER_MAY_ADD = OWNER_ONLY = True

    own_words = EncryptedTextField(_("what I want people to know about me"), long=True)
    pronouns = EncryptedTextField(_("pronouns"), help_text=_(
        "Only if you want the people who can see this section to use them."))
    culture_religion = EncryptedTextField(_("culture or religion"), long=True)

    class Meta:
        verbose_name = _("about me, in my own words")
        verbose_name_plural = _("about me, in my own words")
        constraints = [models.UniqueConstraint(fields=["passport"], name="one_about_me")]


class Communication(Entry):
    """Languages and communication needs: recorded by the health team or the young person."""

    SECTION, TYPE, SINGLE, OWNER_MAY_ADD = "about_me", "communication", True, True

    languages = EncryptedTextField(_("languages spoken"))
    interpreter_needed = EncryptedBooleanField(_("needs an interpreter"))
    interpreter_language = EncryptedTextField(_("interpreter's language"))
    communication_needs = EncryptedTextField(_("communication needs"), long=True)

    class Meta:
        verbose_name = _("languages and communication")
        verbose_name_plural = _("languages and communication")
        constraints = [models.UniqueConstraint(fields=["passport"], name="one_communication")]



# --- contacts ------------------------------------------------------------------------------


class ContactRole(models.TextChoices):
    GP = "gp", _("GP")
    DENTIST = "dentist", _("Dentist")
    OPTICIAN = "optician", _("Optician")
    LAC_NURSE = "lac_nurse", _("Children in care nurse")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PERSONAL_ADVISER = "personal_adviser", _("Personal adviser")
    EMERGENCY = "emergency", _("Emergency contact")
    OTHER = "other", _("Other")


class Contact(Entry):
    SECTION, TYPE, OWNER_MAY_ADD = "contacts", "contact", True
    TITLE_FIELDS, REQUIRED = ("name", "role"), ("role", "name")

    role = EncryptedTextField(_("who they are"), choices=ContactRole.choices)
    name = EncryptedTextField(_("name"))
    organisation = EncryptedTextField(_("practice or organisation"))
    phone = EncryptedTextField(_("phone"))
    email = EncryptedTextField(_("email"))
    address = EncryptedTextField(_("address"), long=True)
    notes = EncryptedTextField(_("notes"), long=True)
    topic = EncryptedTextField(_("topic"), choices=Topic.choices, help_text=_(
        "A CAMHS, sexual health or drugs service contact starts private."))
    # Not content: "Hide now" keeps emergency contacts visible (docs/access.md).
    is_emergency = models.BooleanField(_("emergency contact"), default=False)
    PLAIN_FIELDS = ("is_emergency",)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    @property
    def for_emergencies(self) -> bool:
        """Kept in view by "hide now": ticked as an emergency contact, or one by role."""
        return self.is_emergency or self.role == ContactRole.EMERGENCY

    def facts(self) -> list[tuple[str, str]]:
        """"Emergency contact: Yes" is worth saying; "No" under every other contact is not."""
        label = capfirst(str(self._meta.get_field("is_emergency").verbose_name))
        return [(k, v) for k, v in super().facts() if self.is_emergency or k != label]



# --- immunisations -------------------------------------------------------------------------


class Vaccine(models.TextChoices):
    SIX_IN_ONE = "6in1", _("6-in-1 (DTaP/IPV/Hib/HepB)")
    FIVE_IN_ONE = "5in1", _("5-in-1 (DTaP/IPV/Hib)")
    MENB = "menb", _("MenB")
    ROTAVIRUS = "rotavirus", _("Rotavirus")
    PCV = "pcv", _("Pneumococcal (PCV)")
    HIB_MENC = "hib_menc", _("Hib/MenC")
    MENC = "menc", _("MenC")
    MMR = "mmr", _("MMR (measles, mumps, rubella)")
    MMRV = "mmrv", _("MMRV (measles, mumps, rubella, chickenpox)")
    PRESCHOOL = "dtap_ipv", _("Pre-school booster (dTaP/IPV)")
    HPV = "hpv", _("HPV")
    TD_IPV = "td_ipv", _("Teenage booster (Td/IPV)")
    MENACWY = "menacwy", _("MenACWY")
    FLU = "flu", _("Flu")
    BCG = "bcg", _("BCG (tuberculosis)")
    HEPB = "hepb", _("Hepatitis B")
    COVID = "covid", _("COVID-19")
    VARICELLA = "varicella", _("Chickenpox (varicella)")
    RSV = "rsv", _("RSV (in pregnancy)")
    OTHER = "other", _("Other")


class DoseSource(models.TextChoices):
    GP_RECORD = "gp_record", _("GP record")
    CHILD_HEALTH = "child_health_record", _("Child health record")
    RED_BOOK = "red_book", _("Red book")
    ABROAD = "abroad", _("Record from abroad")
    YOUNG_PERSON = "young_persons_word", _("The young person's word")
    CARER = "carers_word", _("A carer's or parent's word")


class Route(models.TextChoices):
    INTRAMUSCULAR = "intramuscular", _("Injection into a muscle")
    SUBCUTANEOUS = "subcutaneous", _("Injection under the skin")
    INTRADERMAL = "intradermal", _("Injection into the skin")
    ORAL = "oral", _("By mouth")
    NASAL = "nasal", _("Nasal spray")


class ImmunisationDose(Entry):
    SECTION, TYPE = "immunisations", "dose"
    TITLE_FIELDS, REQUIRED = ("vaccine", "given_on"), ("vaccine", "source")

    vaccine = EncryptedTextField(_("vaccine"), choices=Vaccine.choices)
    vaccine_other = EncryptedTextField(_("vaccine, if other"))
    given_on = EncryptedDateField(_("date given"), help_text=_("Leave empty if not known."))
    dose_number = EncryptedIntegerField(_("dose number"), validators=between(1, 10))
    batch = EncryptedTextField(_("batch number"))
    site = EncryptedTextField(_("site (for example left upper arm)"))
    route = EncryptedTextField(_("route"), choices=Route.choices)
    where = EncryptedTextField(_("where it was given"))
    country = EncryptedTextField(_("country, if abroad"))
    source = EncryptedTextField(_("how we know"), choices=DoseSource.choices)
    snomed_code = EncryptedTextField(_("dm+d or SNOMED CT code"), help_text=_(
        "Only if you know it; never guess a code."),
        validators=[validate_concept_id])
    notes = EncryptedTextField(_("notes"), long=True)

    class Meta:
        verbose_name = _("vaccination")
        verbose_name_plural = _("vaccinations")



class HistoryReliability(models.TextChoices):
    DOCUMENTED = "documented", _("Documented")
    VERBAL = "verbal", _("Reliable verbal history")
    NONE = "none", _("No reliable history: plan as unimmunised")


class ImmunisationStatus(Entry):
    """What decides the catch-up plan: how reliable the history is, chickenpox, pregnancy, and
    the screening offered to unaccompanied asylum-seeking children (docs/clinical-rules.md 3)."""

    SECTION, TYPE, SINGLE = "immunisations", "immunisation_status", True

    history = EncryptedTextField(_("immunisation history"), choices=HistoryReliability.choices)
    had_chickenpox = EncryptedTextField(_("had chickenpox"), choices=YesNoUnknown.choices)
    chickenpox_when = EncryptedTextField(_("when chickenpox was had"))
    pregnant = EncryptedTextField(_("pregnant (no live vaccines)"), choices=YesNoUnknown.choices)
    expected_delivery_on = EncryptedDateField(_("expected date of delivery"), help_text=_(
        "Needed while she is pregnant: live vaccines and HPV wait until then, and the vaccines "
        "offered in pregnancy are timed from it."))
    tb_screening = EncryptedTextField(_("TB screening offered"), long=True)
    bbv_screening = EncryptedTextField(_("blood-borne virus screening offered"), long=True)
    gp_catch_up_requested_on = EncryptedDateField(_("catch-up asked of the GP on"))
    gp_catch_up_confirmed_on = EncryptedDateField(_("GP confirmed the catch-up on"))
    notes = EncryptedTextField(_("notes"), long=True)

    DATES_IN_FUTURE = frozenset({"expected_delivery_on"})

    class Meta:
        verbose_name = _("immunisation status")
        verbose_name_plural = _("immunisation status")
        constraints = [models.UniqueConstraint(fields=["passport"],
                                               name="one_immunisation_status")]

    @classmethod
    def entry_errors(cls, fields, born, today) -> dict[str, list[str]]:
        """A pregnancy has its expected date of delivery, so that it ends."""
        errors = super().entry_errors(fields, born, today)
        due = fields.get("expected_delivery_on")
        if fields.get("pregnant") == YesNoUnknown.YES and not due:
            errors.setdefault("expected_delivery_on", []).append(
                _("Enter the expected date of delivery."))
        if due and due > today + datetime.timedelta(weeks=43):
            errors.setdefault("expected_delivery_on", []).append(
                _("The expected date of delivery is more than 43 weeks away."))
        return errors

    @classmethod
    def starts_private(cls, fields) -> bool:
        # Pregnancy starts private (docs/architecture.md 4), even here where it decides vaccines.
        return super().starts_private(fields) or fields.get("pregnant") == YesNoUnknown.YES



# --- birth_history -------------------------------------------------------------------------


class Delivery(models.TextChoices):
    VAGINAL = "vaginal", _("Vaginal birth")
    ASSISTED = "assisted", _("Assisted (forceps or ventouse)")
    CAESAREAN = "caesarean", _("Caesarean section")


class Screening(models.TextChoices):
    NORMAL = "normal", _("Done: normal")
    FOLLOW_UP = "follow_up", _("Done: needed follow-up")
    NOT_DONE = "not_done", _("Not done")


class BirthHistory(Entry):
    SECTION, TYPE, SINGLE = "birth_history", "birth_history", True

    birth_weight_g = EncryptedIntegerField(_("birth weight (grams)"), validators=between(200, 7000))
    gestation_weeks = EncryptedIntegerField(_("gestation (weeks)"), validators=between(20, 45))
    gestation_days = EncryptedIntegerField(_("and days"), validators=between(0, 6))
    delivery = EncryptedTextField(_("delivery"), choices=Delivery.choices)
    place_of_birth = EncryptedTextField(_("place of birth"))
    neonatal_problems = EncryptedTextField(_("problems after birth"), long=True)
    exposure_in_pregnancy = EncryptedTextField(_("exposure in pregnancy"), long=True, help_text=_(
        "Alcohol, smoking, drugs, medicines, infections."))
    blood_spot = EncryptedTextField(_("newborn blood spot test"), choices=Screening.choices)
    hearing_screening = EncryptedTextField(_("newborn hearing screening"),
                                           choices=Screening.choices)
    neonatal_hepatitis_b = EncryptedTextField(_("hepatitis B vaccine at birth"),
                                              choices=YesNoUnknown.choices)
    bcg = EncryptedTextField(_("BCG as a baby"), choices=YesNoUnknown.choices)
    notes = EncryptedTextField(_("notes"), long=True)

    class Meta:
        verbose_name = _("birth history")
        verbose_name_plural = _("birth history")
        constraints = [models.UniqueConstraint(fields=["passport"], name="one_birth_history")]



# --- family_history ------------------------------------------------------------------------


class Relative(models.TextChoices):
    MOTHER = "birth_mother", _("Birth mother")
    FATHER = "birth_father", _("Birth father")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER = "other", _("Other relative")


class FamilyHistory(Entry):
    SECTION, TYPE = "family_history", "family_history"
    TITLE_FIELDS, REQUIRED = ("relative", "condition"), ("relative", "what_this_means")
    DATES_BEFORE_BIRTH = frozenset({"recorded_on"})

    relative = EncryptedTextField(_("who in the birth family"), choices=Relative.choices)
    condition = EncryptedTextField(_("health condition"))
    what_this_means = EncryptedTextField(_("what this means for you"), long=True)
    source = EncryptedTextField(_("where this comes from"))
    relative_agreed = EncryptedTextField(_("the relative agreed to you seeing it"),
                                         choices=YesNoUnknown.choices)
    recorded_on = EncryptedDateField(_("recorded on"))

    class Meta:
        verbose_name = _("family health history")
        verbose_name_plural = _("family health history")



# --- assessments ---------------------------------------------------------------------------


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", _("Initial health assessment")
    REVIEW = "review", _("Review health assessment")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined by the young person")
    NOT_BROUGHT = "not_brought", _("Not brought")
    POSTPONED = "postponed", _("Postponed")


class AssessmentState(models.TextChoices):
    """Where a recorded assessment is in quality assurance. Workflow, not
    content: plain, so a team lead's queue is one indexed query."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for sign-off")
    RETURNED = "returned", _("Returned with comments")
    SIGNED_OFF = "signed_off", _("Signed off")


class LedBy(models.TextChoices):
    DOCTOR = "doctor", _("A doctor")
    NURSE = "nurse", _("A nurse (under a doctor's supervision)")


class LateReason(models.TextChoices):
    """Why an assessment was late: a fixed list, so area figures count reasons without
    anyone's free text (the free text stays in the encrypted `late_reason`)."""

    NOTIFIED_LATE = "notified_late", _("The council told us late")
    CONSENT = "consent", _("Consent or paperwork not received in time")
    NOT_BROUGHT = "not_brought", _("Not brought to an earlier appointment")
    YOUNG_PERSON = "young_person", _("The young person asked to move it")
    PLACEMENT_MOVE = "placement_move", _("Moved placement or area")
    CAPACITY = "capacity", _("No clinic or clinician available")
    OTHER = "other", _("Another reason")


class Assessment(Entry):
    SECTION, TYPE = "assessments", "assessment"
    # A draft needs only these, so that it can be saved at any point; what submitting needs
    # besides is in passport.care.assessments.submission_errors.
    TITLE_FIELDS, REQUIRED = ("kind", "held_on"), ("kind", "held_on")
    MISSING = {"kind": _("Choose initial or review."),
               "held_on": _("Enter the date of the assessment."),
               "outcome": _("Choose what happened: done, declined, not brought or postponed.")}
    # Asked only at an initial assessment, and only under 5 (the form leaves them out
    # otherwise; a review keeps none of the initial ones).
    INITIAL_ONLY = ("led_by", "nurse_led_rationale", "supervising_doctor")
    UNDER_FIVE = ("head_circumference_cm", "development")
    # A measurement far from the average is saved only with this, given with the same save
    # (passport.clinical.growth): asked afresh each time a measurement changes, never stored.
    CONFIRMS = {"measurements_checked": (
        "head_circumference_cm", _("I measured again: the measurements are right"))}

    # Workflow (plain; never part of a version's content). Signed off, it is locked: a
    # correction is an addendum (docs/architecture.md 4).
    state = models.CharField(max_length=16, choices=AssessmentState.choices,
                             default=AssessmentState.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey("passport.User", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey("passport.User", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    kind = EncryptedTextField(_("kind"), choices=AssessmentKind.choices)
    led_by = EncryptedTextField(_("an initial assessment led by"), choices=LedBy.choices)
    held_on = EncryptedDateField(_("date"))
    outcome = EncryptedTextField(_("outcome"), choices=Outcome.choices)
    outcome_reason = EncryptedTextField(_("reason, if not done"), long=True)
    done_by = EncryptedTextField(_("done by"))
    profession = EncryptedTextField(_("their profession"))
    nurse_led_rationale = EncryptedTextField(_("why a nurse led an initial assessment"), long=True)
    supervising_doctor = EncryptedTextField(_("supervising doctor"))
    who_was_present = EncryptedTextField(_("who was present"))
    seen_alone = EncryptedBooleanField(_("seen alone"))
    interpreter = EncryptedTextField(_("interpreter (language)"))
    location = EncryptedTextField(_("where (the young person's choice)"))
    consent = EncryptedTextField(_("who consented, and on what basis"))
    own_words = EncryptedTextField(_("the young person's own words"), long=True, help_text=_(
        "Quote them."))
    # Centiles are worked out from these, her age and sex (passport.clinical.growth), never typed.
    height_cm = EncryptedDecimalField(_("height (cm)"), validators=between(30, 230))
    weight_kg = EncryptedDecimalField(_("weight (kg)"), validators=between(0.5, 300))
    head_circumference_cm = EncryptedDecimalField(_("head circumference (cm)"),
                                                  validators=between(20, 65))
    development = EncryptedTextField(_("development (under fives)"), long=True)
    dental = EncryptedTextField(_("teeth"), long=True)
    sight = EncryptedTextField(_("sight"), long=True)
    hearing = EncryptedTextField(_("hearing"), long=True)
    emotional_wellbeing = EncryptedTextField(_("emotional wellbeing"), long=True)
    summary = EncryptedTextField(_("summary"), long=True)
    plan_ready_on = EncryptedDateField(_("health plan ready on"))
    late_reason_kind = EncryptedTextField(_("why it was late, if it was"),
                                          choices=LateReason.choices)
    late_reason = EncryptedTextField(_("more about why it was late"), long=True)

    class Meta:
        verbose_name = _("health assessment")
        verbose_name_plural = _("health assessments")


    def check_amendable(self) -> None:
        """A submitted assessment waits for its reviewer; a signed-off one is never edited,
        only corrected by an addendum (docs/architecture.md 4)."""
        from django.core.exceptions import ValidationError

        if self.state == AssessmentState.SIGNED_OFF:
            raise ValidationError(_("This assessment is signed off: add an addendum instead."),
                                  code="locked")
        if self.state == AssessmentState.SUBMITTED:
            raise ValidationError(_("This assessment is waiting for sign-off: ask the reviewer "
                                    "to return it if it needs changing."), code="locked")

    @property
    def is_locked(self) -> bool:
        return self.state in (AssessmentState.SUBMITTED, AssessmentState.SIGNED_OFF)

    @classmethod
    def entry_errors(cls, fields, born, today) -> dict[str, list[str]]:
        errors = super().entry_errors(fields, born, today)
        outcome = fields.get("outcome")
        if outcome not in (None, "", Outcome.DONE) and not fields.get("outcome_reason"):
            errors.setdefault("outcome_reason", []).append(_("Say why it was not done."))
        return errors


class AloneWish(models.TextChoices):
    YES = "yes", _("Yes, for some of it")
    NO = "no", _("No, I want someone with me")
    NOT_SURE = "not_sure", _("I am not sure yet")


class BeforeReview(Entry):
    """Her say before a health assessment, in her own words: what is going well, what worries
    her, what she wants to talk about, and where, with whom and whether alone she would like to
    be seen. Only she writes it; a carer may help a young child (`helped_by`). Always private,
    and a draft is hers alone: her health team reads it once she sends it
    (passport/access/policy.py). Shown beside the nurse's draft assessment, never copied into
    it: an assessment can be shared, this never is (decision 0054)."""

    SECTION, TYPE, DEFAULT_PRIVATE = "wellbeing", "before_review", True
    OWNER_MAY_ADD = OWNER_ONLY = ALWAYS_PRIVATE = True

    # Workflow (plain; never part of a version's content): the day she sent it, and who
    # helped her write it, if anyone did.
    sent_on = models.DateField(null=True, blank=True)
    helped_by = models.ForeignKey("passport.User", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    going_well = EncryptedTextField(_("what is going well"), long=True)
    worries = EncryptedTextField(_("what worries me"), long=True)
    talk_about = EncryptedTextField(_("what I want to talk about"), long=True)
    where_to_meet = EncryptedTextField(_("where I would like to meet"))
    who_there = EncryptedTextField(_("who I would like to be there"))
    seen_alone = EncryptedTextField(_("time on my own with the nurse or doctor"),
                                    choices=AloneWish.choices)

    class Meta:
        verbose_name = _("before my health review")
        verbose_name_plural = _("before my health review")

    def check_amendable(self) -> None:
        """Sent, it is what her health team read: kept as it was (she can write another)."""
        from django.core.exceptions import ValidationError

        if self.sent_on:
            raise ValidationError(_("You sent this to your health team, so it stays as it "
                                    "was. You can write another."), code="locked")

    @property
    def is_locked(self) -> bool:
        return self.sent_on is not None

    @property
    def carer_sees(self) -> bool:
        """A draft her carer helped her write, the carer having made the last change: the
        carer still sees it (passport/care/before_review.py). Once she changes it herself,
        or it is sent, no longer."""
        return (self.sent_on is None and self.helped_by_id is not None
                and self.updated_by_id == self.helped_by_id)

    @property
    def written_by_carer(self) -> bool:
        """Her carer made its last change: for a sent one, the carer wrote and sent it."""
        return self.helped_by_id is not None and self.updated_by_id == self.helped_by_id


# --- health_plan ---------------------------------------------------------------------------


class Responsible(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person")
    CARER = "carer", _("Carer")
    NURSE = "nurse", _("Children in care nurse")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    GP = "gp", _("GP")
    OTHER = "other", _("Someone else")


class PlanStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("No longer needed")


class PlanAction(Entry):
    SECTION, TYPE = "health_plan", "plan_action"
    TITLE_FIELDS, REQUIRED = ("action",), ("action", "responsible", "status")
    DATES_IN_FUTURE = frozenset({"due_on"})

    action = EncryptedTextField(_("what will be done"), long=True)
    responsible = EncryptedTextField(_("who is responsible"), choices=Responsible.choices)
    responsible_name = EncryptedTextField(_("their name"))
    carers_role = EncryptedTextField(_("the carer's role"), long=True)
    due_on = EncryptedDateField(_("by when"))
    status = EncryptedTextField(_("status"), choices=PlanStatus.choices)
    outcome = EncryptedTextField(_("outcome"), long=True)
    topic = EncryptedTextField(_("topic"), choices=Topic.choices)
    # The assessment whose plan this action belongs to (plain: a foreign key). Empty for an
    # action added between assessments.
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("health plan action")
        verbose_name_plural = _("health plan actions")



# --- wellbeing -----------------------------------------------------------------------------


class Informant(models.TextChoices):
    CARER = "carer", _("Carer")
    CARER_2_4 = "carer_2_4", _("Carer (the version for ages 2 to 4)")
    TEACHER = "teacher", _("Teacher")
    SELF = "self", _("The young person")


class SdqResult(Entry):
    """SDQ scores from a paper or licensed questionnaire: never its items (docs/clinical-rules.md
    2)."""

    SECTION, TYPE, DEFAULT_PRIVATE = "wellbeing", "sdq_result", True
    TITLE_FIELDS = ("completed_on", "informant")
    REQUIRED = ("completed_on", "informant", "emotional", "conduct", "hyperactivity", "peer",
                "prosocial")

    completed_on = EncryptedDateField(_("completed on"))
    informant = EncryptedTextField(_("filled in by"), choices=Informant.choices)
    emotional = EncryptedIntegerField(_("emotional"), validators=between(0, 10))
    conduct = EncryptedIntegerField(_("conduct"), validators=between(0, 10))
    hyperactivity = EncryptedIntegerField(_("hyperactivity"), validators=between(0, 10))
    peer = EncryptedIntegerField(_("peer problems"), validators=between(0, 10))
    prosocial = EncryptedIntegerField(_("prosocial"), validators=between(0, 10))
    discussed_on = EncryptedDateField(_("discussed with the young person on"), help_text=_(
        "The young person sees a result once it has been discussed with them."))

    class Meta:
        verbose_name = _("SDQ result")
        verbose_name_plural = _("SDQ results")

    @classmethod
    def entry_errors(cls, fields, born, today) -> dict[str, list[str]]:
        """Each version of the questionnaire is for its own ages on the day it was filled in
        (self-report 11 to 17; carer and teacher 4 to 17; the carer's 2 to 4 version)."""
        from dateutil.relativedelta import relativedelta

        from passport.clinical import sdq

        errors = super().entry_errors(fields, born, today)
        completed = fields.get("completed_on")
        if born and isinstance(completed, datetime.date) and completed >= born:
            problem = sdq.age_problem(fields.get("informant") or "",
                                      relativedelta(completed, born).years)
            if problem:
                errors.setdefault("informant", []).append(problem)
        return errors


    @property
    def total(self) -> int | None:
        scores = [self.emotional, self.conduct, self.hyperactivity, self.peer]
        return None if None in scores else sum(scores)

    @property
    def scored(self):
        """Totals and bands from the versioned cut-off table for this informant."""
        from passport.clinical import sdq

        scores = {name: getattr(self, name) for name in sdq.SCALES}
        if None in scores.values() or self.informant not in sdq.CUT_OFFS:
            return None
        return sdq.score(self.informant, scores)

    @property
    def banded(self) -> list[tuple[str, int, str]]:
        """(scale, score, band label) with the total first and the five scales beside it."""
        from passport.clinical import sdq

        scored = self.scored
        if scored is None:
            return []
        names = dict(self.banded_names())
        rows = [("total", scored.total)] + [(s, scored.scores[s]) for s in sdq.SCALES]
        if scored.bands4:  # the four bands the SDQ's authors now recommend
            return [(str(names[k]), v, sdq.label4(k, scored.bands4[k])) for k, v in rows]
        return [(str(names[k]), v, str(sdq.BAND_LABELS[scored.bands[k]])) for k, v in rows]


    def facts(self) -> list[tuple[str, str]]:
        """The scale scores travel in the banded table (or, for her, in words): not twice."""
        from passport.clinical import sdq

        if self.scored is None:
            return super().facts()
        names = {str(capfirst(self._meta.get_field(s).verbose_name)) for s in sdq.SCALES}
        return [(label, value) for label, value in super().facts() if label not in names]

    def for_her(self, age: int | None) -> dict | None:
        """How she reads her own result: under 13 in words only, from 13 kinder band names
        with the scores one tap away."""
        from passport.clinical import sdq

        scored = self.scored
        if scored is None:
            return None
        bands = scored.bands4 or {
            k: {sdq.NORMAL: sdq.CLOSE, sdq.BORDERLINE: sdq.SLIGHTLY, sdq.CONCERN: sdq.HIGH}[v]
            for k, v in scored.bands.items()}
        if age is not None and age < sdq.WORDS_UNTIL:
            return {"words": True,
                    "going_well": [str(sdq.CHILD_WORDS[s]) for s in sdq.SCALES
                                   if bands[s] == sdq.CLOSE],
                    "talk_about": [str(sdq.CHILD_WORDS[s]) for s in sdq.SCALES
                                   if bands[s] in (sdq.HIGH, sdq.VERY_HIGH)]}
        names = dict(self.banded_names())
        rows = [("total", scored.total)] + [(s, scored.scores[s]) for s in sdq.SCALES]
        return {"words": False, "rows": [
            (str(names[k]), v, str((sdq.KIND4_PROSOCIAL if k == "prosocial"
                                     else sdq.KIND4_LABELS)[bands[k]])) for k, v in rows]}

    @classmethod
    def describe(cls, content: dict[str, Any], *, her_age: int | None = None
                 ) -> list[tuple[str, str]]:
        """Under 13 she reads her result in words only, its history too: no scale scores."""
        from passport.clinical import sdq

        rows = super().describe(content, her_age=her_age)
        if her_age is None or her_age >= sdq.WORDS_UNTIL:
            return rows
        scales = {str(capfirst(cls._meta.get_field(s).verbose_name)) for s in sdq.SCALES}
        return [(label, value) for label, value in rows if label not in scales]

    @staticmethod
    def banded_names() -> list[tuple[str, object]]:
        return [("total", _("Total difficulties")), ("emotional", _("Emotional")),
                ("conduct", _("Conduct")), ("hyperactivity", _("Hyperactivity")),
                ("peer", _("Peer problems")), ("prosocial", _("Prosocial (high is good)"))]


class SelfAssessment(Entry):
    SECTION, TYPE, DEFAULT_PRIVATE = "wellbeing", "self_assessment", True
    OWNER_MAY_ADD = OWNER_ONLY = True
    TITLE_FIELDS, REQUIRED = ("recorded_on",), ("recorded_on", "how_i_feel")

    recorded_on = EncryptedDateField(_("date"))
    how_i_feel = EncryptedTextField(_("how I feel"), long=True)
    what_helps = EncryptedTextField(_("what helps"), long=True)

    class Meta:
        verbose_name = _("how I am doing")
        verbose_name_plural = _("how I am doing")



# --- sexual_health -------------------------------------------------------------------------


class SexualHealthKind(models.TextChoices):
    CONTRACEPTION = "contraception", _("Contraception")
    SEXUAL_HEALTH = "sexual_health", _("Sexual health")
    PREGNANCY = "pregnancy", _("Pregnancy")
    PARENT = "young_parent", _("Being a young parent")


class SexualHealthEntry(Entry):
    SECTION, TYPE, DEFAULT_PRIVATE, OWNER_MAY_ADD = "sexual_health", "sexual_health", True, True
    TITLE_FIELDS, REQUIRED = ("kind", "recorded_on"), ("kind",)
    DATES_IN_FUTURE = frozenset({"due_date"})

    kind = EncryptedTextField(_("about"), choices=SexualHealthKind.choices)
    recorded_on = EncryptedDateField(_("date"))
    details = EncryptedTextField(_("details"), long=True)
    due_date = EncryptedDateField(_("baby due on"))
    support = EncryptedTextField(_("support and contacts"), long=True, help_text=_(
        "For example the teenage pregnancy midwife or the Family Nurse Partnership."))
    vaccines_in_pregnancy = EncryptedTextField(_("vaccines in pregnancy"), long=True, help_text=_(
        "Whooping cough, flu, RSV: offered and given."))
    fraser_competent = EncryptedBooleanField(_("under 16: judged competent (Fraser)"))

    class Meta:
        verbose_name = _("sexual health entry")
        verbose_name_plural = _("sexual health")



# --- appointments --------------------------------------------------------------------------


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Went")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(Entry):
    SECTION, TYPE, OWNER_MAY_ADD = "appointments", "appointment", True
    TITLE_FIELDS, REQUIRED = ("what_for", "on_date"), ("on_date", "what_for")
    DATES_IN_FUTURE = frozenset({"on_date"})

    on_date = EncryptedDateField(_("date"))
    time = EncryptedTextField(_("time"))
    what_for = EncryptedTextField(_("what it is for"))
    with_whom = EncryptedTextField(_("with"))
    where = EncryptedTextField(_("where"))
    status = EncryptedTextField(_("status"), choices=AppointmentStatus.choices)
    topic = EncryptedTextField(_("topic"), choices=Topic.choices)
    notes = EncryptedTextField(_("notes"), long=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")



# --- my_notes ------------------------------------------------------------------------------


class MyNote(Entry):
    """A note she keeps for herself alone: the section `my_notes` is hers only, like her saved
    services, and more so: never granted, shared, printed or opened by break glass; in her own
    data download only (decision 0058). Stored encrypted like everything else."""

    SECTION, TYPE = "my_notes", "my_note"
    OWNER_MAY_ADD = OWNER_ONLY = ALWAYS_PRIVATE = True
    DEFAULT_PRIVATE = True
    TITLE_FIELDS, REQUIRED = ("about",), ("note",)

    about = EncryptedTextField(_("what it is about"))
    note = EncryptedTextField(_("my note"), long=True)

    class Meta:
        verbose_name = _("note for me")
        verbose_name_plural = _("notes for me")


# --- my_services ---------------------------------------------------------------------------


class SavedService(Entry):
    """A directory service the young person saved. The service is reference data; why they
    saved it is theirs, so the link itself is encrypted too."""

    SECTION, TYPE = "my_services", "saved_service"
    OWNER_MAY_ADD = OWNER_ONLY = True
    # Saved from the directory's own page ("Save to my services"), not typed into a form:
    # nobody knows a service's id.
    ADDED_FROM_DIRECTORY = True
    TITLE_FIELDS, REQUIRED = ("service_name",), ("service_id",)

    @property
    def service_slug(self) -> str:
        """The directory's id when it is one (anything else, from the API, links nowhere)."""
        from django.core.validators import slug_re

        return self.service_id if self.service_id and slug_re.fullmatch(self.service_id) else ""

    def facts(self) -> list[tuple[str, str]]:
        """Her note; the directory's id is for the link to the service, not for reading."""
        return [(label, value) for label, value in super().facts()
                if label != capfirst(str(self._meta.get_field("service_id").verbose_name))]

    service_id = EncryptedTextField(_("service"))
    service_name = EncryptedTextField(_("name"))
    note = EncryptedTextField(_("my note"), long=True)

    class Meta:
        verbose_name = _("saved service")
        verbose_name_plural = _("saved services")

