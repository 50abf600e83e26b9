"""Encrypted model fields.

The column holds ciphertext (bytes); the attribute holds plaintext. Values decrypt lazily on
first access, with the passport's data key from the current key scope, and encrypt in
`pre_save`, bound to model, field, row and passport. Encrypted columns cannot be searched or
bulk-written: there is nothing meaningful to compare, and a bulk write would skip encryption.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from passport.encryption import crypto, keys

logger = logging.getLogger(__name__)


class Slot:
    """One encrypted attribute of one row: its ciphertext and, once read, its plaintext."""

    __slots__ = ("ciphertext", "has_plaintext", "plaintext")

    def __init__(self, ciphertext: bytes | None, plaintext: Any, has_plaintext: bool) -> None:
        self.ciphertext = ciphertext
        self.plaintext = plaintext
        self.has_plaintext = has_plaintext

    @classmethod
    def loaded(cls, value: bytes | memoryview | None) -> Slot:
        if value is None:
            return cls(None, None, True)
        return cls(value if type(value) is bytes else bytes(value), None, False)


class EncryptedAttribute:
    """Bytes from the database are ciphertext; anything else assigned is new plaintext."""

    def __init__(self, field: EncryptedField) -> None:
        self.field = field
        self.attname = field.attname

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        try:
            slot: Slot = instance.__dict__[self.attname]
        except KeyError:  # a deferred field: fetch its ciphertext alone
            manager = type(instance)._base_manager
            value = manager.filter(pk=instance.pk).values_list(self.attname, flat=True).get()
            slot = instance.__dict__[self.attname] = Slot.loaded(value)
        if slot.has_plaintext:
            return slot.plaintext
        value = slot.plaintext = self.field.decrypt(instance, slot.ciphertext)
        slot.has_plaintext = True
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        if value is None or isinstance(value, memoryview | bytes | bytearray):
            slot = Slot.loaded(value)
        else:
            slot = Slot(None, self.field.to_plain(value), True)
        instance.__dict__[self.field.attname] = slot


class EncryptedField(models.BinaryField):
    descriptor_class = EncryptedAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # NULL is "no value"; whether a value is required is the form's and the action's job.
        kwargs["null"] = True
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        for key in ("null", "default", "blank", "editable"):
            kwargs.pop(key, None)
        return name, f"passport.encryption.fields.{type(self).__name__}", args, kwargs

    # --- conversions: text here; subclasses for other types -----------------------------
    def to_plain(self, value: Any) -> Any:
        return str(value)

    def encode(self, value: Any) -> bytes:
        return value.encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return data.decode("utf-8")

    # --- encryption ------------------------------------------------------------------------
    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        # Computed once per concrete model: part of every value's associated data.
        self.label = f"{cls._meta.label_lower}.{name}"
        self.label_bytes = self.label.encode()

    def _where(self, instance: models.Model) -> str:
        return f"{self.label} of row {instance.pk}"

    def encrypt(self, instance: models.Model, value: Any) -> bytes:
        _row, tail, passport_id, _scope_key = instance.aad_tail()
        key = keys.data_key(passport_id)
        return key.encrypt(self.encode(value), self.label_bytes + tail)

    def decrypt(self, instance: models.Model, blob: bytes | None) -> Any:
        if blob is None:
            return None
        # The hot path, once per value read: kept to a few dictionary look-ups (bench/decrypt.py).
        _row, tail, passport_id, scope_key = (
            instance.__dict__.get("_aad_tail") or instance.aad_tail()
        )
        cache = crypto.scope_cache()
        key = cache.get(scope_key) if cache is not None else None
        try:
            if key is None or blob[1:3] != key.version_bytes:
                key = keys.data_key(passport_id, crypto.key_version_of(blob))
            data = key.decrypt(blob, self.label_bytes + tail)
        except crypto.ErasedError:
            raise
        except crypto.CryptoError as exc:
            logger.error("decryption failed for %s: %s", self._where(instance), exc)
            raise crypto.DecryptionError(f"cannot decrypt {self._where(instance)}") from exc
        return self.decode(data)

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes | None:
        slot: Slot | None = model_instance.__dict__.get(self.attname)
        if slot is None:
            return None
        if slot.ciphertext is None and slot.plaintext is not None:
            slot.ciphertext = self.encrypt(model_instance, slot.plaintext)
        return slot.ciphertext

    def value_to_string(self, obj: models.Model) -> str:
        """Serialisers (dumpdata) get the ciphertext, never the plaintext."""
        slot: Slot | None = obj.__dict__.get(self.attname)
        if slot is None or slot.ciphertext is None:
            return ""
        return base64.b64encode(slot.ciphertext).decode("ascii")

    def get_lookup(self, lookup_name: str):  # type: ignore[override]
        if lookup_name != "isnull":
            raise FieldError(f"{self.label} is encrypted and cannot be searched")
        return super().get_lookup(lookup_name)


class EncryptedTextField(EncryptedField):
    """Text: the base field's own conversions. `long` asks forms for a text area."""

    def __init__(self, *args: Any, long: bool = False, **kwargs: Any) -> None:
        self.long = long
        super().__init__(*args, **kwargs)

    @property
    def text_limit(self) -> int:
        """The most characters it takes, from a page, the API or an import alike."""
        return 5000 if self.long else 500

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.long:
            kwargs["long"] = True
        return name, path, args, kwargs


class EncryptedIntegerField(EncryptedField):
    def to_plain(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{self.label} takes a whole number")
        return value

    def encode(self, value: int) -> bytes:
        return str(value).encode("ascii")

    def decode(self, data: bytes) -> int:
        return int(data)


class EncryptedDecimalField(EncryptedField):
    def __init__(self, *args: Any, decimal_places: int = 1, **kwargs: Any) -> None:
        self.decimal_places = decimal_places
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["decimal_places"] = self.decimal_places
        return name, path, args, kwargs

    def to_plain(self, value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise TypeError(f"{self.label} takes a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise TypeError(f"{self.label} takes a number") from None
        if not number.is_finite():
            raise TypeError(f"{self.label} takes a number")
        # Kept as a person writes it: 1e2 (which a number field accepts) is kept as 100, so it
        # is never shown as 1E+2.
        return Decimal(format(number, "f"))

    def encode(self, value: Decimal) -> bytes:
        return str(value).encode("ascii")

    def decode(self, data: bytes) -> Decimal:
        return Decimal(data.decode("ascii"))


class EncryptedBooleanField(EncryptedField):
    """Yes or no; None is "not recorded"."""

    def to_plain(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise TypeError(f"{self.label} takes yes or no")
        return value

    def encode(self, value: bool) -> bytes:
        return b"1" if value else b"0"

    def decode(self, data: bytes) -> bool:
        return data == b"1"


class EncryptedDateField(EncryptedField):
    def to_plain(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise TypeError(f"{self.label} takes a date")
        return value

    def encode(self, value: datetime.date) -> bytes:
        return value.isoformat().encode("ascii")

    def decode(self, data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode("ascii"))


class EncryptedJSONField(EncryptedField):
    def to_plain(self, value: Any) -> Any:
        return value

    def encode(self, value: Any) -> bytes:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return json.loads(data)


def normalise_text(value: str) -> str:
    """Text as it is kept: without surrounding space, and with one kind of line break. A
    browser sends a text area's line breaks as CR LF whatever it was given, so without this a
    note saved untouched would come back changed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_value(field: EncryptedField, value: Any) -> Any:
    """A value for `field` from outside (a form, the API, an action's caller): converted to the
    field's type and checked against its choices and validators, or a ValidationError that
    names the field in plain words."""
    if value is None or value == "":
        return None
    try:
        value = field.to_plain(value)
    except TypeError:
        raise ValidationError({field.name: _("Enter a valid value.")}) from None
    if field.choices and value not in {choice for choice, _label in field.flatchoices}:
        raise ValidationError({field.name: _("Choose one of the options.")})
    if isinstance(field, EncryptedTextField) and len(value) > field.text_limit:
        raise ValidationError({field.name: _(
            "Keep this to %(limit)s characters or fewer.") % {"limit": field.text_limit}})
    try:
        field.run_validators(value)
    except ValidationError as error:
        raise ValidationError({field.name: error.messages}) from None
    return value


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


class BulkWriteRefused(FieldError):
    pass


class EncryptedQuerySet(models.QuerySet):
    """Refuses writes that would bypass encryption, revisions and the audit log."""

    def update(self, **kwargs: Any) -> int:
        blocked = {f.name for f in encrypted_fields(self.model)} & set(kwargs)
        if blocked:
            raise BulkWriteRefused(
                f"update() would write {sorted(blocked)} of {self.model._meta.label} unencrypted"
            )
        return super().update(**kwargs)

    def bulk_create(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise BulkWriteRefused(
            f"bulk_create() is refused on {self.model._meta.label}: save through an action"
        )

    def bulk_update(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise BulkWriteRefused(
            f"bulk_update() is refused on {self.model._meta.label}: save through an action"
        )


class HistoryQuerySet(EncryptedQuerySet):
    """For entries and their revisions: every change goes through an action, which keeps the
    earlier version and writes the audit row. No bulk update or delete at all."""

    def update(self, **kwargs: Any) -> int:
        raise BulkWriteRefused(
            f"update() is refused on {self.model._meta.label}: amend through an action"
        )

    def update_derived(self, **kwargs: Any) -> int:
        """Write the model's derived dates (its DERIVED_FIELDS: plain, worked out from the
        record, not content, so outside its revisions) and nothing else."""
        refused = set(kwargs) - set(getattr(self.model, "DERIVED_FIELDS", ()))
        if not kwargs or refused:
            raise BulkWriteRefused(
                f"update_derived() would write {sorted(refused)} of {self.model._meta.label}")
        return models.QuerySet.update(self, **kwargs)

    def delete(self):  # type: ignore[override]
        raise BulkWriteRefused(f"delete() is refused on {self.model._meta.label}")

    @staticmethod
    def refusal(instance: models.Model) -> BulkWriteRefused:
        return BulkWriteRefused(f"{instance._meta.label} rows are never deleted one by one")
