import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import EncryptedDateField, EncryptedTextField
from passport.models.base import EncryptedModel


class Control(models.TextChoices):
    SUPPORTED = "supported", _("Supported: the nurse manages sharing")
    SELF_MANAGED = "self_managed", _("Self-managed: the young person manages sharing")


class Sex(models.TextChoices):
    """Sex for vaccine eligibility and growth references: one private fact, as registered at
    birth, kept apart from gender identity (which she records in her own words, if she wants)."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Passport(EncryptedModel):
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="passport",
    )
    legal_name = EncryptedTextField()
    chosen_name = EncryptedTextField()
    date_of_birth = EncryptedDateField()
    nhs_number = EncryptedTextField()
    sex = EncryptedTextField(choices=Sex.choices)
    # Keyed HMAC of the NHS number (docs/architecture.md 7): lookup without storing the number.
    nhs_number_index = models.CharField(max_length=100, null=True, blank=True, unique=True)
    control = models.CharField(max_length=20, choices=Control.choices, default=Control.SUPPORTED)
    # The team that holds the young person's health care: its team lead reaches the passport.
    health_team = models.ForeignKey("passport.HealthTeam", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="passports")
    care_ended_on = models.DateField(null=True, blank=True)
    # How care ended (or will end, on care_ended_on): derived from the last care episode and
    # kept plain, because the policy's one query depends on it (decision 0012).
    care_outcome = models.CharField(max_length=32, blank=True, default="")
    # Adoption seals the passport only once a second person confirms it: who
    # recorded it, and who confirmed it when. Until confirmed it waits, and nothing is sealed.
    adoption_recorded_by = models.ForeignKey("passport.User", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    adoption_confirmed_by = models.ForeignKey("passport.User", null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    adoption_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The young person agreed that her personal adviser keeps access after care (docs/access.md).
    adviser_agreed = models.BooleanField(default=False)
    # Sections the young person (or, while supported, her nurse) took out of her carer's
    # default view (docs/access.md: the placement column is a default).
    placement_hidden = models.JSONField(default=list, blank=True)
    # "Hide now" (docs/access.md): an overlay the young person turns on and off in one action;
    # while set, every basis but owner and health team sees only the essentials.
    hidden_now_since = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)
    # Dates worked out from her record and kept plain, so that lists and figures read them
    # instead of decrypting it (passport/records/derived.py; docs/architecture.md 7 allows
    # derived due dates, and nothing else, in clear). Never a retention date: it would reveal
    # her birthday.
    next_assessment_on = models.DateField(null=True, blank=True)
    next_assessment_kind = models.CharField(max_length=8, blank=True, default="")
    next_assessment_why = models.CharField(max_length=12, blank=True, default="")
    vaccine_due_on = models.DateField(null=True, blank=True)  # the day one was found due
    plan_late_from = models.DateField(null=True, blank=True)  # an open action's earliest date
    sdq_ask_from = models.DateField(null=True, blank=True)  # ask the carer from this day
    derived_rules = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        # Never the name: this string reaches the admin log and error reports.
        return f"Passport {str(self.pk)[:8]}"

    passport_attname = "id"  # a passport's own values are bound to its own id twice

    @property
    def display_name(self) -> str:
        return self.chosen_name or self.legal_name or ""

    def in_care_on(self, day: datetime.date) -> bool:
        """Whether care lasts on this day: no end recorded, or an end still to come."""
        return self.care_ended_on is None or self.care_ended_on > day

    @property
    def born(self) -> datetime.date | None:
        """Her date of birth, for the rules that turn on her age (the clock, who reaches her,
        when care ends). Decrypted once per instance, with the data key from the scope the
        request, command or test already opened (docs/architecture.md 7)."""
        return self.date_of_birth


class CareTeamAssignment(models.Model):
    """A health professional assigned to a young person: the `health_team` basis."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="assignments")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["professional", "passport"])]

    def __str__(self) -> str:
        return f"assignment {str(self.pk)[:8]}"
