"""The other bases by which people reach a passport (docs/access.md): placements, social
work, grants; and decisions about who controls sharing."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import EncryptedTextField
from passport.models.base import EncryptedModel


class Placement(models.Model):
    """A carer with whom the young person is placed: the `placement` basis. Its dates and
    re-confirmation are plain (they decide access at every request)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="placements")
    carer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="placements")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    confirmed_on = models.DateField(_("last confirmed on"))

    class Meta:
        indexes = [models.Index(fields=["carer", "passport"])]

    def __str__(self) -> str:
        return f"placement {str(self.pk)[:8]}"


class SocialWorkAssignment(models.Model):
    """A social worker, or a personal adviser (from 16): the `social_work` basis."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="social_workers")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="social_work")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"social work assignment {str(self.pk)[:8]}"


class Grant(EncryptedModel):
    """The young person (or, while supported, her nurse, recording her wishes) lets a named
    account read chosen sections, optionally until a date. Revoked at once."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="grants")
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="grants_received")
    sections = models.JSONField(default=list)
    until = models.DateField(null=True, blank=True)
    wishes = EncryptedTextField(_("the young person's wishes"), long=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"grant {str(self.pk)[:8]}"


class ControlDecision(EncryptedModel):
    """Who manages sharing, decided by the nurse: self-management at 16, competence earlier,
    or a young person over 16 who lacks capacity staying supported. Kept with who, when, why."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="control_decisions")
    control = models.CharField(max_length=20)
    reason = EncryptedTextField(_("why"), long=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"control decision {str(self.pk)[:8]}"


class SharingWishes(EncryptedModel):
    """While supported, the nurse decides sharing on the young person's behalf: what she
    wanted is kept beside each decision (docs/access.md), encrypted."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="sharing_wishes")
    decision = models.CharField(max_length=40)
    wishes = EncryptedTextField(_("the young person's wishes"), long=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"sharing wishes {str(self.pk)[:8]}"


class ShareLink(models.Model):
    """"Show my new GP or dentist" (docs/architecture.md 5): chosen sections, for a short time, to
    whoever holds the link and the code sent separately. Only hashes of the link's token and of the
    code are kept; wrong codes are counted on this row, so the lock holds across processes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="share_links")
    sections = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)  # wrong codes so far
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"share link {str(self.pk)[:8]}"


class ShareLinkUse(EncryptedModel):
    """Someone opened a share link with its code: who they said they are, and when."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="uses")
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    viewer_name = EncryptedTextField(_("your name"))
    organisation = EncryptedTextField(_("your organisation"))
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"share link use {str(self.pk)[:8]}"


class BreakGlass(EncryptedModel):
    """One section opened without the young person's sharing, for 24 hours, with a reason and a
    fresh second factor; reviewed by the Caldicott guardian the next working day; shown in her
    log, after up to 7 days where telling her sooner could put her at risk (docs/architecture.md
    5)."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="break_glass")
    section = models.CharField(max_length=32)
    reason = EncryptedTextField(_("why"), long=True)
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    show_from = models.DateTimeField()  # when her log shows it
    delay_reason = EncryptedTextField(_("why she is told later"), long=True)
    review_due_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(_("review"), long=True)

    class Meta:
        indexes = [models.Index(fields=["user", "passport", "expires_at"])]

    def __str__(self) -> str:
        return f"break glass {str(self.pk)[:8]}"


class ReminderSent(models.Model):
    """What `send_reminders` already told someone about, so cron can run it as often as it
    likes and each task is emailed once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="remind_once")]

    def __str__(self) -> str:
        return f"reminder {self.key}"
