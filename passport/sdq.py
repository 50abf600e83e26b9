"""SDQ scoring (RULES.md 2): totals and bands from a versioned cut-off table, per informant.

Only the five scale scores are ever stored (never the questionnaire's items: youthinmind's
copyright). The cut-offs are data, not logic: one named, versioned table; every banded result
records which table banded it. The self-report and teacher rows are marked unconfirmed in
RULES.md and are shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SCALES = ("emotional", "conduct", "hyperactivity", "peer", "prosocial")
DIFFICULTIES = ("emotional", "conduct", "hyperactivity", "peer")

NORMAL, BORDERLINE, CONCERN = "normal", "borderline", "concern"
# Professionals see the DfE words; young people see kinder ones (RULES.md 2).
BAND_LABELS = {NORMAL: _("Normal"), BORDERLINE: _("Borderline"), CONCERN: _("Cause for concern")}
KIND_LABELS = {NORMAL: _("About the same as most people your age"),
               BORDERLINE: _("A bit higher than most"),
               CONCERN: _("Higher than most: worth talking about")}

# (normal up to, borderline up to): above the second is concern. For prosocial, where high is
# good, the numbers are the lowest normal and the lowest borderline score.
TABLE_NAME = "SDQ three-band cut-offs (RULES.md 2), version 2026-01"
CUT_OFFS: dict[str, dict[str, tuple[int, int]]] = {
    "carer": {"total": (13, 16), "emotional": (3, 4), "conduct": (2, 3),
              "hyperactivity": (5, 6), "peer": (2, 3), "prosocial": (6, 5)},
    "self": {"total": (15, 19), "emotional": (5, 6), "conduct": (3, 4),
                     "hyperactivity": (5, 6), "peer": (3, 5), "prosocial": (6, 5)},
    "teacher": {"total": (11, 15), "emotional": (4, 5), "conduct": (2, 3),
                "hyperactivity": (5, 6), "peer": (3, 4), "prosocial": (6, 5)},
}
UNCONFIRMED = frozenset({"self", "teacher"})


def band(informant: str, scale: str, score: int) -> str:
    normal, borderline = CUT_OFFS[informant][scale]
    if scale == "prosocial":  # high is good
        return NORMAL if score >= normal else BORDERLINE if score >= borderline else CONCERN
    return NORMAL if score <= normal else BORDERLINE if score <= borderline else CONCERN


@dataclass(frozen=True)
class Scored:
    informant: str
    scores: dict[str, int]
    total: int
    externalising: int
    internalising: int
    bands: dict[str, str]  # per scale and "total"
    table: str
    unconfirmed: bool


def score(informant: str, scores: dict[str, int]) -> Scored:
    """Totals and bands for one result; the five scales always travel with the total."""
    if informant not in CUT_OFFS:
        raise ValueError(f"unknown informant {informant!r}")
    if set(scores) != set(SCALES) or any(not 0 <= scores[s] <= 10 for s in SCALES):
        raise ValueError("five scale scores from 0 to 10 are needed")
    total = sum(scores[s] for s in DIFFICULTIES)
    bands = {s: band(informant, s, scores[s]) for s in SCALES}
    bands["total"] = band(informant, "total", total)
    return Scored(informant, dict(scores), total, scores["conduct"] + scores["hyperactivity"],
                  scores["emotional"] + scores["peer"], bands, TABLE_NAME,
                  informant in UNCONFIRMED)
