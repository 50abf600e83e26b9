"""The immunisation schedule as data: every number the engine uses, each with the passage of its
published source (docs/clinical-safety/sources/immunisation.md lists the documents with their
addresses; docs/clinical-safety/schedule.md states the rules in our words).

A row whose passage could not be found in a published source is `UNCONFIRMED`; a line the engine
decides with it says so to the nurse. `SECONDARY` rows come from an NHS body or a reference that
restates the primary source; they are used, and listed for a clinician to check.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta as rd

D = datetime.date

PRIMARY, SECONDARY, UNCONFIRMED = "primary", "secondary", "unconfirmed"

SCHEDULE_2026 = ("UKHSA, Complete routine immunisation schedule from 1 January 2026, table "
                 "'Routine immunisation programmes'", "10 December 2025")
UNCERTAIN = ("UKHSA, Vaccination of individuals with uncertain or incomplete immunisation "
             "status, from 1 July 2025", "3 June 2025")
LETTER_2025 = ("UKHSA and NHS England, Changes to the routine childhood vaccination schedule "
               "from 1 July 2025 and 1 January 2026, letter and Annexe A", "30 April 2025")
CHANGES_JULY_2025 = ("UKHSA, Childhood schedule changes from 1 July 2025: information for "
                     "healthcare practitioners", "4 June 2025")
MMRV_LETTER = ("UKHSA and NHS England, Introduction of a routine varicella (MMRV) vaccination "
               "programme, letter, and Table 1 as reproduced by Leicestershire and Rutland LMC",
               "31 October 2025")
YOUNG_PEOPLE = ("UKHSA, A guide to immunisation for teenagers and young people", "15 July 2024")
MENACWY_INFO = ("UKHSA, Meningococcal ACWY programme: information for healthcare "
                "professionals", "26 June 2024")
NHS_HPV = ("NHS.UK, Who should have the HPV vaccine?", "undated copy")
PERTUSSIS_PREGNANCY = ("UKHSA, Whooping cough: vaccination in pregnancy programme resources",
                       "26 June 2024")
RSV_PREGNANCY = ("UKHSA, RSV vaccination of pregnant women for infant protection: information "
                 "for healthcare practitioners", "12 July 2024")


@dataclass(frozen=True)
class Row:
    """One fact of the schedule and where it is written."""

    value: object
    standing: str  # PRIMARY, SECONDARY or UNCONFIRMED
    document: str = ""
    date: str = ""
    quote: str = ""  # the passage, word for word; for UNCONFIRMED, what was looked for

    @property
    def unconfirmed(self) -> bool:
        return self.standing == UNCONFIRMED


def _primary(value, source: tuple[str, str], quote: str) -> Row:
    return Row(value, PRIMARY, *source, quote)


def _secondary(value, document: str, date: str, quote: str) -> Row:
    return Row(value, SECONDARY, document, date, quote)


def _unconfirmed(value, looked_for: str) -> Row:
    return Row(value, UNCONFIRMED, "not found in a published source", "", looked_for)


VERSION = "UK schedule from 1 January 2026; uncertain status from 1 July 2025 (table v2)"

# --- general --------------------------------------------------------------------------------
GAP = _primary(rd(weeks=4), UNCERTAIN, "Leave a 4-week gap between visits.")
UNIMMUNISED_WITHOUT_HISTORY = _primary(True, UNCERTAIN, (
    "Unless there is a documented or reliable verbal vaccine history, individuals should be "
    "assumed to be unimmunised and a full course of immunisations planned."))
RESUME = _primary(True, UNCERTAIN, (
    "If the primary course has been started but not completed, resume the course \u2013 no need "
    "to repeat doses or restart course."))
YOUNGEST_INFANT_DOSE = _unconfirmed(rd(weeks=6), (
    "the youngest age at which a 6-in-1, MenB or PCV dose counts (the schedule starts at 8 "
    "weeks)"))

# --- diphtheria, tetanus, whooping cough, polio ---------------------------------------------
INFANT_DOSES = _primary((rd(weeks=8), rd(weeks=12), rd(weeks=16)), SCHEDULE_2026, (
    "8 weeks old | ... DTaP/IPV/Hib/HepB (6 in 1 vaccine)"))
TD_IPV_FROM = _secondary(rd(years=10), "GPnotebook, citing the Green Book", "undated", (
    "Diphtheria, tetanus and inactivated polio (Td/IPV) is the vaccine recommended for all "
    "individuals aged ten years and over"))
PRESCHOOL_AGE = _primary(rd(years=3, months=4), SCHEDULE_2026, (
    "3 years, 4 months old or soon after | ... Diphtheria, tetanus, pertussis and polio"))
PRESCHOOL_FROM = _primary((rd(years=3), rd(years=1)), UNCERTAIN, (
    "dTaP/IPV vaccine should be offered from 3 years (and at least one year after last dose "
    "of DTaP/IPV/Hib/HepB vaccine)."))
LATE_FIRST_BOOSTER_GAP = _secondary(rd(years=5), "GPnotebook, citing the Green Book",
                                    "undated", (
    "Individuals aged ten years and over who have only had three doses of a tetanus-containing "
    "vaccine with the last dose at least five years ago, should receive the first tetanus "
    "booster"))
TEENAGE_YEAR = _secondary(9, "UKHSA schedule of January 2020 (the 2026 row could not be read in "
                          "full)", "January 2020", (
    "Fourteen years old (school year 9) Tetanus, diphtheria and polio Td/IPV"))
TEENAGE_GAP = _secondary(rd(years=5), "BHIVA adult vaccination guideline", "undated", (
    "Two further doses are scheduled 5 and 10 years after the last dose."))

# --- Hib and hepatitis B --------------------------------------------------------------------
HIB_OVER_ONE = _primary(rd(years=1), UNCERTAIN, "All children require a dose of Hib over one year")
HIB_MENC_COHORT = _unconfirmed(D(2005, 9, 1), (
    "the first birth cohort offered the Hib/MenC booster at one year (introduced in 2006)"))
EIGHTEEN_MONTH_COHORT = _primary(D(2024, 7, 1), SCHEDULE_2026, (
    "18 months old | Born on or after 1 July 2024 DTaP/IPV/Hib/HepB. ... Born on or before 30 "
    "June 2024 No appointment"))
HIB_MENC_AGE = _primary(rd(years=1), LETTER_2025, (
    "Children born on or after 1 July 24 Cessation of routine Hib/MenC (Menitorix) offer to "
    "those turning 1 year old."))
EIGHTEEN_MONTHS = _primary(rd(months=18), LETTER_2025, (
    "Introduce new 18-month appointment for 4th DTaP/IPV/Hib/HepB dose and 2nd MMR dose for "
    "children born on or after 1 July 2024"))
HIB_UNTIL = _unconfirmed(rd(years=10), (
    "Hib not given from the 10th birthday (the catch-up bands with the 6-in-1 stop at 'Children "
    "from second up to 10th birthday')"))
HEPB_COHORT = _unconfirmed(D(2017, 8, 1), (
    "the first birth cohort given the 6-in-1 with hepatitis B (autumn 2017)"))
HEPB_UNTIL = _unconfirmed(rd(years=10), "hepatitis B catch-up from the 10th birthday")
# A baby whose mother has hepatitis B has monovalent doses at birth and 4 weeks (Green Book
# chapter 18, selective neonatal programme) besides the 6-in-1: those before the course's
# youngest age are that programme's, not early doses of the routine course.
HEPB_SELECTIVE_BEFORE = _unconfirmed(rd(weeks=6), (
    "selective neonatal hepatitis B: monovalent doses at birth and 4 weeks, then the 6-in-1 "
    "course (Green Book chapter 18)"))

# --- rotavirus ------------------------------------------------------------------------------
ROTAVIRUS_COHORT = _unconfirmed(D(2013, 5, 1), (
    "the first birth cohort of the rotavirus programme (from July 2013)"))
ROTAVIRUS_DOSES = _primary((rd(weeks=8), rd(weeks=12)), SCHEDULE_2026, (
    "8 weeks old | ... Rotavirus | Rotarix ... 12 weeks old | ... Rotavirus | Rotarix"))
ROTAVIRUS_FIRST_BEFORE = _secondary(rd(weeks=15), "Green Book chapter 27b, as quoted online",
                                    "undated", (
    "rotavirus vaccine should not be started if the infant is aged 15 weeks or older"))
ROTAVIRUS_LAST_BEFORE = _secondary(rd(weeks=24), "Green Book chapter 27b, as quoted online",
                                   "undated", "and not given at all if aged 24 weeks or older.")

# --- MenB and PCV ---------------------------------------------------------------------------
MENB_COHORT = _unconfirmed(D(2015, 7, 1), (
    "the first birth cohort of the MenB programme (from September 2015)"))
MENB_DOSES = _primary((rd(weeks=8), rd(weeks=12), rd(years=1)), SCHEDULE_2026, (
    "8 weeks old | ... MenB ... 12 weeks old | ... MenB ... One year old | ... MenB"))
SCHEDULE_CHANGE = _primary(D(2025, 7, 1), CHANGES_JULY_2025, (
    "the meningococcal B vaccine, previously offered at 8 and 16 weeks will now be offered at "
    "8 and 12 weeks of age"))
MENB_OLD_SECOND = _primary(rd(weeks=16), CHANGES_JULY_2025, "previously offered at 8 and 16 weeks")
MENB_UNTIL = _unconfirmed(rd(years=2), "MenB not given from the 2nd birthday")
PCV_COHORT = _unconfirmed(D(2006, 9, 4), "the first birth cohort of the PCV programme (2006)")
PCV_ONE_PLUS_ONE = _primary(D(2020, 1, 1), SCHEDULE_2026, (
    "16 weeks old | ... Pneumococcal (13 serotypes) | PCV ... One year old ... Pneumococcal"))
PCV_DOSES = _primary((rd(weeks=16), rd(years=1)), SCHEDULE_2026, (
    "16 weeks old | ... PCV | Prevenar 13 ... One year old (on or after the child's first "
    "birthday) | Pneumococcal | PCV"))
PCV_OLD_PRIMING = _primary(rd(weeks=12), CHANGES_JULY_2025, "PCV13 from 12 to 16 weeks")
PCV_BEFORE_2020 = _unconfirmed((rd(months=2), rd(months=4), rd(months=13)), (
    "PCV at 2, 4 and 12 to 13 months for children born before 2020"))
PCV_UNTIL = _unconfirmed(rd(years=2), "PCV not given from the 2nd birthday; one dose after 1")

# --- measles, mumps, rubella, chickenpox ----------------------------------------------------
MMR_FROM = _secondary(rd(years=1), "Kent LMC, quoting Green Book chapter 21", "8 November 2019", (
    "If a dose of MMR is given before the first birthday ... then this dose should be ignored"))
MMR_SECOND_GAP = _primary(rd(weeks=4), YOUNG_PEOPLE, (
    "it should be given now and the second dose one month later"))
MMR_SECOND_NEW = _primary(rd(months=18), LETTER_2025, (
    "18-month appointment for 4th DTaP/IPV/Hib/HepB dose and 2nd MMR dose for children born on "
    "or after 1 July 2024"))
MMR_SECOND_OLD = _primary(rd(years=3, months=4), LETTER_2025, (
    "(DOB on or before 30 June 2024) will remain on the current MMR 2nd dose schedule and be "
    "offered their 2nd MMR dose at 3 years 4 months."))
MMRV_TWO_AT_1_AND_18M = _primary(D(2025, 1, 1), MMRV_LETTER, (
    "01/01/2025 or later | Under 1 year | 2 doses of MMRV at 12 and 18 months"))
MMRV_TWO_AT_18M_AND_3Y = _primary(D(2024, 7, 1), MMRV_LETTER, (
    "2 doses of MMRV at 18 months and 3 years 4 months | 12 months: MMR (note 1) 18 months: "
    "MMRV 3 years 4 months: MMRV"))
MMRV_ONE_AT_3Y = _primary(D(2022, 9, 1), MMRV_LETTER, (
    "01/09/2022 to 30/06/2024 | 1 dose of MMRV at 3 years 4 months"))
MMRV_CATCH_UP = _primary((D(2020, 1, 1), D(2026, 11, 1), D(2028, 3, 31)), MMRV_LETTER, (
    "01/01/2020 to 31/08/2022 | ... Selective catch-up from 1 Nov 2026 to 31 Mar 2028 for those "
    "who have not yet had chickenpox infection or 2 doses of varicella vaccination"))
LIVE_APART = _secondary(rd(weeks=4), "Harrow Health Care Centre, summarising PHE's review of "
                        "live vaccine intervals", "undated", (
    "MMR and Varicella | These can be administered on the same day but if not administered on "
    "the same day then a four week interval minimum period should be observed."))

# --- adolescents ----------------------------------------------------------------------------
HPV_YEAR = _primary(8, SCHEDULE_2026, "Boys and girls aged 12 to 13 years ... HPV")
HPV_FROM = _unconfirmed(rd(years=9), "the youngest age at which an HPV dose counts")
HPV_UNTIL = _secondary(rd(years=25), NHS_HPV[0], NHS_HPV[1], (
    "it's available for free on the NHS up until your 25th birthday"))
HPV_GIRLS = _secondary(D(1991, 9, 1), NHS_HPV[0], NHS_HPV[1], "girls born after 1 September 1991")
HPV_BOYS = _secondary(D(2006, 9, 1), NHS_HPV[0], NHS_HPV[1], "boys born after 1 September 2006")
HPV_ONE_DOSE = _secondary(1, "UKHSA announcement, reproduced by a GP practice", "2023", (
    "routine adolescent HPV immunisation programme for all children in school year 8 (aged 12 "
    "to 13 years) will move from 2 doses to one dose"))
MENACWY_YEAR = TEENAGE_YEAR
MENACWY_FROM = _unconfirmed(rd(years=10), "the youngest age at which the adolescent MenACWY "
                            "dose counts")
MENACWY_UNTIL = _primary(rd(years=25), MENACWY_INFO, (
    "were eligible for the vaccine through general practice until their 25th birthday."))

# --- pregnancy ------------------------------------------------------------------------------
NO_LIVE_IN_PREGNANCY = _unconfirmed(True, (
    "MMR, MMRV and chickenpox vaccines are not given in pregnancy (Green Book chapters 21 and "
    "34)"))
NO_HPV_IN_PREGNANCY = _secondary(True, NHS_HPV[0], NHS_HPV[1], (
    "The HPV vaccine should not be given to people who: ... are known to be pregnant"))
PERTUSSIS_FROM = _primary(rd(weeks=16), PERTUSSIS_PREGNANCY, (
    "maternal pertussis vaccination which is now recommended from week 16 of each pregnancy."))
PERTUSSIS_IDEALLY_BY = _secondary(rd(weeks=32), "Blackpool Teaching Hospitals NHS FT, "
                                  "maternity vaccinations", "undated", (
    "You can have your whooping cough vaccine from 16 weeks pregnant (optimally 20-32 weeks)."))
RSV_FROM = _primary(rd(weeks=28), RSV_PREGNANCY, (
    "the RSV vaccine should be offered to: all pregnant women from 28 weeks' gestation"))
RSV_IDEALLY_BY = _secondary(rd(weeks=36), "Hywel Dda University Health Board", "undated", (
    "The vaccine is more effective between 28 and 36 weeks of pregnancy."))
FLU_SEASON = _secondary((9, 3), "NHS Shropshire, Telford and Wrekin; Blackpool Teaching "
                        "Hospitals", "4 February 2026", (
    "flu during the flu season, which may be at any time during pregnancy"))
FULL_TERM = _unconfirmed(rd(weeks=40), (
    "a passage dating pregnancy as 40 weeks to the expected date of delivery (the usual "
    "obstetric convention)"))


def rows() -> dict[str, Row]:
    """Every row of the table by name (a test checks each has its source)."""
    return {name: value for name, value in globals().items() if isinstance(value, Row)}
