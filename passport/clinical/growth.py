"""Growth: centiles and standard deviation scores worked out from a measurement, never typed.

The references are the UK-WHO growth references, as the RCPCH publishes them and its
`rcpchgrowth` library computes them (docs/clinical-safety/growth.md):
- from birth to 2 weeks, and from 4 years to 20, the UK 1990 reference (Cole, Freeman and
  Preece, 1998); from 2 weeks to 4 years, the WHO Child Growth Standards (2006). Source: RCPCH,
  "UK-WHO growth charts 0-4 years" (2009) and "UK growth chart 2-18 years" (2012).
- a baby born before 37 weeks is read at her corrected age: to her first birthday if born at
  32 to 36 weeks, to her second if born before 32 weeks (`correction`). Source: RCPCH,
  "UK-WHO growth charts: fact sheet, Plotting preterm infants" (2009).
- a measurement more than 4 standard deviations from the average is far more likely a slip
  than a child: the RCPCH's charts stop at about 3.5, and the nurse confirms such a value before
  it is saved (decision 0031).

The references are by sex, so a centile needs her sex (Passport.sex), which only she and her
health team read (Reach.sex): others see the measurement without a centile.
"""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFERENCE = "uk-who"
# Beyond this many standard deviations a value is asked to be confirmed (decision 0031).
CONFIRM_BEYOND_SDS = 4
# The centile lines the RCPCH draws: nine, two thirds of a standard deviation apart.
CENTILES = (0.4, 2, 9, 25, 50, 75, 91, 98, 99.6)

# Our field, its rcpchgrowth method, its name, its unit.
METHODS = (
    ("height_cm", "height", gettext_lazy("Height"), "cm"),
    ("weight_kg", "weight", gettext_lazy("Weight"), "kg"),
    ("bmi", "bmi", gettext_lazy("Body mass index"), "kg/m²"),
    ("head_circumference_cm", "ofc", gettext_lazy("Head circumference"), "cm"),
)
NAMES = {field: name for field, _method, name, _unit in METHODS}
UNITS = {field: unit for field, _method, _name, unit in METHODS}
RCPCH_METHOD = {field: method for field, method, _name, _unit in METHODS}
MEASURED = frozenset({"height_cm", "weight_kg", "head_circumference_cm"})  # BMI is worked out


@dataclass(frozen=True)
class Child:
    """What a centile depends on besides the measurement."""
    born: datetime.date
    sex: str  # "female" or "male"; "" when the reader may not know it or it is not recorded
    gestation_weeks: int | None = None
    gestation_days: int | None = None


@dataclass(frozen=True)
class Reading:
    """One measurement as the reference reads it."""
    field: str
    value: Decimal
    on: datetime.date
    sds: float | None = None
    centile: float | None = None
    corrected: bool = False  # read at her age corrected for being born early
    age: float | None = None  # in years, as the reference read it (corrected if so)
    term_assumed: bool = False  # under 2 with no gestation recorded: read as born at term
    why_none: str = ""  # why there is no centile, in words

    @property
    def name(self) -> str:
        return str(NAMES[self.field])

    @property
    def shown(self) -> Decimal:
        """The value as written (BMI to one decimal, half up)."""
        if self.field == "bmi":
            return self.value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return self.value

    @property
    def unit(self) -> str:
        return UNITS[self.field]

    @property
    def far_out(self) -> bool:
        return self.sds is not None and abs(self.sds) > CONFIRM_BEYOND_SDS

    @property
    def centile_words(self) -> str:
        """For professionals: "33rd centile", "below the 0.4th centile"."""
        if self.centile is None:
            return ""
        if self.centile < 0.4:
            return _("below the 0.4th centile")
        if self.centile > 99.6:
            return _("above the 99.6th centile")
        if self.centile < 1 or self.centile > 99:
            return _("%(centile)s centile") % {"centile": f"{self.centile:.1f}"}
        return _("%(centile)s centile") % {"centile": _ordinal(round(self.centile))}

    @property
    def for_her(self) -> str:
        """In plain words for her: where she is against others of her age, no numbers that need
        explaining, and nothing that reads as a judgement of her body (decision 0031)."""
        if self.centile is None:
            return ""
        if 9 <= self.centile <= 91 and self.field == "height_cm":
            return _("In the usual range for your age: out of 100 people your age, about "
                     "%(shorter)s are shorter than you.") % {"shorter": round(self.centile)}
        if 2 <= self.centile <= 98:
            return _("In the usual range for your age.")
        return _("Everyone grows differently. Your nurse will talk with you about this at "
                 "your next check, and you can ask them anything.")


def _ordinal(n: int) -> str:
    """"41st" in English; the bare number elsewhere, where the catalogue's "%(centile)s
    centile" says it in its own order."""
    from django.utils.translation import get_language

    if not (get_language() or "en").startswith("en"):
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def bmi(height_cm: Decimal | None, weight_kg: Decimal | None) -> Decimal | None:
    """kg/m², exact: its centile is read from this; it is shown to one decimal (half up)."""
    if not height_cm or not weight_kg:
        return None
    metres = Decimal(height_cm) / 100
    return Decimal(weight_kg) / (metres * metres)


def read(child: Child, field: str, value: Any, on: datetime.date) -> Reading:
    """The centile and SDS of one measurement taken on `on` (or why there is none)."""
    from rcpchgrowth import Measurement

    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if not child.sex:
        return Reading(field, value, on, why_none=_("Their sex is not recorded (or not shown "
                                                    "to you), so no centile is worked out."))
    method = RCPCH_METHOD[field]
    weeks, days = correction(child, on)
    try:
        result = Measurement(
            birth_date=child.born, measurement_method=method, observation_date=on,
            observation_value=float(value), reference=REFERENCE, sex=child.sex,
            gestation_weeks=weeks, gestation_days=days,
        ).measurement
    except (ValueError, LookupError, TypeError, ZeroDivisionError):
        return Reading(field, value, on, why_none=_("The growth reference has no centile for "
                                                    "this age."))
    calculated = result["measurement_calculated_values"]
    sds, centile = calculated["corrected_sds"], calculated["corrected_centile"]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (sds, centile)):
        return Reading(field, value, on, why_none=_("The growth reference has no centile for "
                                                    "this age."))
    ages = result["measurement_dates"]
    age = ages["corrected_decimal_age"]
    corrected = age != ages["chronological_decimal_age"]
    return Reading(field, value, on, float(sds), float(centile), corrected, float(age),
                   term_assumed=child.gestation_weeks is None and age < 2)


def correction(child: Child, on: datetime.date) -> tuple[int, int]:
    """The gestation to correct her age by, as the RCPCH's fact sheet on preterm infants says:
    born before 37 weeks, corrected until her first birthday (32 to 36 weeks) or her second
    (before 32 weeks); otherwise, and when gestation is not recorded, her age as it is (the
    reference's 40 weeks). rcpchgrowth itself would correct every gestation for life, and a
    term baby born at 38 weeks too: the paper charts every nurse was taught on do not."""
    from dateutil.relativedelta import relativedelta

    weeks = child.gestation_weeks
    if not weeks or weeks >= 37:
        return 40, 0
    until = 2 if weeks < 32 else 1
    if relativedelta(on, child.born).years >= until:
        return 40, 0
    return weeks, child.gestation_days or 0


def readings(child: Child, measured: dict[str, Any], on: datetime.date | None) -> list[Reading]:
    """Every measurement taken at one assessment, BMI worked out from height and weight."""
    if on is None:
        return []
    values = dict(measured)
    values["bmi"] = bmi(values.get("height_cm"), values.get("weight_kg"))
    return [read(child, field, values[field], on)
            for field, _m, _n, _u in METHODS if values.get(field) is not None]


def far_out_errors(child: Child, measured: dict[str, Any], on: datetime.date | None
                   ) -> dict[str, list[str]]:
    """A value more than 4 SDS from the average, for each field it touches: to be checked
    and confirmed, never refused (a child can be that small)."""
    errors: dict[str, list[str]] = {}
    for reading in readings(child, measured, on):
        if reading.far_out:
            if reading.field == "bmi" and errors:
                continue  # the height or weight that made it is already asked about
            field = "weight_kg" if reading.field == "bmi" else reading.field
            errors.setdefault(field, []).append(_(
                "%(name)s %(value)s %(unit)s is more than 4 standard deviations from the "
                "average for their age. Measure again; if it is right, tick 'I measured "
                "again: the measurements are right' and save.") % {
                    "name": reading.name, "value": reading.shown, "unit": reading.unit})
    return errors


def child_of(passport, sex: str) -> Child | None:
    """Her date of birth and gestation (from her birth history) for the reference; inside a key
    scope. `sex` is what the reader may know (Reach.sex)."""
    from passport.models import BirthHistory

    born = passport.born
    if born is None:
        return None
    if not sex:  # no centile will be read: her gestation is not needed, nor its query
        return Child(born, sex)
    birth = BirthHistory.objects.filter(passport=passport).first()
    return Child(born, sex, birth.gestation_weeks if birth else None,
                 birth.gestation_days if birth else None)


# --- the chart --------------------------------------------------------------------------------

# Where one reference hands over to the next: lines are not joined across (the infant's length
# lying down becomes the child's height standing at 2; the WHO standard becomes UK90 at 4).
_SEGMENTS = ((-0.33, 0.0383), (0.0383, 2.0), (2.0, 4.0), (4.0, 20.0))
_HANDOVERS = frozenset(end for _start, end in _SEGMENTS[:-1])
_EARLIEST = -0.33  # 23 weeks' gestation, where the UK90 preterm reference begins


@lru_cache(maxsize=4096)  # whole-year ranges: a few thousand lines cover every child
def _line(method: str, sex: str, centile: float, start: float, end: float) -> tuple:
    from rcpchgrowth import measurement_from_sds
    from rcpchgrowth.global_functions import sds_for_centile

    z = sds_for_centile(centile)
    steps = 24
    points = []
    for i in range(steps + 1):
        # At a handover age the library reads the older reference: the younger one's line
        # ends just before it, so no line seems to bend where only the reference changes.
        age = start + (end - start) * i / steps
        if i == steps and end in _HANDOVERS:
            age = end - 0.001
        try:
            value = measurement_from_sds(REFERENCE, z, method, sex, age)
        except (LookupError, ValueError, TypeError):
            continue
        if value is not None and not math.isnan(value):
            points.append((age, float(value)))
    return tuple(points)


def chart_svg(field: str, sex: str, points: list[Reading]) -> str:
    """Her measurements of one kind over time on the reference's nine centile lines, drawn on
    the server (no script). Its text alternative is the table the page shows with it; the
    SVG's title and description say the same in short."""
    plotted = [p for p in points if p.centile is not None]
    if not plotted or not sex:
        return ""
    return _Chart(field, sex, plotted).svg()


class _Chart:
    WIDTH, HEIGHT, LEFT, PAD = 480, 300, 64, 24
    GREY, DARK, BLUE = "#b1b4b6", "#505a5f", "#005eb8"

    def __init__(self, field: str, sex: str, plotted: list[Reading]) -> None:
        self.field, self.plotted = field, plotted
        self.ages = [p.age or 0.0 for p in plotted]
        self.low = _EARLIEST if min(self.ages) < 0 else max(0.0, math.floor(min(self.ages)) - 1)
        self.high = min(20.0, math.ceil(max(self.ages)) + 1)
        self.lines = []
        for start, end in _SEGMENTS:  # each reference's stretch on its own
            start, end = max(start, self.low), min(end, self.high)
            if end - start >= 0.05:
                self.lines += [(c, _line(RCPCH_METHOD[field], sex, c, round(start, 2),
                                         round(end, 2))) for c in CENTILES]
        values = [v for _c, line in self.lines for _a, v in line]
        values += [float(p.value) for p in plotted]
        self.bottom, self.top = min(values), max(values)

    def x(self, age: float) -> float:
        span = max(self.high - self.low, 0.1)
        return self.LEFT + (self.WIDTH - self.LEFT - self.PAD) * (age - self.low) / span

    def y(self, value: float) -> float:
        span = max(self.top - self.bottom, 0.1)
        return (self.HEIGHT - self.PAD
                - (self.HEIGHT - 2 * self.PAD) * (value - self.bottom) / span)

    def curves(self) -> str:
        return format_html_join(
            "", '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"/>',
            ((" ".join(f"{self.x(a):.1f},{self.y(v):.1f}" for a, v in line),
              self.DARK if c == 50 else self.GREY, "1.5" if c == 50 else "1")
             for c, line in self.lines if len(line) > 1))

    def labels(self) -> str:
        """Each centile named where its line ends on the right."""
        ends = {c: line[-1] for c, line in self.lines if line}  # the last stretch wins
        return format_html_join(
            "", '<text x="{}" y="{}" font-size="10" fill="{}">{}</text>',
            ((f"{self.x(age) + 2:.1f}", f"{self.y(value) + 3:.1f}", self.DARK, f"{c:g}")
             for c, (age, value) in ends.items()))

    def axes(self) -> str:
        years = format_html_join(
            "", '<text x="{}" y="{}" font-size="10" fill="{}" text-anchor="middle">{}</text>',
            ((f"{self.x(a):.1f}", self.HEIGHT - 10, self.DARK, a)
             for a in range(math.ceil(self.low), math.floor(self.high) + 1)))
        step = _tick(self.top - self.bottom)
        ticks = [step * n for n in range(math.ceil(self.bottom / step),
                                         math.floor(self.top / step) + 1)]
        grid = format_html_join(
            "", '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e5e6e7"/><text x="{}" y="{}" '
            'font-size="10" fill="{}" text-anchor="end">{}</text>',
            ((self.LEFT, self.WIDTH - self.PAD, f"{self.y(v):.1f}", f"{self.y(v):.1f}",
              self.LEFT - 4, f"{self.y(v) + 3:.1f}", self.DARK, f"{v:g}") for v in ticks))
        titles = format_html(
            '<text x="{}" y="{}" font-size="10" fill="{}" text-anchor="middle">{}</text>'
            '<text x="4" y="12" font-size="10" fill="{}">{}</text>',
            (self.LEFT + self.WIDTH - self.PAD) / 2, self.HEIGHT, self.DARK, _("age (years)"),
            self.DARK, UNITS[self.field])
        return grid + years + titles

    def marks(self) -> str:
        spots = [(f"{self.x(a):.1f}", f"{self.y(float(p.value)):.1f}")
                 for a, p in zip(self.ages, self.plotted, strict=True)]
        trend = format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{cx},{cy}" for cx, cy in spots), self.BLUE) if len(spots) > 1 else ""
        return trend + format_html_join(
            "", '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
            ((cx, cy, self.BLUE) for cx, cy in spots))

    def svg(self) -> str:
        from django.utils.formats import date_format

        desc = "; ".join(f"{date_format(p.on, 'j M Y')}: {p.shown} {p.unit}, {p.centile_words}"
                         for p in self.plotted)
        ident = f"growth-{self.field}"
        title = _("%(name)s by age in years, on the UK-WHO centile lines") % {
            "name": NAMES[self.field]}
        return format_html(
            '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-t {}-d"'
            ' focusable="false"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>'
            '{}{}{}{}</svg>', self.WIDTH, self.HEIGHT + 6, ident, ident, ident, title, ident,
            desc, self.axes(), self.curves(), self.labels(), self.marks())


def _tick(span: float) -> float:
    """A round step giving four to eight gridlines over `span`."""
    for step in (0.5, 1, 2, 5, 10, 20, 25, 50):
        if span / step <= 8:
            return step
    return 100


# --- for a reader --------------------------------------------------------------------------


@dataclass
class Measured:
    """Her measurements as one reader may read them: (date, readings, draft?) newest first."""
    rows: list[tuple[datetime.date, list[Reading], bool]]
    sex_known: bool
    sex: str

    @property
    def latest(self) -> tuple[datetime.date, list[Reading], bool]:
        return self.rows[0]

    def charts(self) -> list[tuple[str, str]]:
        found = []
        for field, _method, name, _unit in METHODS:
            svg = chart_svg(field, self.sex, [r for _on, readings, _d in self.rows
                                              for r in readings if r.field == field])
            if svg:
                found.append((str(name), svg))
        return found


def measured(reach, view) -> Measured | None:
    """The assessments in the section as this reader may already see it (its selector's
    SectionView), read against the reference with her sex as this reader may know it
    (Reach.sex: "" for anyone but her and her health team, so their rows carry no centile).
    None when nothing was measured."""
    from passport.models import AssessmentState

    assessments = [e for model, entries in view.groups if model.TYPE == "assessment"
                   for e in entries]
    taken = sorted((e for e in assessments if e.held_on and (
        e.height_cm or e.weight_kg or e.head_circumference_cm)),
        key=lambda e: e.held_on, reverse=True)
    if not taken:
        return None
    sex = reach.sex()
    child = child_of(reach.passport, sex)
    if child is None:
        return None
    rows = [(e.held_on, readings(child, {
        "height_cm": e.height_cm, "weight_kg": e.weight_kg,
        "head_circumference_cm": e.head_circumference_cm}, e.held_on),
        e.state != AssessmentState.SIGNED_OFF) for e in taken]
    return Measured(rows, bool(sex), sex)
