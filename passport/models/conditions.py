from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.fields import EncryptedDateField, EncryptedTextField
from passport.models.entries import Entry


class ConditionKind(models.TextChoices):
    CONDITION = "condition", _("Long-term condition")
    ALLERGY = "allergy", _("Allergy")
    MEDICINE = "medicine", _("Medicine")


class Condition(Entry):
    """A long-term condition, an allergy or a medicine (section `conditions`)."""

    SECTION = "conditions"

    # Even the kind is encrypted: "has three medicines" is health information too.
    kind = EncryptedTextField()
    name = EncryptedTextField()
    details = EncryptedTextField()  # reaction and severity, dose and how often
    what_to_do = EncryptedTextField()  # what a carer or teacher should do
    started_on = EncryptedDateField()
    ended_on = EncryptedDateField()
    added_by_young_person = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    CONTENT_FIELDS = ("kind", "name", "details", "what_to_do", "started_on", "ended_on")

    def __str__(self) -> str:
        return f"condition entry {str(self.pk)[:8]}"

    @property
    def kind_label(self) -> str:
        return str(ConditionKind(self.kind).label) if self.kind in ConditionKind.values else ""
