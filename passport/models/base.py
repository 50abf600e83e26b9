import uuid
from typing import Any, ClassVar

from django.db import models
from django.db.models.base import ModelState

from passport.encryption import crypto
from passport.encryption.fields import EncryptedField, EncryptedQuerySet, Slot


class EncryptedModel(models.Model):
    """A row holding encrypted fields. Its UUID exists before the first save, so the
    associated data binding each value to its row is known at insert time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        abstract = True

    # Where this row's passport id lives: "passport_id" on entries, "id" on Passport itself.
    passport_attname: ClassVar[str] = "passport_id"

    @classmethod
    def from_db(cls, db: str | None, field_names: list[str], values: list[Any]) -> Any:
        """Rows loaded in full skip Model.__init__'s generic argument handling (these models
        have no init signals): loading a passport's entries is most of the cost of reading
        them (bench/decrypt.py). Partly loaded rows take Django's own path."""
        layout = cls._meta.__dict__.get("_hp_layout")
        if layout is None:
            layout = tuple((f.attname, isinstance(f, EncryptedField))
                           for f in cls._meta.concrete_fields)
            cls._meta._hp_layout = layout  # type: ignore[attr-defined]
        if len(values) != len(layout):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        attrs = new.__dict__
        for (attname, encrypted), value in zip(layout, values, strict=True):
            attrs[attname] = Slot.loaded(value) if encrypted else value
        new._state = ModelState()
        new._state.adding = False
        new._state.db = db
        return new

    def encryption_context(self) -> tuple[uuid.UUID, uuid.UUID]:
        """(this row's id, its passport's id): what every value here is bound to."""
        row_id, _tail, passport_id, _key = self.aad_tail()
        return row_id, passport_id

    def aad_tail(self) -> tuple[uuid.UUID, bytes, uuid.UUID, tuple[int, None]]:
        """(row id, b"|row-uuid|passport-uuid", passport id, the key scope's entry for the
        passport's newest key), worked out once per row object."""
        values = self.__dict__
        if "id" not in values or self.passport_attname not in values:
            getattr(self, self.passport_attname)  # deferred: Django loads it
        row_id, passport_id = values["id"], values[self.passport_attname]
        cached = values.get("_aad_tail")
        if cached is None or cached[0] is not row_id or cached[2] is not passport_id:
            tail = crypto.value_aad("", row_id, passport_id)
            cached = (row_id, tail, passport_id, (passport_id.int, None))
            values["_aad_tail"] = cached
        return cached
