"""The health team's working records around an assessment: its plan's carry-over,
quality assurance, addenda, contributions from other services, the timeliness facts the area
figures count, and the care leaver's health summary.

These are professional records: only the young person's health team reads them, except the
addenda, which travel with the assessment they correct.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import EncryptedJSONField, EncryptedTextField
from passport.models.base import EncryptedModel


class ActionDecision(models.TextChoices):
    DONE = "done", _("Done")
    CARRIED = "carried", _("Carry on into the new plan")
    DROPPED = "dropped", _("Drop it (say why)")


class ActionReview(EncryptedModel):
    """At an assessment, what became of an open action of an earlier plan."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    assessment = models.ForeignKey("passport.Assessment", on_delete=models.PROTECT,
                                   related_name="+")
    action = models.ForeignKey("passport.PlanAction", on_delete=models.PROTECT,
                               related_name="+")
    decision = models.CharField(max_length=10, choices=ActionDecision.choices)
    note = EncryptedTextField(_("what happened, or why it is dropped"), long=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "action"],
                                               name="one_review_per_action")]

    def __str__(self) -> str:
        return f"action review {str(self.pk)[:8]}"


class QualityDecision(models.TextChoices):
    SIGNED_OFF = "signed_off", _("Signed off")
    RETURNED = "returned", _("Returned with comments")


class QualityReview(EncryptedModel):
    """A second clinician's or the team lead's check of a submitted assessment against the
    checklist: signed off, or returned with comments."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    assessment = models.ForeignKey("passport.Assessment", on_delete=models.PROTECT,
                                   related_name="+")
    decision = models.CharField(max_length=12, choices=QualityDecision.choices)
    # {item key: "met" | "not_met" | "not_applicable"}: about the record, never its content.
    checklist = models.JSONField(default=dict)
    comments = EncryptedTextField(_("comments"), long=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"quality review {str(self.pk)[:8]}"


class Addendum(EncryptedModel):
    """A correction or addition to a signed-off assessment, which is never edited."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    assessment = models.ForeignKey("passport.Assessment", on_delete=models.PROTECT,
                                   related_name="+")
    text = EncryptedTextField(_("addendum"), long=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"addendum {str(self.pk)[:8]}"


class Contributor(models.TextChoices):
    GP = "gp", _("GP")
    CAMHS = "camhs", _("CAMHS")
    KITE = "kite", _("KITE (CAMHS for children in care)")
    SCHOOL_NURSE = "school_nurse", _("School nurse")
    OTHER = "other", _("Another service")


class ContributionRequest(EncryptedModel):
    """A request to another service for what it knows before an assessment, and its answer.
    Who was asked is encrypted: a request to CAMHS says something."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    contributor = EncryptedTextField(_("asked"), choices=Contributor.choices)
    contact = EncryptedTextField(_("who, or which team"))
    requested_on = models.DateField(_("asked on"))
    wanted_by = models.DateField(_("needed by"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    received_on = models.DateField(_("received on"), null=True, blank=True)
    summary = EncryptedTextField(_("what they said"), long=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["passport"], condition=Q(received_on__isnull=True),
                                name="contribution_awaited")]

    def __str__(self) -> str:
        return f"contribution request {str(self.pk)[:8]}"


class AssessmentTiming(models.Model):
    """The timeliness of a signed-off assessment, written once when it is signed off (a
    signed-off assessment never changes). Derived facts, plain (docs/architecture.md 7: derived due
    dates are not encrypted), so the area figures are one query over thousands of young
    people. No free text: the reason is one of a fixed list."""

    assessment = models.OneToOneField("passport.Assessment", on_delete=models.PROTECT,
                                      primary_key=True, related_name="+")
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    area = models.ForeignKey("passport.Area", null=True, on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField(max_length=10)
    due_on = models.DateField(null=True)
    held_on = models.DateField()
    outcome = models.CharField(max_length=12)
    on_time = models.BooleanField(null=True)
    late_reason = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [models.Index(fields=["area", "due_on"], name="timing_area_due")]

    def __str__(self) -> str:
        return f"assessment timing {str(self.pk)[:8]}"


class LeaverSummary(EncryptedModel):
    """Before care ends: every section checked (reviewed, up to date, what is still unknown)
    and the summary marked ready for the booklet."""

    passport = models.OneToOneField("passport.Passport", on_delete=models.CASCADE,
                                    related_name="+")
    # {section: {"reviewed": bool, "up_to_date": bool, "still_unknown": str}}
    checklist = EncryptedJSONField(_("checklist"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    ready_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"leaver summary {str(self.pk)[:8]}"


class ImmunisationImport(EncryptedModel):
    """Immunization resources sent in (a GP record export, or a connected system) waiting for
    a nurse to confirm which doses to save. The bundle is kept encrypted until
    then; nothing reaches the passport unconfirmed."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    source = models.CharField(_("from"), max_length=200)
    bundle = EncryptedJSONField(_("what was sent"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    saved = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"immunisation import {str(self.pk)[:8]}"
