"""Organisations, teams and areas; care episodes; not-known-yet items; date-of-birth history."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import EncryptedDateField, EncryptedTextField
from passport.models.base import EncryptedModel
from passport.models.entries import Entry


class Area(models.Model):
    """A local authority area (placing authority or host area)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(_("ONS code"), max_length=12, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("local authority area")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An NHS provider that runs one or more health teams serving some areas."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    ods_code = models.CharField(_("ODS code"), max_length=12, blank=True)
    areas = models.ManyToManyField(Area, blank=True, related_name="organisations",
                                   verbose_name=_("areas served"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class HealthTeam(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("health team")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"],
                                               name="one_team_name_per_organisation")]

    def __str__(self) -> str:
        return self.name


class LegalStatus(models.TextChoices):
    SECTION_20 = "s20", _("Accommodated by agreement (section 20)")
    INTERIM_CARE_ORDER = "ico", _("Interim care order")
    CARE_ORDER = "care_order", _("Care order (section 31)")
    PLACEMENT_ORDER = "placement_order", _("Placement order")
    EPO = "epo", _("Emergency protection or police protection")
    REMAND = "remand", _("Remanded to local authority accommodation")
    UASC = "uasc", _("Unaccompanied asylum-seeking child (section 20)")


class PlacementType(models.TextChoices):
    FOSTER = "foster", _("Foster care")
    KINSHIP = "kinship", _("Kinship care (family or friends)")
    RESIDENTIAL = "residential", _("Residential home")
    SUPPORTED = "supported", _("Supported accommodation")
    WITH_PARENTS = "with_parents", _("Placed with parents")
    SHORT_BREAKS = "short_breaks", _("Short breaks only")


class EpisodeOutcome(models.TextChoices):
    CARE_LEAVER = "care_leaver", _("Left care as a care leaver")
    HOME = "home", _("Returned home")
    SGO = "special_guardianship", _("Special guardianship order")
    ADOPTED = "adopted", _("Adopted")
    OTHER = "other", _("Other")


class CareEpisode(Entry):
    """A period in care (docs/architecture.md 3). Its start is day 0 of the initial assessment
    clock, so the dates and areas are plain; what the episode says about the child is encrypted.
    Versioned like any entry: corrections keep their history."""

    SECTION, TYPE = "care", "care_episode"
    TITLE_FIELDS = ("legal_status", "placement_type")
    REQUIRED = ("started_on", "placing_authority", "host_area", "legal_status", "placement_type")
    PLAIN_FIELDS = ("started_on", "ended_on", "placing_authority", "host_area")
    DERIVED_FIELDS = ("initial_due_on",)

    started_on = models.DateField(_("came into care on"))
    ended_on = models.DateField(_("left care on"), null=True, blank=True)
    placing_authority = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("placing authority"))
    host_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("lives in"))
    legal_status = EncryptedTextField(_("legal status"), choices=LegalStatus.choices)
    parental_responsibility = EncryptedTextField(
        _("who holds parental responsibility and consents"), long=True)
    placement_type = EncryptedTextField(_("placement type"), choices=PlacementType.choices)
    outcome = EncryptedTextField(_("how care ended"), choices=EpisodeOutcome.choices)
    # A derived due date, kept plain (passport/records/derived.py): the day the episode's
    # initial health assessment falls due, 20 working days from its start; none for short
    # breaks, which carry no duty. The area figures count the children in care from it
    # without decrypting the placement type.
    initial_due_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("care episode")
        verbose_name_plural = _("care episodes")
        ordering = ["started_on"]


    @classmethod
    def entry_errors(cls, fields, born, today) -> dict[str, list[str]]:
        errors = super().entry_errors(fields, born, today)
        started, ended = fields.get("started_on"), fields.get("ended_on")
        if started and ended and ended < started:
            errors.setdefault("ended_on", []).append(_("Care cannot end before it starts."))
        if ended and not fields.get("outcome"):
            errors.setdefault("outcome", []).append(_("Say how care ended."))
        return errors


class UnknownStatus(models.TextChoices):
    ASKED = "asked", _("Asked for")
    NOT_ASKED = "not_asked", _("Not asked yet")
    FOUND = "found", _("Found")
    NOT_AVAILABLE = "not_available", _("Cannot be found")


class UnknownItem(Entry):
    """"Not known yet": any item of any section, with where it might be found and when it was
    asked for (docs/architecture.md 4). One model for every section: the section is a plain key."""

    TYPE = "not_known_yet"
    TITLE_FIELDS, REQUIRED = ("item",), ("item",)

    section = models.CharField(_("section"), max_length=32)
    item = EncryptedTextField(_("what is not known"), help_text=_(
        "For example: birth weight, father's health, MMR doses."))
    where_to_find = EncryptedTextField(_("where it might be found"), long=True)
    asked_on = EncryptedDateField(_("asked for on"))
    asked_whom = EncryptedTextField(_("asked whom"))
    status = EncryptedTextField(_("status"), choices=UnknownStatus.choices)

    class Meta:
        verbose_name = _("not known yet")
        verbose_name_plural = _("not known yet")


    @property
    def section_key(self) -> str:
        return self.section


class IdentityChange(EncryptedModel):
    """Identity facts keep their history: an age assessment changes a date of birth, a name or
    an NHS number gets corrected. Both values are kept, encrypted, with who, when and why."""

    FIELDS = ("legal_name", "chosen_name", "date_of_birth", "nhs_number")

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="identity_changes")
    field = models.CharField(max_length=20)
    previous = EncryptedTextField(_("before"))
    new = EncryptedTextField(_("after"))
    reason = EncryptedTextField(_("why"), long=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"identity change {str(self.pk)[:8]}"

    def as_date(self, value: str | None):
        return datetime.date.fromisoformat(value) if value else None

    @property
    def previous_date(self):
        return self.as_date(self.previous)

    @property
    def new_date(self):
        return self.as_date(self.new)
