import uuid
from typing import ClassVar

from django.db import models

from passport import crypto
from passport.fields import EncryptedQuerySet


class EncryptedModel(models.Model):
    """A row holding encrypted fields. Its UUID exists before the first save, so the
    associated data binding each value to its row is known at insert time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        abstract = True

    # Where this row's passport id lives: "passport_id" on entries, "id" on Passport itself.
    passport_attname: ClassVar[str] = "passport_id"

    def encryption_context(self) -> tuple[uuid.UUID, uuid.UUID]:
        """(this row's id, its passport's id): what every value here is bound to."""
        row_id, _tail, passport_id, _key = self.aad_tail()
        return row_id, passport_id

    def aad_tail(self) -> tuple[uuid.UUID, bytes, uuid.UUID, tuple[int, None]]:
        """(row id, b"|row-uuid|passport-uuid", passport id, the key scope's entry for the
        passport's newest key), worked out once per row object."""
        values = self.__dict__
        row_id, passport_id = values["id"], values[self.passport_attname]
        cached = values.get("_aad_tail")
        if cached is None or cached[0] is not row_id or cached[2] is not passport_id:
            tail = crypto.value_aad("", row_id, passport_id)
            cached = (row_id, tail, passport_id, (passport_id.int, None))
            values["_aad_tail"] = cached
        return cached
