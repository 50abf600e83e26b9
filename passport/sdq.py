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
