"""The table of data keys, owned by the encryption package: passport.encryption.keys reads and
writes it without importing the models that use it, so encrypted fields, keys and models import
in one direction (fields -> keys -> this; models -> fields)."""

from django.db import models


class DataKeyRecord(models.Model):
    """A passport's data key, wrapped by a key-encryption key. `wrapped` is NULL once erased."""

    passport = models.ForeignKey("passport.Passport", on_delete=models.CASCADE,
                                 related_name="data_keys")
    version = models.PositiveSmallIntegerField()
    kek_id = models.CharField(max_length=64)
    wrapped = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["passport", "version"], name="one_key_per_version")
        ]

    def __str__(self) -> str:
        return f"data key v{self.version} of {self.passport_id}"
