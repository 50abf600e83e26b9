"""Second-factor devices whose secrets are not in clear (decision 0026).

django-otp's own TOTPDevice keeps the authenticator's key, and StaticToken each backup code, as
plain text: anyone who reads the database computes every professional's codes. These two are
django-otp devices (found by `devices_for_user`, used by `match_token` and the OTP middleware)
that keep the key sealed under the keyring's key-encryption key, bound to the device's row, and
each backup code only as a keyed hash.
"""

from __future__ import annotations

import base64
import time
import uuid
from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends


def seal(device_id, secret: bytes, purpose: str = "totp") -> str:
    """The secret wrapped by the keyring's current key-encryption key, bound to the device
    (its row) and to what it is for: an authenticator's key, or a phone's push subscription."""
    from passport.encryption import keys

    ring = keys.keyring()
    kek_id = ring.current_kek_id
    wrapped = ring.wrap(kek_id, secret, _aad(device_id, kek_id, purpose))
    return f"{kek_id}:{base64.b64encode(wrapped).decode('ascii')}"


def unseal(device_id, sealed: str, purpose: str = "totp") -> bytes:
    from passport.encryption import keys

    kek_id, _sep, blob = sealed.partition(":")
    return keys.keyring().unwrap(kek_id, base64.b64decode(blob),
                                 _aad(device_id, kek_id, purpose))


def sealed_under(sealed: str) -> str:
    """The key-encryption key a sealed value needs."""
    return sealed.partition(":")[0]


def _aad(device_id, kek_id: str, purpose: str) -> bytes:
    return f"{purpose}|{device_id}|{kek_id}".encode()


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238): 6 digits, 30 seconds, no neighbouring windows
    unless `tolerance` says so, each code once."""

    sealed_key = models.TextField(editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=0)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    @classmethod
    def create_for(cls, user, *, name: str, confirmed: bool, secret: bytes | None = None,
                   tolerance: int = 0) -> Authenticator:
        import os

        device = cls(user=user, name=name, confirmed=confirmed, tolerance=tolerance)
        device.save()  # an id first: the sealed key is bound to it
        device.sealed_key = seal(device.pk, secret or os.urandom(SECRET_BYTES))
        device.save(update_fields=["sealed_key"])
        return device

    @property
    def bin_key(self) -> bytes:
        return unseal(self.pk, self.sealed_key)

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            token = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(token, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    @property
    def config_url(self) -> str:
        """otpauth:// for the QR code an authenticator app scans."""
        issuer = getattr(settings, "OTP_TOTP_ISSUER", "") or ""
        label = self.user.get_username()
        params = urlencode({"secret": b32encode(self.bin_key), "algorithm": "SHA1",
                            "digits": self.digits, "period": self.step})
        if issuer:
            issuer = issuer.replace(":", "")
            label = f"{issuer}:{label}"
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"


class BackupCodes(TimestampMixin, ThrottlingMixin, Device):
    """Ten single-use codes, each kept only as an HMAC under the keyring's index key: a copy of
    the database cannot even be searched for them without the keyring."""

    class Meta(Device.Meta):
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")

    def add(self, code: str) -> None:
        BackupCode.objects.create(device=self, code_hash=backup_hash(self.pk, code))

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        found = BackupCode.objects.filter(
            device=self, code_hash=backup_hash(self.pk, str(token or ""))).first()
        if found is None:
            self.throttle_increment(commit=True)
            return False
        found.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)


class BackupCode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    device = models.ForeignKey(BackupCodes, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=100, db_index=True)

    def __str__(self) -> str:
        return f"backup code {str(self.pk)[:8]}"


def backup_hash(device_id, code: str) -> str:
    from passport.encryption import keys

    return keys.keyring().blind_index("backup-code", f"{device_id}|{code.strip().lower()}")
