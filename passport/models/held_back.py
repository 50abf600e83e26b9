"""Staged disclosure (docs/architecture.md 4): an entry of birth or family history held back from
the young person on the serious-harm test, its reviews, and its release in a planned conversation.

A hold is its own record rather than a flag on the entry: it has an opinion, an author, a
review clock and an ending, and the entry itself stays exactly as it was written.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import EncryptedTextField
from passport.models.base import EncryptedModel

# The sections whose entries may be held back (docs/architecture.md 4).
HOLDABLE_SECTIONS = frozenset({"birth_history", "family_history"})


class HeldBack(EncryptedModel):
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="holds")
    section = models.CharField(max_length=32)
    entry_type = models.CharField(max_length=32)
    entry_id = models.UUIDField(db_index=True)
    # The professional's opinion that seeing it would be likely to cause serious harm, and why.
    opinion = EncryptedTextField(_("your opinion, and why"), long=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    held_at = models.DateTimeField()
    review_due_on = models.DateField(_("review due on"))
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    conversation_on = models.DateField(_("talked it through on"), null=True, blank=True)
    # How the planned conversation went: who was there, how the young person took it.
    release_note = EncryptedTextField(_("how the conversation went"), long=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["entry_id"], condition=Q(released_at__isnull=True),
            name="one_open_hold_per_entry")]

    def __str__(self) -> str:
        return f"hold {str(self.pk)[:8]}"

    @property
    def is_held(self) -> bool:
        return self.released_at is None


class HoldReview(EncryptedModel):
    """A review of a hold: the serious-harm test looked at again (at least every 6 months)."""

    hold = models.ForeignKey(HeldBack, on_delete=models.CASCADE, related_name="reviews")
    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField()
    note = EncryptedTextField(_("why it still meets the test"), long=True)

    def __str__(self) -> str:
        return f"hold review {str(self.pk)[:8]}"
