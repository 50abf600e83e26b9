"""The base every section's entries share: encryption, versions, revisions."""

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from passport.encryption.fields import (
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    HistoryQuerySet,
    encrypted_fields,
)
from passport.models.base import EncryptedModel


class AsWritten(str):
    """A value as someone wrote it (free text), not words the app translates. Pages and the
    booklet isolate it with its own direction (`as_written`), so that an English sentence on
    an Arabic page keeps its full stop at its end, and mark its language: `lang` is the
    language it is in, "" when unknown (hers), None when it is mixed with the app's words."""

    lang: str | None

    def __new__(cls, value: str, lang: str | None = None):
        written = super().__new__(cls, value)
        written.lang = lang
        return written


class StaleVersion(Exception):
    """Someone else changed the entry since the writer read it."""

    def __init__(self, expected: int) -> None:
        super().__init__(f"expected version {expected} is no longer current")
        self.expected = expected


PRIVATE_TOPICS = frozenset({
    "sexual_health", "pregnancy", "gender_identity", "substance_use", "mental_health",
})


class Topic(models.TextChoices):
    """What an entry is about, where that decides whether it starts private (docs/architecture.md
    4)."""

    GENERAL = "general", _("General")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Alcohol, drugs or smoking")
    GENDER_IDENTITY = "gender_identity", _("Gender identity")
    SEXUAL_HEALTH = "sexual_health", _("Sexual health")
    PREGNANCY = "pregnancy", _("Pregnancy")


class Entry(EncryptedModel):
    """An entry of a passport section. Never overwritten silently: see passport.records.revisions.

    Each concrete entry type says which section it belongs to (SECTION), its key in URLs and
    the API (TYPE), what its title shows (TITLE_FIELDS), which fields must be filled
    (REQUIRED), whether a young person may add one (OWNER_MAY_ADD), whether it starts private
    (DEFAULT_PRIVATE, or a private `topic`), and which dates may lie before birth or in the
    future. Its content fields are its encrypted fields, in the order declared.
    """

    SECTION: ClassVar[str]
    TYPE: ClassVar[str]
    TITLE_FIELDS: ClassVar[tuple[str, ...]] = ()
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    OWNER_MAY_ADD: ClassVar[bool] = False
    # The young person's own words: only she adds or changes them (the health team reads).
    OWNER_ONLY: ClassVar[bool] = False
    # Private whatever anyone asks: no form offers the choice and no action takes it.
    ALWAYS_PRIVATE: ClassVar[bool] = False
    SINGLE: ClassVar[bool] = False  # at most one live entry per passport (a profile)
    DEFAULT_PRIVATE: ClassVar[bool] = False
    DATES_BEFORE_BIRTH: ClassVar[frozenset[str]] = frozenset()
    DATES_IN_FUTURE: ClassVar[frozenset[str]] = frozenset()
    # Editable fields that are not encrypted (dates that drive clocks, flags, areas).
    PLAIN_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Confirmations a writer gives with one save, never stored: name -> (the field it follows
    # on the form, its label).
    CONFIRMS: ClassVar[dict[str, tuple[str, Any]]] = {}
    # What to say when a required field is empty, where a plain "Choose one." or "Enter a
    # date." would not tell a busy writer enough (see `missing`).
    MISSING: ClassVar[dict[str, Any]] = {}

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)
    is_private = models.BooleanField(
        _("private"), default=False,
        help_text=_("Only the young person and their health team can see a private entry."),
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Added by the young person: shown as "added by me" until a health professional confirms.
    added_by_young_person = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # Never content: this string reaches the admin log and error reports.
        return f"{self.TYPE} entry {str(self.pk)[:8]}"

    is_locked = False  # a signed-off assessment is (Assessment.is_locked)

    def check_amendable(self) -> None:
        """Raise a ValidationError if this entry may not be changed now (a signed-off
        assessment, for one)."""

    def delete(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise HistoryQuerySet.refusal(self)

    @classmethod
    def content_fields(cls) -> list[models.Field]:
        """What a writer fills in: the plain editable fields, then the encrypted ones."""
        plain = [cls._meta.get_field(name) for name in cls.PLAIN_FIELDS]
        return plain + encrypted_fields(cls)

    @classmethod
    def missing(cls, name: str) -> Any:
        """What an empty required field's error says: the entry type's own words for it, or
        what kind of answer is wanted (an error summary names the field beside it)."""
        if name in cls.MISSING:
            return cls.MISSING[name]
        field = cls._meta.get_field(name)
        if field.choices:
            return _("Choose one.")
        if isinstance(field, models.DateField | EncryptedDateField):
            return _("Enter a date.")
        return _("Fill this in.")

    @classmethod
    def content_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in cls.content_fields())

    @property
    def section_key(self) -> str:
        return self.SECTION

    def content(self) -> dict[str, Any]:
        """What a version of this entry says: its content fields and whether it is private."""
        values = {f.name: getattr(self, f.attname) for f in self.content_fields()}
        return values | {"is_private": self.is_private}

    @classmethod
    def starts_private(cls, fields: dict[str, Any]) -> bool:
        return cls.DEFAULT_PRIVATE or fields.get("topic") in PRIVATE_TOPICS

    @classmethod
    def check_entry(cls, fields: dict[str, Any], born: datetime.date | None,
                    today: datetime.date) -> None:
        """Rules across fields, run on the whole entry as it would be saved; every problem
        at once, as one ValidationError."""
        errors = cls.entry_errors(fields, born, today)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def entry_errors(cls, fields: dict[str, Any], born: datetime.date | None,
                     today: datetime.date) -> dict[str, list[str]]:
        """Required fields, and no date before birth or in the future unless the field allows
        it. Entry types add their own rules by extending this."""
        errors: dict[str, list[str]] = {}
        for name in cls.REQUIRED:
            if fields.get(name) in (None, ""):
                errors.setdefault(name, []).append(cls.missing(name))
        for field in cls.content_fields():
            value = fields.get(field.name)
            if not isinstance(value, datetime.date):
                continue
            if born and value < born and field.name not in cls.DATES_BEFORE_BIRTH:
                errors.setdefault(field.name, []).append(
                    _("This date is before the date of birth."))
            if value > today and field.name not in cls.DATES_IN_FUTURE:
                errors.setdefault(field.name, []).append(_("This date is in the future."))
        return errors

    def title(self) -> str:
        parts = [self.display_value(name) for name in self.TITLE_FIELDS]
        title = " · ".join(p for p in parts if p) or capfirst(str(self._meta.verbose_name))
        written = [p for p in parts if isinstance(p, AsWritten)]
        if not written:
            return title
        # Someone's words beside the app's (a name and a translated role): isolated, its
        # direction its own, its language not claimed.
        langs = {p.lang for p in written}
        only_written = len(written) == len([p for p in parts if p])
        return AsWritten(title, langs.pop() if only_written and len(langs) == 1 else None)

    def display_value(self, name: str) -> str:
        value = self.shown(self._meta.get_field(name), getattr(self, name))
        if isinstance(value, AsWritten):
            # Her own words are in whatever language she wrote them; her health team's are
            # in the language the record is kept in.
            return AsWritten(value, "" if self.added_by_young_person
                             else settings.RECORD_LANGUAGE)
        return value

    @staticmethod
    def shown(field: models.Field, value: Any) -> str:
        """A value as a person reads it: the label of a choice, a date in words, yes or no."""
        if value is None or value == "":
            return ""
        if isinstance(field, models.ForeignKey) and not isinstance(value, models.Model):
            value = field.related_model.objects.filter(pk=value).first() or ""
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, str) and isinstance(field, models.DateField | EncryptedDateField):
            value = datetime.date.fromisoformat(value)
        if isinstance(value, datetime.date):
            return date_format(value, "j F Y")
        if isinstance(value, str):
            return AsWritten(value)
        return str(value)

    @classmethod
    def describe(cls, content: dict[str, Any], *, her_age: int | None = None
                 ) -> list[tuple[str, str]]:
        """(label, value) for a stored version's content (a revision's snapshot). `her_age`:
        she is reading her own entry's history, at this age (an entry type may show her less,
        as it does on its page)."""
        rows = []
        for field in cls.content_fields():
            shown = cls.shown(field, content.get(field.name))
            if shown:
                rows.append((capfirst(str(field.verbose_name)), shown))
        return rows

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) for each filled field that the title does not already show."""
        return [
            (capfirst(str(f.verbose_name)), self.display_value(f.name))
            for f in self.content_fields()
            if f.name not in self.TITLE_FIELDS and self.display_value(f.name)
        ]

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update) -> bool:
        # The version check and the write are one UPDATE ... WHERE version = expected.
        expected = getattr(self, "_expected_version", None)
        if expected is not None:
            base_qs = base_qs.filter(version=expected)
        updated = super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        if expected is not None and not updated:
            raise StaleVersion(expected)
        return updated


class Revision(EncryptedModel):
    """One version of one entry, as written: its content (encrypted), who, when and why."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=32)
    entry_type = models.CharField(max_length=64)
    entry_id = models.UUIDField()
    version = models.PositiveIntegerField()
    content = EncryptedJSONField()
    reason = EncryptedTextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry_id", "version"], name="one_revision_per_version")
        ]
        indexes = [models.Index(fields=["entry_id", "version"])]

    def __str__(self) -> str:
        return f"revision {self.version} of {self.entry_id}"

    is_locked = False  # a signed-off assessment is (Assessment.is_locked)

    def check_amendable(self) -> None:
        """Raise a ValidationError if this entry may not be changed now (a signed-off
        assessment, for one)."""

    def delete(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise HistoryQuerySet.refusal(self)

    @property
    def fields(self) -> dict[str, Any]:
        return self.content or {}
