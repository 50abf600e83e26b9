import uuid

from django.db import models

from passport.fields import EncryptedQuerySet


class EncryptedModel(models.Model):
    """A row holding encrypted fields. Its UUID exists before the first save, so the
    associated data binding each value to its row is known at insert time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        abstract = True

    def encryption_context(self) -> tuple[uuid.UUID, uuid.UUID]:
        """(this row's id, its passport's id): what every value here is bound to."""
        return self.pk, self.passport_id  # type: ignore[attr-defined]
