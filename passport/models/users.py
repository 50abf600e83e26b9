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


HEALTH_ROLES = frozenset({Role.NURSE, Role.DOCTOR, Role.TEAM_LEAD})


class User(AbstractUser):
    """An account. A young person's names live encrypted in their passport, never here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=32, choices=Role.choices)
    # Staff names are not encrypted (DESIGN.md 7); young people's accounts leave this empty.
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    team = models.ForeignKey("passport.HealthTeam", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="members")
    organisation = models.ForeignKey("passport.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="members")
    # "Sign out everywhere": sessions that began before this moment are ended.
    sessions_valid_after = models.DateTimeField(null=True, blank=True, editable=False)
    # The organisation's named nurse for safeguarding: may break glass for any under-18 in
    # care whose health team belongs to her organisation (DESIGN.md 5).
    named_safeguarding_nurse = models.BooleanField(
        _("named nurse for safeguarding"), default=False)
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    REQUIRED_FIELDS = ["role"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_health_professional(self) -> bool:
        return self.role in HEALTH_ROLES
