"""'This isn't right': the young person asks her nurse to correct an entry (docs/architecture.md
3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import EncryptedTextField
from passport.models.base import EncryptedModel


class CorrectionRequest(EncryptedModel):
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="corrections")
    section = models.CharField(max_length=32)
    entry_type = models.CharField(max_length=32)
    entry_id = models.UUIDField()
    message = EncryptedTextField(_("what isn't right"), long=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    asked_at = models.DateTimeField()
    dealt_with_at = models.DateTimeField(null=True, blank=True)
    dealt_with_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"correction request {str(self.pk)[:8]}"
