"""The area figures: the designated professional and the team lead see counts each
quarter (children in care, assessments due, on time, declined, late, not done yet, breaches by
their recorded reason, not brought) and nothing about any one child. Everyone else is refused.

The figures expected are worked out by hand below, from the care episodes' start dates and the
20-working-day rule (docs/clinical-rules.md 1), never from passport/care/area_figures.py or
passport/clinical/assessment_due.py.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from passport.access.policy import reach
from passport.care import area_figures, assessments
from passport.models import (
    Area,
    Assessment,
    AuditEvent,
    CareEpisode,
    HealthTeam,
    Organisation,
    Role,
)
from passport.records import actions
from tests.conftest import login, make_user

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PAGE, API = "/figures/", "/api/v1/figures/"
SIGNED_OFF = {key: "met" for key, _label in assessments.CHECKLIST}
NONE_DUE = {"due": 0, "on_time": 0, "declined": 0, "late": 0, "not_done": 0,
            "share_on_time": None}


@pytest.fixture
def area(db, admin_user):
    """Stockport, served by the trust whose designated professional, team lead and nurse
    these are; Tameside is another trust's area."""
    stockport = Area.objects.create(name="Stockport")
    tameside = Area.objects.create(name="Tameside")
    trust = Organisation.objects.create(name="Stockport NHS Foundation Trust")
    trust.areas.add(stockport)
    team = HealthTeam.objects.create(organisation=trust, name="Children in Care Health Team")
    people = {"admin": admin_user, "stockport": stockport, "tameside": tameside, "team": team}
    for key, username, role in (("nurse", "nurse.nia", Role.NURSE),
                                ("lead", "lead.lee", Role.TEAM_LEAD),
                                ("designated", "dr.ruth", Role.DESIGNATED)):
        user = make_user(username, role, username.title())
        user.organisation = trust
        user.team = team if role != Role.DESIGNATED else None
        user.save()
        people[key] = user
    return people


NHS_NUMBERS = {"Amara": "4010232102", "Bartosz": "4010232110", "Cosima": "4010232129",
               "Delphine": "4010232137", "Ezinne": "4010232145"}


def child(area: dict, name: str, started_on: datetime.date, placed_by: Area | None = None):
    """A young person in care from `started_on`, placed by Stockport unless said otherwise."""
    passport = actions.do_create_passport(
        area["admin"], legal_name=f"{name} Testperson", chosen_name=name,
        date_of_birth=datetime.date(2012, 3, 4), nhs_number=NHS_NUMBERS.get(name, ""),
        health_team=area["team"])
    actions.do_assign_professional(area["admin"], passport, area["nurse"])
    placed_by = placed_by or area["stockport"]
    actions.do_add_entry(reach(area["nurse"], passport.pk), CareEpisode, {
        "started_on": started_on, "legal_status": "care_order", "placement_type": "foster",
        "placing_authority": placed_by, "host_area": placed_by.pk})
    return passport


def assessment(area: dict, passport, held_on: datetime.date, outcome: str = "done", *,
               late_reason: str = "", until: str = "signed_off") -> Assessment:
    """An initial assessment recorded by the nurse, taken through the real workflow as far as
    `until` ("draft", "submitted" or "signed_off": by the team lead, a second clinician)."""
    fields = {"kind": "initial", "held_on": held_on, "outcome": outcome}
    if outcome == "done":
        fields |= {"done_by": "Dr Bea Clinic", "led_by": "doctor", "summary": "Well."}
    else:
        fields["outcome_reason"] = "Recorded with the young person."
    if late_reason:
        fields["late_reason_kind"] = late_reason
    nurse_reach = reach(area["nurse"], passport.pk)
    recorded = actions.do_add_entry(nurse_reach, Assessment, fields)
    if until == "draft":
        return recorded
    recorded = assessments.do_submit(nurse_reach, recorded, expected_version=recorded.version)
    if until == "signed_off":
        assessments.do_quality_review(
            reach(area["lead"], passport.pk), recorded, decision="signed_off",
            checklist=SIGNED_OFF, comments="", expected_version=recorded.version)
    return recorded


def as_dict(quarter: area_figures.Quarter) -> dict:
    def counts(c: area_figures.Counts) -> dict:
        return {"due": c.due, "on_time": c.on_time, "declined": c.declined, "late": c.late,
                "not_done": c.not_done, "share_on_time": c.share_on_time}

    return {"in_care": quarter.in_care, "initial": counts(quarter.initial),
            "review": counts(quarter.review), "breaches_by_reason": quarter.reason_rows(),
            "not_brought": quarter.not_brought}


# --- the figures, on a fixed day ------------------------------------------------------------

FIXED_DAY = datetime.date(2025, 7, 15)  # a Tuesday, in 2025/26 Q2 (July to September)


@pytest.fixture
def fixed_area(area):
    """Four children in care placed by Stockport and one by Tameside, on dates around the
    2025 bank holidays (Good Friday 18 April, Easter Monday 21 April, 5 May, 26 May)."""
    amara = child(area, "Amara", datetime.date(2025, 4, 1))
    assessment(area, amara, datetime.date(2025, 5, 1))
    bartosz = child(area, "Bartosz", datetime.date(2025, 4, 28))
    assessment(area, bartosz, datetime.date(2025, 5, 20), "not_brought")
    assessment(area, bartosz, datetime.date(2025, 5, 30), late_reason="notified_late")
    cosima = child(area, "Cosima", datetime.date(2025, 3, 3))
    assessment(area, cosima, datetime.date(2025, 3, 10), "declined")
    child(area, "Delphine", datetime.date(2025, 6, 16))
    ezinne = child(area, "Ezinne", datetime.date(2025, 4, 1), placed_by=area["tameside"])
    assessment(area, ezinne, datetime.date(2025, 4, 30))
    return area


# Worked by hand. "Within 20 working days": the 20th working day after care began (that day
# not counted), skipping weekends and bank holidays; done on that day is on time.
# - Amara, in care Tue 1 Apr 2025: Apr 2-4 (3), 7-11 (8), 14-17 (12), [18 Good Friday, 21 Easter
#   Monday], 22-25 (16), 28-30 (19), Thu 1 May (20): due 1 May (2025/26 Q1); done 1 May: on time.
# - Bartosz, in care Mon 28 Apr: Apr 29-May 2 (4), [5 May], 6-9 (8), 12-16 (13), 19-23 (18),
#   [26 May], 27 (19), Wed 28 May (20): due 28 May (Q1). Not brought on 20 May (counted as not
#   brought in Q1, neither on time nor late); done Fri 30 May: late, "the council told us late".
# - Cosima, in care Mon 3 Mar 2025: Mar 4-7 (4), 10-14 (9), 17-21 (14), 24-28 (19), Mon 31 Mar
#   (20): due 31 Mar (2024/25 Q4); declined on 10 Mar: on time, and not a breach.
# - Delphine, in care Mon 16 Jun: Jun 17-20 (4), 23-27 (9), Jun 30-Jul 4 (14), 7-11 (19), Mon 14 Jul
#   (20): due 14 Jul (2025/26 Q2); nothing signed off by Tue 15 Jul: not done yet, a breach.
# - Ezinne is placed by Tameside: not counted anywhere.
# Children in care: Q2 and Q1 all four (the last came in on 16 June); 2024/25 Q4 only Cosima
# (from 3 March); none before.
EXPECTED_ON_FIXED_DAY = {
    "2025/26 Q2": {"in_care": 4,
                   "initial": {"due": 1, "on_time": 0, "declined": 0, "late": 0, "not_done": 1,
                               "share_on_time": 0},
                   "review": NONE_DUE, "breaches_by_reason": [("Not done yet", 1)],
                   "not_brought": 0},
    "2025/26 Q1": {"in_care": 4,
                   "initial": {"due": 2, "on_time": 1, "declined": 0, "late": 1, "not_done": 0,
                               "share_on_time": 50},
                   "review": NONE_DUE, "breaches_by_reason": [("The council told us late", 1)],
                   "not_brought": 1},
    "2024/25 Q4": {"in_care": 1,
                   "initial": {"due": 1, "on_time": 1, "declined": 1, "late": 0, "not_done": 0,
                               "share_on_time": 100},
                   "review": NONE_DUE, "breaches_by_reason": [], "not_brought": 0},
    "2024/25 Q3": {"in_care": 0, "initial": NONE_DUE, "review": NONE_DUE,
                   "breaches_by_reason": [], "not_brought": 0},
    "2024/25 Q2": {"in_care": 0, "initial": NONE_DUE, "review": NONE_DUE,
                   "breaches_by_reason": [], "not_brought": 0},
}


def test_it_counts_each_quarter_as_worked_out_by_hand(fixed_area):
    designated = fixed_area["designated"]
    areas = area_figures.areas_for(designated)
    assert [a.name for a in areas] == ["Stockport"]
    quarters = area_figures.by_quarter(designated, areas, today=FIXED_DAY)
    assert [q.label for q in quarters] == list(EXPECTED_ON_FIXED_DAY)
    assert {q.label: as_dict(q) for q in quarters} == EXPECTED_ON_FIXED_DAY
    assert (quarters[0].start, quarters[0].end) == (datetime.date(2025, 7, 1),
                                                    datetime.date(2025, 9, 30))


def test_a_draft_or_a_submitted_assessment_is_not_done_until_it_is_signed_off(area):
    # Delphine as above (in care 16 June 2025, initial due 14 July), seen on 11 July, on time.
    delphine = child(area, "Delphine", datetime.date(2025, 6, 16))
    recorded = assessment(area, delphine, datetime.date(2025, 7, 11), until="draft")
    areas = area_figures.areas_for(area["designated"])

    def initial_now() -> dict:
        return as_dict(area_figures.by_quarter(area["designated"], areas, FIXED_DAY)[0])["initial"]

    not_done = {"due": 1, "on_time": 0, "declined": 0, "late": 0, "not_done": 1,
                "share_on_time": 0}
    assert initial_now() == not_done
    recorded = assessments.do_submit(reach(area["nurse"], delphine.pk), recorded,
                                     expected_version=recorded.version)
    assert initial_now() == not_done
    assessments.do_quality_review(reach(area["lead"], delphine.pk), recorded, decision="signed_off",
                                  checklist=SIGNED_OFF, comments="",
                                  expected_version=recorded.version)
    assert initial_now() == {"due": 1, "on_time": 1, "declined": 0, "late": 0, "not_done": 0,
                             "share_on_time": 100}


# --- the page and the API, today --------------------------------------------------------------


@pytest.fixture
def area_today(area):
    """The same children, relative to today. 20 working days after a day is never fewer than
    26 calendar days (four working weeks) and never more than 34 (four weeks, a weekend, and at
    most three bank holidays: Christmas, or Easter and May), so:
    - Amara, in care 40 days ago, done 5 days later: on time; due 6 to 14 days ago.
    - Bartosz, in care 90 days ago, done 60 days later: late (notified late); due 56 to 64 days ago.
    - Cosima, in care 50 days ago, declined 5 days later: on time; due 16 to 24 days ago.
    - Delphine, in care 60 days ago, nothing signed off: due 26 to 34 days ago, not done yet.
    - Ezinne, placed by Tameside: not counted.
    Every due date is within the last 64 days: this quarter or the one before, both shown."""
    area["children"] = {}
    for name, started, held, outcome, reason in (
            ("Amara", 40, 35, "done", ""), ("Bartosz", 90, 30, "done", "notified_late"),
            ("Cosima", 50, 45, "declined", ""), ("Delphine", 60, None, "", "")):
        passport = child(area, name, TODAY - started * DAY)
        if held:
            assessment(area, passport, TODAY - held * DAY, outcome, late_reason=reason)
        area["children"][name] = passport
    ezinne = child(area, "Ezinne", TODAY - 40 * DAY, placed_by=area["tameside"])
    assessment(area, ezinne, TODAY - 35 * DAY)
    area["children"]["Ezinne"] = ezinne
    return area


# Over the five quarters shown, from the working above.
EXPECTED_TODAY = {
    "in_care_this_quarter": 4,
    "initial": {"due": 4, "on_time": 2, "declined": 1, "late": 1, "not_done": 1},
    "review": {"due": 0, "on_time": 0, "declined": 0, "late": 0, "not_done": 0},
    "breaches_by_reason": {"The council told us late": 1, "Not done yet": 1},
    "not_brought": 0,
}
COUNTS = ("due", "on_time", "declined", "late", "not_done")


def totals(quarters: list[dict]) -> dict:
    reasons: dict[str, int] = {}
    for quarter in quarters:
        for row in quarter["breaches_by_reason"]:
            reasons[row["reason"]] = reasons.get(row["reason"], 0) + row["count"]
    return {
        "in_care_this_quarter": quarters[0]["in_care"],
        **{kind: {key: sum(q[kind][key] for q in quarters) for key in COUNTS}
           for kind in ("initial", "review")},
        "breaches_by_reason": reasons,
        "not_brought": sum(q["not_brought"] for q in quarters),
    }


# The page's rows, as the template writes them.
CELLS = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
FACT = re.compile(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>")
PAGE_ROWS = {"Fell due": "due", "Done on time": "on_time",
             "Declined by the young person (not a breach)": "declined", "Done late": "late",
             "Not done yet": "not_done", "Share on time or declined": "share_on_time"}


def _table(body: str, caption: str) -> list[list[str]]:
    """A table's rows as the cells' text, found by its caption."""
    if caption not in body:
        return []
    table = body.split(caption, 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in CELLS.findall(row)]
            for row in table.split("<tr")[1:]]


def page_quarters(body: str) -> list[dict]:
    """Each quarter's figures as the page shows them (a column each), in the API's shape."""
    body = html.unescape(body)
    rows = _table(body, "Health assessments, by the quarter they fell due")
    labels = [label.replace(" (so far)", "") for label in rows[0][1:]]
    assert rows[0][1].endswith(" (so far)")  # the quarter we are in
    found = [{"label": label, "initial": {}, "review": {}, "breaches_by_reason": [],
              "earlier_initial": 0, "earlier_review": 0} for label in labels]
    part = None
    for header, *cells in rows[1:]:
        if not cells:  # a group's heading
            part = {"Initial assessments": "initial", "Reviews": "review"}[header]
            continue
        for quarter, cell in zip(found, cells, strict=True):
            if header == "Children in care at any time in the quarter":
                quarter["in_care"] = int(cell)
            elif header == "Not brought to an assessment":
                quarter["not_brought"] = int(cell)
            elif header in PAGE_ROWS:
                key = PAGE_ROWS[header]
                quarter[part][key] = (int(cell) if key != "share_on_time" else
                                      None if cell == "none fell due" else int(cell.rstrip("%")))
    for quarter in found:  # the page shows those done on time apart from those declined
        for part in ("initial", "review"):
            quarter[part]["on_time"] += quarter[part]["declined"]
    for reason, *counts in _table(body, "Breaches, by the reason recorded")[1:]:
        for quarter, count in zip(found, counts, strict=True):
            if int(count):
                quarter["breaches_by_reason"].append({"reason": reason, "count": int(count)})
    earlier = body.split('aria-labelledby="earlier"', 1)[1]
    facts = dict(FACT.findall(earlier))
    found[-1]["earlier_initial"] = int(facts.get("Initial assessments", 0))
    found[-1]["earlier_review"] = int(facts.get("Reviews", 0))
    return found


def test_the_page_and_the_api_show_the_figures_worked_out_by_hand(area_today):
    designated = area_today["designated"]
    response = login(Client(), designated).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    shown = page_quarters(body)
    served = login(APIClient(), designated).get(API)
    assert served.status_code == 200
    data = served.json()
    assert data["areas"] == ["Stockport"]
    assert len(data["quarters"]) == len(shown) == area_figures.QUARTERS_SHOWN
    assert data["quarters"][0]["start"] <= TODAY.isoformat() <= data["quarters"][0]["end"]
    assert totals(data["quarters"]) == EXPECTED_TODAY
    assert totals(shown) == EXPECTED_TODAY
    for on_page, in_api in zip(shown, data["quarters"], strict=True):
        assert on_page == {k: v for k, v in in_api.items() if k not in ("start", "end")}
    assert "Stockport" in body and "An assessment counts once it is signed off." in body


def test_the_team_lead_sees_them_too(area_today):
    lead = area_today["lead"]
    assert login(Client(), lead).get(PAGE).status_code == 200
    assert totals(login(APIClient(), lead).get(API).json()["quarters"]) == EXPECTED_TODAY


def test_nothing_about_any_one_child_is_shown(area_today):
    client, api = login(Client(), area_today["designated"]), login(APIClient(),
                                                                    area_today["designated"])
    for body in (client.get(PAGE).content.decode(), api.get(API).content.decode()):
        for name, passport in area_today["children"].items():
            assert name not in body and f"{name} Testperson" not in body
            assert str(passport.pk) not in body
        for number in NHS_NUMBERS.values():
            assert number not in body and f"{number[:3]} {number[3:6]} {number[6:]}" not in body
        assert "/p/" not in body  # no link to any passport


@pytest.mark.parametrize("role", [Role.NURSE, Role.DOCTOR, Role.CARER, Role.SOCIAL_WORKER,
                                  Role.YOUNG_PERSON, Role.ADMIN, Role.CALDICOTT])
def test_everyone_else_is_refused(area_today, role):
    someone = make_user(f"someone.{role}", role, "Someone")
    someone.organisation = area_today["designated"].organisation  # even in the same trust
    someone.save()
    before = AuditEvent.objects.filter(action="area_figures_viewed").count()
    response = login(Client(), someone).get(PAGE)
    assert response.status_code == 403
    assert "Stockport" not in response.content.decode()
    refused = login(APIClient(), someone).get(API)
    assert refused.status_code == 403
    assert "quarters" not in refused.json()
    assert AuditEvent.objects.filter(action="area_figures_viewed").count() == before


def test_the_nurse_and_the_stranger_are_refused(area_today, her_nurse, stranger):
    for user in (her_nurse, stranger, area_today["nurse"]):
        assert login(Client(), user).get(PAGE).status_code == 403
        assert login(APIClient(), user).get(API).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert APIClient().get(API).status_code == 403


def test_each_view_is_logged_once(area_today):
    client = login(Client(), area_today["designated"])
    client.get(PAGE)
    events = AuditEvent.objects.filter(action="area_figures_viewed")
    assert events.count() == 1
    assert (events.get().actor, events.get().passport) == (area_today["designated"], None)


def test_without_areas_it_says_so(db):
    designated = make_user("dr.alone", Role.DESIGNATED, "Dr Alone")  # no organisation
    body = login(Client(), designated).get(PAGE).content.decode()
    assert "No local authority areas are linked to your organisation yet" in body
    assert login(APIClient(), designated).get(API).json() == {"areas": [], "quarters": []}


def test_the_home_page_links_to_it_for_those_who_may_see_it(area):
    for key, linked in (("designated", True), ("lead", True), ("nurse", False)):
        body = login(Client(), area[key]).get("/").content.decode()
        assert (f'href="{PAGE}"' in body) is linked, key


def test_the_same_queries_for_2_children_as_for_8(area):
    counts = []
    for many in (2, 8):
        for n in range(many - len(CareEpisode.objects.all())):
            passport = child(area, f"Kid{n}", TODAY - (40 + n) * DAY)
            assessment(area, passport, TODAY - (35 + n) * DAY)
        client = login(Client(), area["designated"])
        client.get(PAGE)  # the session's first request settles its own bookkeeping
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_caseload_and_the_figures_agree_on_what_is_overdue(area):
    """Every duty the caseload shows as overdue is a breach in the figures: in the quarter it
    fell due, or, before the quarters shown, in "still not done". A returned assessment leaves
    the duty open on both."""
    from passport.care.caseload import caseload

    today = timezone.localdate()
    long_ago = child(area, "Amara", today - datetime.timedelta(days=800))  # never assessed
    lately = child(area, "Bartosz", today - datetime.timedelta(days=40))  # overdue now
    returned = child(area, "Cosima", today - datetime.timedelta(days=45))
    sent_back = assessment(area, returned, today - datetime.timedelta(days=5),
                           late_reason="notified_late", until="submitted")
    assessments.do_quality_review(
        reach(area["lead"], returned.pk), sent_back, decision="returned", checklist={},
        comments="Add her own words.", expected_version=sent_back.version)
    done = child(area, "Delphine", today - datetime.timedelta(days=30))
    assessment(area, done, today - datetime.timedelta(days=20))
    overdue = {row.passport_id for row in caseload(area["nurse"], today)
               if row.due and row.due.overdue and row.due.kind == "initial"}
    assert overdue == {long_ago.pk, lately.pk, returned.pk}
    quarters = area_figures.by_quarter(area["designated"], [area["stockport"]], today)
    in_quarters = sum(q.initial.not_done for q in quarters)
    assert in_quarters + quarters[-1].earlier_initial == len(overdue)
    assert quarters[-1].earlier_initial == 1  # Amara's, due some 26 months ago
    page = login(Client(), area["designated"]).get("/figures/").content.decode()
    assert "Still not done: fell due before" in page
    # Her landing page is the figures at a glance: this quarter, and what is still open.
    home = html.unescape(login(Client(), area["designated"]).get("/").content.decode())
    facts = dict(FACT.findall(home))
    assert facts["Breaches"] == str(quarters[0].breaches)
    assert facts["Still not done from before the last five quarters"] == "1"
    assert "There is nothing to show here yet." not in home


def test_short_breaks_and_an_erased_child_are_not_counted(area):
    """Short breaks carry no duty (no initial due date is kept for them), and an erased
    child leaves the figures with her derived dates."""
    from passport.records import erasure

    today = timezone.localdate()
    child(area, "Eden", today - datetime.timedelta(days=40))  # overdue, counted
    breaks = actions.do_create_passport(
        area["admin"], legal_name="Femi Testperson", date_of_birth=datetime.date(2012, 3, 4),
        health_team=area["team"])
    actions.do_assign_professional(area["admin"], breaks, area["nurse"])
    actions.do_add_entry(reach(area["nurse"], breaks.pk), CareEpisode, {
        "started_on": today - datetime.timedelta(days=40), "legal_status": "s20",
        "placement_type": "short_breaks", "placing_authority": area["stockport"],
        "host_area": area["stockport"].pk})
    def counted() -> tuple[int, int]:
        """In care now, and initial assessments not done (whichever quarter they fell in)."""
        quarters = area_figures.by_quarter(area["designated"], [area["stockport"]], today)
        return quarters[0].in_care, sum(q.initial.not_done for q in quarters)

    assert counted() == (1, 1)  # Eden only
    gone = child(area, "Gideon", today - datetime.timedelta(days=40))
    assert counted() == (2, 2)
    erasure._shred(gone)
    assert counted() == (1, 1)
