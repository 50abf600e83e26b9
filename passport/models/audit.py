from django.conf import settings
from django.db import models

GLOBAL_CHAIN = "global"


class AuditEvent(models.Model):
    """Append-only (database triggers refuse UPDATE and DELETE), hash-chained per passport.

    Holds identifiers and section keys, never content.
    """

    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )
    basis = models.CharField(max_length=20, blank=True)
    passport = models.ForeignKey(
        "passport.Passport", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )
    section = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=40)
    object_id = models.UUIDField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="one_event_per_seq")]

    def __str__(self) -> str:
        return f"{self.action} #{self.seq} in {self.chain}"


class AuditChainHead(models.Model):
    """The signed head of each chain: where it ends. A missing tail no longer matches it."""

    chain = models.CharField(max_length=40, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head of {self.chain} at {self.seq}"
