"""SNOMED CT identifiers (SCTIDs): a code a nurse types is taken only if it can be a concept.

An SCTID is 6 to 18 digits, no leading zero: an item identifier, a two-digit partition
identifier and a check digit (SNOMED CT Technical Implementation Guide, section 6, "SNOMED CT
identifiers"). The partition says what the identifier names: "00" a concept of the
International Release, "10" a concept of an extension with its own namespace (the UK's dm+d
medicines and vaccines are); descriptions and relationships (01, 02, 11, 12) are never codes. The
check digit is Verhoeff's dihedral check (Verhoeff, 1969), as the guide specifies: it catches
every single mistyped digit and every swap of two neighbouring digits.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONCEPT_PARTITIONS = frozenset({"00", "10"})

# The dihedral group D5: _D[a][b] is a * b.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6), (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4), (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
# The position permutations: the first applied 0 to 7 times (worked out, not typed, so that a
# slip in a typed table cannot reject real codes).
_FIRST = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)
_P: list[tuple[int, ...]] = [tuple(range(10))]
for _power in range(7):
    _P.append(tuple(_FIRST[x] for x in _P[-1]))


def verhoeff_valid(digits: str) -> bool:
    """Whether the last digit is the Verhoeff check digit of the ones before it."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def is_concept_id(code: str) -> bool:
    code = code.strip()
    return (code.isascii() and code.isdigit() and 6 <= len(code) <= 18
            and not code.startswith("0") and code[-3:-1] in CONCEPT_PARTITIONS
            and verhoeff_valid(code))


def validate_concept_id(value: str) -> None:
    if value and not is_concept_id(str(value)):
        raise ValidationError(
            _("This is not a SNOMED CT concept code: check each digit (it is 6 to 18 digits, "
              "and its last digit checks the others). Leave it empty if you are not sure."),
            code="snomed")
