"""KEK rotation: re-wrap every data key under the current KEK, then prove nothing was lost."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from passport.encryption import crypto, keys
from passport.encryption.fields import encrypted_fields
from passport.models import DataKeyRecord, Passport
from passport.models.base import EncryptedModel


@dataclass
class RotationReport:
    rewrapped: int = 0
    already_current: int = 0
    from_keks: Counter[str] = field(default_factory=Counter)
    rows_checked: int = 0
    values_checked: int = 0
    failures: list[str] = field(default_factory=list)


def rewrap_all(report: RotationReport) -> None:
    keyring = keys.keyring()
    live = DataKeyRecord.objects.filter(wrapped__isnull=False).order_by("passport_id", "version")
    stale = live.exclude(kek_id=keyring.current_kek_id).values_list("pk", flat=True)
    report.already_current = live.filter(kek_id=keyring.current_kek_id).count()
    for pk in list(stale):
        with transaction.atomic():
            # Locked and re-read: an erasure that landed meanwhile is never undone.
            record = DataKeyRecord.objects.select_for_update().filter(
                pk=pk, wrapped__isnull=False).first()
            if record is None:
                continue
            new_id, wrapped = crypto.rewrap_data_key(
                keyring, record.passport_id, record.version, record.kek_id, bytes(record.wrapped)
            )
            report.from_keks[record.kek_id] += 1
            DataKeyRecord.objects.filter(pk=record.pk, wrapped__isnull=False).update(
                kek_id=new_id, wrapped=wrapped, rewrapped_at=timezone.now()
            )
        report.rewrapped += 1
    reseal_authenticators(report)


def reseal_authenticators(report: RotationReport) -> None:
    """Secrets sealed under a key-encryption key outside the data keys are re-sealed the same
    way: authenticator keys, and her phones' push subscriptions (passport/accounts/push.py)."""
    from passport.accounts.push import SEALED_AS
    from passport.models import PushSubscription
    from passport.models.devices import Authenticator

    _reseal(report, Authenticator, "sealed_key", "totp")
    _reseal(report, PushSubscription, "sealed", SEALED_AS)


def _reseal(report: RotationReport, model, field: str, purpose: str) -> None:
    """Each row's `field`, sealed for `purpose`, moved to the current key-encryption key, one
    locked row at a time."""
    from passport.models.devices import seal, sealed_under, unseal

    current = keys.keyring().current_kek_id
    for pk in list(model.objects.exclude(**{f"{field}__startswith": f"{current}:"})
                   .values_list("pk", flat=True)):
        with transaction.atomic():
            found = model.objects.select_for_update().filter(pk=pk).first()
            if found is None or sealed_under(getattr(found, field)) == current:
                continue
            report.from_keks[sealed_under(getattr(found, field))] += 1
            model.objects.filter(pk=pk).update(**{field: seal(
                pk, unseal(pk, getattr(found, field), purpose), purpose)})
        report.rewrapped += 1


def encrypted_models() -> list[type[EncryptedModel]]:
    return [
        m for m in apps.get_models()
        if issubclass(m, EncryptedModel) and not m._meta.abstract and encrypted_fields(m)
    ]


def verify_all_values(report: RotationReport) -> None:
    """Decrypt every value of every live passport: the proof that rotation lost nothing."""
    live = set(Passport.objects.filter(erased_at__isnull=True).values_list("pk", flat=True))
    for model in encrypted_models():
        names = [f.name for f in encrypted_fields(model)]
        passport_field = "pk" if model is Passport else "passport_id"
        previous = None
        for row in model.objects.order_by(passport_field).iterator(500):
            passport_id = getattr(row, passport_field)
            if passport_id != previous and previous is not None:
                keys.forget(previous)  # rows come by passport: hold one key at a time
            previous = passport_id
            if passport_id not in live:
                continue
            report.rows_checked += 1
            for name in names:
                try:
                    getattr(row, name)
                except crypto.CryptoError as exc:
                    report.failures.append(f"{model._meta.label}.{name} {row.pk}: {exc}")
                else:
                    report.values_checked += 1


def kek_in_use(kek_id: str) -> int:
    from passport.models import PushSubscription
    from passport.models.devices import Authenticator

    return (DataKeyRecord.objects.filter(kek_id=kek_id, wrapped__isnull=False).count()
            + Authenticator.objects.filter(sealed_key__startswith=f"{kek_id}:").count()
            + PushSubscription.objects.filter(sealed__startswith=f"{kek_id}:").count())
