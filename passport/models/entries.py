"""The base every section's entries share: encryption, versions, revisions."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passport.fields import EncryptedJSONField, EncryptedTextField, HistoryQuerySet
from passport.models.base import EncryptedModel


class StaleVersion(Exception):
    """Someone else changed the entry since the writer read it."""

    def __init__(self, expected: int) -> None:
        super().__init__(f"expected version {expected} is no longer current")
        self.expected = expected


class Entry(EncryptedModel):
    """An entry of a passport section. Never overwritten silently: see passport.revisions."""

    SECTION: ClassVar[str]
    CONTENT_FIELDS: ClassVar[tuple[str, ...]]

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

    objects = HistoryQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise HistoryQuerySet.refusal(self)

    def content(self) -> dict[str, Any]:
        """What a version of this entry says: its content fields and whether it is private."""
        values = {name: getattr(self, name) for name in self.CONTENT_FIELDS}
        return values | {"is_private": self.is_private}

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

    def delete(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise HistoryQuerySet.refusal(self)

    @property
    def fields(self) -> dict[str, Any]:
        return self.content or {}
