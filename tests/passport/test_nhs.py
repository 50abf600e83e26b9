import pytest
from django.core.exceptions import ValidationError

from passport.clinical import nhs

VALID = ["943 476 5919", "9434765919", "943-476-5919", "999 000 1111", "485 777 3457",
         "401 023 2137"]
INVALID = [
    "943 476 5918",  # wrong check digit
    "943 476 591",  # nine digits
    "943 476 59190",  # eleven digits
    "ABC 476 5919",
    "",
    "123 456 7890",  # check digit would be 10: no valid number starts like this
    "٩٤٣٤٧٦٥٩١٩",  # Arabic-Indic digits are not NHS numbers
]


@pytest.mark.parametrize("number", VALID)
def test_it_accepts_valid_numbers(number):
    assert nhs.is_valid(number)
    assert len(nhs.normalise(number)) == 10


@pytest.mark.parametrize("number", INVALID)
def test_it_refuses_invalid_numbers(number):
    with pytest.raises(ValidationError):
        nhs.normalise(number)


def test_it_explains_a_wrong_check_digit_differently_from_a_wrong_length():
    with pytest.raises(ValidationError) as checksum:
        nhs.normalise("943 476 5918")
    with pytest.raises(ValidationError) as length:
        nhs.normalise("943 476")
    assert checksum.value.code == "checksum"
    assert length.value.code == "format"
    assert "10 digits" in length.value.messages[0]


def test_it_displays_three_three_four():
    assert nhs.display("9434765919") == "943 476 5919"


def test_a_check_digit_of_eleven_means_zero():
    # 1 1 1 1 1 1 1 1 1 weighted 10..2 sums to 54; 54 mod 11 = 10; 11 - 10 = 1.
    assert nhs.check_digit("111111111") == 1
    # Find a nine-digit stem whose sum is a multiple of 11: its check digit must be 0.
    assert nhs.check_digit("000000000") == 0
