import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    YOUNG_PERSON = "young_person", _("Young person")
    NURSE = "nurse", _("Nurse")
    DOCTOR = "doctor", _("Doctor")
    TEAM_LEAD = "team_lead", _("Team lead")
    DESIGNATED = "designated", _("Designated professional")
    CARER = "carer", _("Carer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PERSONAL_ADVISER = "personal_adviser", _("Personal adviser")
    CALDICOTT = "caldicott_guardian", _("Caldicott guardian")
    ADMIN = "admin", _("Administrator")
    # A named system (a GP system, the council's case system) that may only submit
    # immunisation records for a nurse to review: it reads nothing.
    INTEGRATION = "integration", _("Connected system")


class User(AbstractUser):
    """An account. A young person's names live encrypted in their passport, never here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=32, choices=Role.choices)
    # Staff names are not encrypted (docs/architecture.md 7); young people's accounts leave it
    # empty: their names are in their passports.
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    # What a professional does, in her own words ("Children in care nurse"): a new
    # assessment's "their profession" starts from it. Empty: the role's name is used.
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    team = models.ForeignKey("passport.HealthTeam", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="members")
    organisation = models.ForeignKey("passport.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="members")
    # "Sign out everywhere": sessions that began before this moment are ended.
    sessions_valid_after = models.DateTimeField(null=True, blank=True, editable=False)
    # The organisation's named nurse for safeguarding: may break glass for any under-18 in
    # care whose health team belongs to her organisation (docs/architecture.md 5).
    # The language she chose: remembered on the account, used at every sign-in.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    # When she last signed in: "what is new since your last visit" starts here.
    previous_visit = models.DateTimeField(null=True, blank=True, editable=False)
    named_safeguarding_nurse = models.BooleanField(
        _("named nurse for safeguarding"), default=False)
    # Reminders on her phone come at most once a day unless she asks for each one.
    reminders_each_time = models.BooleanField(default=False, editable=False)
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    REQUIRED_FIELDS = ["role"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class OfflineDevice(models.Model):
    """A phone or browser where the young person keeps a copy of her essentials. The
    device holds a random secret in a cookie; only its hash is here. Revoking it here makes
    the device delete its copy the next time it is online."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="offline_devices")
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"offline device {str(self.pk)[:8]}"


class ApiToken(models.Model):
    """A personal API token (acting with exactly its owner's rights) or a connected system's
    credential. Only a hash of the secret is kept; the secret is shown once, when made."""

    PERSONAL, INTEGRATION = "personal", "integration"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(max_length=12, default=PERSONAL)
    prefix = models.CharField(max_length=12)  # shown in lists, to tell tokens apart
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"api token {self.prefix}"


class RecoveryCode(models.Model):
    """A one-time code her health team gives a young person who forgot her password and has
    no email: she sets her own password with it. Only a hash is kept; it lasts 15
    minutes and a few wrong tries void it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=20)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code {str(self.pk)[:8]}"


class ReachChange(models.Model):
    """A change that widens someone's reach, asked for by one admin and made only when a
    different admin confirms it: a team, an organisation, the safeguarding-nurse
    flag, the email password resets go to, reopening an account, or an invitation for an
    admin or a connected system. Until then it waits, listed in the admin."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Health team")
        ORGANISATION = "organisation", _("Organisation")
        SAFEGUARDING = "named_safeguarding_nurse", _("Named nurse for safeguarding")
        EMAIL = "email", _("Email (where password resets go)")
        REOPEN = "is_active", _("Reopen the account")
        INVITATION = "invitation", _("Invitation")

    class Outcome(models.TextChoices):
        WAITING = "", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("change"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("account"))
    invitation = models.ForeignKey("passport.Invitation", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    # The new value as text: a team's or organisation's id, an email, "1" for a flag.
    value = models.CharField(_("new value"), max_length=254, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("asked for by"))
    requested_at = models.DateTimeField(_("asked for at"))
    outcome = models.CharField(_("state"), max_length=12, choices=Outcome.choices, blank=True,
                               default=Outcome.WAITING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change awaiting a second administrator")
        verbose_name_plural = _("changes awaiting a second administrator")

    def __str__(self) -> str:
        whom = self.user or (self.invitation.display_name if self.invitation else "")
        return f"{self.get_kind_display()}: {whom}"


class SignInCounter(models.Model):
    """Sign-in attempts in a fixed window, per key ("address:…", "account:…"), counted with
    one UPDATE … SET count = count + 1 (passport.accounts.counters): right however many servers
    count
    at once. Holds an address or a username, never a password."""

    key = models.CharField(max_length=200, primary_key=True)
    window = models.BigIntegerField(db_index=True)  # the window's start, Unix seconds
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class SignedInSession(models.Model):
    """One signed-in session, for the person's list of where they are signed in (ASVS V7.5.2):
    which device (a rough name from the browser), when it began and was last used. Ending it
    here ends it at its next request. No session key is kept here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    device = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"session {str(self.pk)[:8]}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription: her reminders on that phone (passport/accounts/
    push.py). It lives as long as the signed-in session it was made in: signing out there,
    everywhere, quick exit or ending that session from her list ends it. Where to push and
    the keys to encrypt for are sealed under the keyring's key-encryption key (whoever holds
    them can put a message on her lock screen); a keyed hash of the address finds the same
    browser subscribing again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    session = models.ForeignKey(SignedInSession, on_delete=models.CASCADE, related_name="+")
    endpoint_hash = models.CharField(max_length=80, unique=True)
    sealed = models.TextField(editable=False)
    device = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push subscription {str(self.pk)[:8]}"
