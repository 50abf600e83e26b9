import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.models.users import Role


class Invitation(models.Model):
    """A single-use, expiring link to set up an account with a role chosen by the inviter.
    Only a hash of the link's secret is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=32, choices=Role.choices)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    passport = models.ForeignKey("passport.Passport", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("passport.HealthTeam", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # An invitation for an admin or a connected system works only once a second admin has
    # confirmed it; every other invitation is confirmed when made.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Where such an invitation's link is sent when confirmed: neither admin ever sees it, so
    # neither can use it to give himself a second admin account.
    email = models.EmailField(_("email"), blank=True)

    def __str__(self) -> str:
        return f"invitation {str(self.pk)[:8]}"
