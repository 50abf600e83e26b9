from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.clinical.snomed import validate_concept_id
from passport.encryption.fields import EncryptedDateField, EncryptedTextField
from passport.models.entries import Entry, Topic


class ConditionKind(models.TextChoices):
    CONDITION = "condition", _("Long-term condition")
    ALLERGY = "allergy", _("Allergy")
    MEDICINE = "medicine", _("Medicine")


class Condition(Entry):
    """A long-term condition, an allergy or a medicine (section `conditions`)."""

    SECTION = "conditions"
    TYPE = "condition"
    TITLE_FIELDS = ("name", "kind")
    REQUIRED = ("kind", "name")
    OWNER_MAY_ADD = True

    # Even the kind is encrypted: "has three medicines" is health information too.
    kind = EncryptedTextField(_("what it is"), choices=ConditionKind.choices)
    name = EncryptedTextField(_("name"), help_text=_(
        "For example: asthma, penicillin, salbutamol inhaler."))
    details = EncryptedTextField(_("details"), long=True, help_text=_(
        "Reaction and how bad it is, or dose and how often."))
    what_to_do = EncryptedTextField(_("what to do"), long=True, help_text=_(
        "What a carer or teacher should do."))
    started_on = EncryptedDateField(_("since"))
    ended_on = EncryptedDateField(_("ended"))
    topic = EncryptedTextField(_("topic"), choices=Topic.choices, help_text=_(
        "Mental health, alcohol and drugs, gender identity, sexual health and pregnancy start "
        "private."))
    snomed_code = EncryptedTextField(_("SNOMED CT code"), help_text=_(
        "Only if you know it; never guess a code."),
        validators=[validate_concept_id])

    class Meta:
        verbose_name = _("condition, allergy or medicine")
        verbose_name_plural = _("conditions, allergies and medicines")


    @classmethod
    def entry_errors(cls, fields, born, today) -> dict[str, list[str]]:
        errors = super().entry_errors(fields, born, today)
        started, ended = fields.get("started_on"), fields.get("ended_on")
        if started and ended and ended < started:
            errors.setdefault("ended_on", []).append(_("The end date is before the start date."))
        return errors
