"""SDQ scoring: totals and bands from versioned cut-off tables, per informant and version.

Only the five scale scores are ever stored (never the questionnaire's items: youthinmind's
copyright). The cut-offs are data, not logic. Two schemes: the original three bands (normal,
borderline, abnormal: the DfE's "cause for concern"), used for the total the DfE return and the
area figures count; and the four bands the SDQ's authors now recommend (close to average,
slightly raised, high, very high; for prosocial, where high is good, slightly lowered, low,
very low), shown to professionals. Every result records which table banded it; a table whose
rows could not be read in a published source is marked unconfirmed and the page says so
(docs/clinical-safety/sources/sdq.md lists the sources and what was not found).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SCALES = ("emotional", "conduct", "hyperactivity", "peer", "prosocial")
DIFFICULTIES = ("emotional", "conduct", "hyperactivity", "peer")

NORMAL, BORDERLINE, CONCERN = "normal", "borderline", "concern"
# The DfE's words for the three bands.
BAND_LABELS = {NORMAL: _("Normal"), BORDERLINE: _("Borderline"), CONCERN: _("Cause for concern")}

# Three bands: (normal up to, borderline up to); above the second is concern. For prosocial,
# where high is good, the numbers are the lowest normal and the lowest borderline score.
TABLE_NAME = _("SDQ three-band cut-offs, version 2026-12")
CUT_OFFS: dict[str, dict[str, tuple[int, int]]] = {
    # Youthinmind, Scoring the SDQ for age 4-17 (parent), as reproduced by BMC Pediatrics 2023
    # (Norway, Table 2, UK column) and BMC Psychiatry 2021 (Mongolia, Table 2): total,
    # emotional, conduct, hyperactivity and peer agree; prosocial differs between them
    # (6-10/5/0-4 here, as the DfE guidance's carer form has it).
    "carer": {"total": (13, 16), "emotional": (3, 4), "conduct": (2, 3),
              "hyperactivity": (5, 6), "peer": (2, 3), "prosocial": (6, 5)},
    # Youthinmind, Scoring the SDQ for 2-4 year olds ("provisional proposed banding", Table 3),
    # as reproduced by BMC Pediatrics 2023 (Norway), Table 3: "the norms for children aged
    # 2-4 years".
    "carer_2_4": {"total": (12, 15), "emotional": (2, 3), "conduct": (3, 4),
                  "hyperactivity": (5, 6), "peer": (2, 3), "prosocial": (7, 6)},
    # Not found in a readable published source: kept from the project's first table.
    "self": {"total": (15, 19), "emotional": (5, 6), "conduct": (3, 4),
             "hyperactivity": (5, 6), "peer": (3, 5), "prosocial": (6, 5)},
    # The abnormal thresholds agree with BMJ Open's teacher table; the rest from a tertiary
    # copy (Wikipedia).
    "teacher": {"total": (11, 15), "emotional": (4, 5), "conduct": (2, 3),
                "hyperactivity": (5, 6), "peer": (3, 4), "prosocial": (6, 5)},
}
UNCONFIRMED = frozenset({"self", "teacher"})

# Four bands: (close to average up to, slightly raised up to, high up to); above is very high.
# For prosocial: the lowest close-to-average, slightly lowered and low scores.
CLOSE, SLIGHTLY, HIGH, VERY_HIGH = "close", "slightly", "high", "very_high"
TABLE4_NAME = _("SDQ four-band cut-offs (4-17), version 2026-12")
CUT_OFFS_4: dict[str, dict[str, tuple[int, int, int]]] = {
    # Youthinmind, Scoring the SDQ for age 4-17, teacher four bands, as reproduced by Qual
    # Life Res 2016;25:913-923 (PMC4830858), Table 1: "Teacher complete | Close to average |
    # Slightly raised/lowered | High/low | Very high/very low".
    "teacher": {"total": (11, 15, 18), "emotional": (3, 4, 5), "conduct": (2, 3, 4),
                "hyperactivity": (5, 7, 8), "peer": (2, 4, 5), "prosocial": (6, 5, 4)},
    # The parent and self-report four-band rows could not be read in a published source;
    # these are youthinmind's rows as the project understands them: unconfirmed.
    "carer": {"total": (13, 16, 19), "emotional": (3, 4, 6), "conduct": (2, 3, 5),
              "hyperactivity": (5, 7, 8), "peer": (2, 3, 4), "prosocial": (8, 7, 6)},
    "self": {"total": (14, 17, 19), "emotional": (4, 5, 6), "conduct": (3, 4, 5),
             "hyperactivity": (5, 6, 7), "peer": (2, 3, 4), "prosocial": (7, 6, 5)},
}
UNCONFIRMED_4 = frozenset({"carer", "self"})
BAND4_LABELS = {CLOSE: _("Close to average"), SLIGHTLY: _("Slightly raised"),
                HIGH: _("High"), VERY_HIGH: _("Very high")}
PROSOCIAL4_LABELS = {CLOSE: _("Close to average"), SLIGHTLY: _("Slightly lowered"),
                     HIGH: _("Low"), VERY_HIGH: _("Very low")}

# For her: under 13, words about what is going well and what her nurse will talk about, never
# scores or bands; from 13, kinder band names with the scores one tap away.
CHILD_WORDS = {"emotional": _("feelings and worries"), "conduct": _("behaviour and temper"),
               "hyperactivity": _("concentrating and sitting still"),
               "peer": _("getting on with other children"),
               "prosocial": _("being kind and helping others")}
KIND4_LABELS = {CLOSE: _("About the same as most people your age"),
                SLIGHTLY: _("A little higher than most"),
                HIGH: _("Higher than most: worth talking about"),
                VERY_HIGH: _("Much higher than most: your nurse will talk with you about it")}
KIND4_PROSOCIAL = {CLOSE: _("About the same as most people your age"),
                   SLIGHTLY: _("A little lower than most"),
                   HIGH: _("Lower than most: worth talking about"),
                   VERY_HIGH: _("Much lower than most: your nurse will talk with you about it")}
WORDS_UNTIL = 13

# Which ages each version is for (youthinmind: parent and teacher 4-17 with a parent version
# for 2-4; self-report 11-17). Birthdays inclusive: "4-17" is from the 4th to the 18th.
AGES = {"carer": (4, 17), "carer_2_4": (2, 4), "teacher": (4, 17), "self": (11, 17)}


def band4(informant: str, scale: str, score: int) -> str | None:
    """The four-band band, or None where no four-band table exists (the 2-4 version)."""
    if informant not in CUT_OFFS_4:
        return None
    close, slightly, high = CUT_OFFS_4[informant][scale]
    if scale == "prosocial":  # high is good
        return (CLOSE if score >= close else SLIGHTLY if score >= slightly
                else HIGH if score >= high else VERY_HIGH)
    return (CLOSE if score <= close else SLIGHTLY if score <= slightly
            else HIGH if score <= high else VERY_HIGH)


def label4(scale: str, band: str) -> str:
    return str((PROSOCIAL4_LABELS if scale == "prosocial" else BAND4_LABELS)[band])


def age_problem(informant: str, age: int | None) -> str | None:
    """Why this version does not fit her age on the day, or None."""
    if informant not in AGES or age is None:
        return None
    youngest, oldest = AGES[informant]
    if youngest <= age <= oldest:
        return None
    if informant == "self":
        return str(_("The self-report SDQ is for ages 11 to 17: for a younger child, choose "
                     "the carer's or the teacher's version."))
    if informant == "carer_2_4":
        return str(_("The version for ages 2 to 4 is for children aged 2 to 4."))
    if informant == "carer" and 2 <= age < 4:
        return str(_("For a child under 4, choose the carer's version for ages 2 to 4."))
    return str(_("The carer's and teacher's SDQ is for ages 4 to 17."))


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
    bands: dict[str, str]  # three bands, per scale and "total"
    table: str
    unconfirmed: bool
    bands4: dict[str, str] | None = None  # four bands, where a table exists
    table4: str = ""
    unconfirmed4: bool = False


def score(informant: str, scores: dict[str, int]) -> Scored:
    """Totals and bands for one result; the five scales always travel with the total."""
    if informant not in CUT_OFFS:
        raise ValueError(f"unknown informant {informant!r}")
    if set(scores) != set(SCALES) or any(not 0 <= scores[s] <= 10 for s in SCALES):
        raise ValueError("five scale scores from 0 to 10 are needed")
    total = sum(scores[s] for s in DIFFICULTIES)
    bands = {s: band(informant, s, scores[s]) for s in SCALES}
    bands["total"] = band(informant, "total", total)
    bands4 = None
    if informant in CUT_OFFS_4:
        bands4 = {s: band4(informant, s, scores[s]) for s in SCALES}
        bands4["total"] = band4(informant, "total", total)
    return Scored(informant, dict(scores), total, scores["conduct"] + scores["hyperactivity"],
                  scores["emotional"] + scores["peer"], bands, TABLE_NAME,
                  informant in UNCONFIRMED, bands4, TABLE4_NAME if bands4 else "",
                  informant in UNCONFIRMED_4)


def trend_svg(points: list[tuple[object, int, str]]) -> str:
    """The totals over time as a small server-drawn SVG line chart (no script, no styles):
    (date, total, band) oldest first. Its text alternative is the list of results the page
    shows with it; the SVG's own title and description say the same in short."""
    from django.utils.formats import date_format
    from django.utils.html import format_html, format_html_join

    if len(points) < 2:
        return ""
    width, height, pad = 320, 160, 28
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day) -> str:
        return f"{pad + (width - 2 * pad) * (day - first).days / span:.1f}"

    def y(total: int) -> str:
        return f"{height - pad - (height - 2 * pad) * total / 40:.1f}"

    grid = format_html_join("", '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#b1b4b6"/>'
                            '<text x="4" y="{}" font-size="11" fill="#505a5f">{}</text>',
                            ((pad, width - pad, y(v), y(v), f"{float(y(v)) + 4:.1f}", v)
                             for v in (0, 10, 20, 30, 40)))
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="4" fill="#005eb8"/>',
                            ((x(d), y(t)) for d, t, _b in points))
    line = " ".join(f"{x(d)},{y(t)}" for d, t, _b in points)
    desc = ", ".join(f"{date_format(d, 'j M Y')}: {t}" for d, t, _b in points)
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="sdq-title sdq-desc"'
        ' focusable="false"><title id="sdq-title">{}</title><desc id="sdq-desc">{}</desc>{}'
        '<polyline points="{}" fill="none" stroke="#005eb8" stroke-width="2"/>{}</svg>',
        width, height, _("SDQ total difficulties over time"), desc, grid, line, dots)
