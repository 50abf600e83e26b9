"""NHS numbers (docs/clinical-rules.md section 4): ten digits, the tenth a modulus-11 check
digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SEPARATORS = str.maketrans("", "", " -")


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no check digit can make them valid."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def normalise(value: str) -> str:
    """Digits only, or a ValidationError saying what is wrong."""
    digits = value.strip().translate(SEPARATORS)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise ValidationError(_("An NHS number has 10 digits, like 943 476 5919."), code="format")
    if check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("This is not a valid NHS number: please check the digits."), code="checksum"
        )
    return digits


def is_valid(value: str) -> bool:
    try:
        normalise(value)
    except ValidationError:
        return False
    return True


def display(digits: str) -> str:
    """3-3-4, the way the NHS prints it: 943 476 5919."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
