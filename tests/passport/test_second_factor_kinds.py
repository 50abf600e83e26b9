"""`has_second_factor` asks every kind of device in one statement of its own: it must give the
answer django-otp's own question gives, for every kind installed, or a young person who turned
a second factor on would be let in without it."""

import hashlib

import pytest
from django_otp import device_classes, user_has_device
from django_otp_webauthn.models import WebAuthnCredential

from passport.accounts.twofactor import has_second_factor
from passport.models import Authenticator, BackupCodes, Role
from tests.conftest import make_user


def _device(kind, user, confirmed: bool):
    if kind is Authenticator:
        return Authenticator.create_for(user, name="phone", confirmed=confirmed)
    if kind is BackupCodes:
        return BackupCodes.objects.create(user=user, name="codes", confirmed=confirmed)
    if kind is WebAuthnCredential:
        credential = f"{user.username}-{confirmed}".encode()
        return WebAuthnCredential.objects.create(
            user=user, name="key", confirmed=confirmed, credential_id=credential,
            credential_id_sha256=hashlib.sha256(credential).hexdigest(), public_key=b"key")
    raise AssertionError(f"a kind of device this test does not know: {kind}")


def test_every_installed_kind_is_known_here():
    assert set(device_classes()) == {Authenticator, BackupCodes, WebAuthnCredential}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [Authenticator, BackupCodes, WebAuthnCredential],
                         ids=lambda k: k.__name__)
def test_the_same_answer_as_django_otp(kind):
    her, other = make_user("her", Role.YOUNG_PERSON), make_user("other", Role.YOUNG_PERSON)
    assert has_second_factor(her) is False
    _device(kind, other, confirmed=True)  # someone else's device is not hers
    _device(kind, her, confirmed=False)  # nor is one she has not confirmed
    assert has_second_factor(her) is user_has_device(her, confirmed=True) is False
    device = _device(kind, her, confirmed=True)
    assert has_second_factor(her) is user_has_device(her, confirmed=True) is True
    device.delete()
    assert has_second_factor(her) is False
