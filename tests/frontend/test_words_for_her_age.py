"""Her own immunisations and wellbeing pages speak to her age: a few words first, the schedule
line by line one tap below them, the SDQ named and explained. Her health team's page opens on
the schedule itself."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from passport.access.policy import reach
from passport.models import ImmunisationDose, Role
from passport.records import actions
from tests.conftest import login, make_user

TODAY = timezone.localdate()


def passport_aged(admin_user, nurse, years: int, username: str):
    owner = make_user(username, Role.YOUNG_PERSON)
    passport = actions.do_create_passport(
        admin_user, legal_name="Mia Rose Jones", chosen_name="Mia",
        date_of_birth=TODAY - relativedelta(years=years, months=2), owner=owner)
    actions.do_assign_professional(admin_user, passport, nurse)
    # One infant dose recorded: the rest of the course is late.
    actions.do_add_entry(reach(nurse, passport.pk), ImmunisationDose, {
        "vaccine": "5in1", "given_on": passport.born + datetime.timedelta(weeks=9),
        "dose_number": 1, "source": "gp_record"})
    return owner, passport


def page_of(user, path: str, professional: bool = False) -> str:
    client = Client()
    client.force_login(user)
    if professional:
        login(client, user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def before_and_inside_the_fold(html: str) -> tuple[str, str]:
    panel = html[html.index('aria-labelledby="schedule"'):]
    panel = panel[:panel.index("</section>")]
    fold = panel.index('<details class="schedule">')
    return panel[:fold], panel[fold:]


@pytest.mark.parametrize("years, words", [
    (9, "Some of your vaccinations may need catching up."),
    (15, "vaccinations may be due. Your nurse or GP will check your GP record"),
])
def test_her_immunisations_open_with_words_for_her_age_and_the_schedule_folded(
        db, admin_user, her_nurse, years, words):
    owner, passport = passport_aged(admin_user, her_nurse, years, f"yp.{years}")
    html = page_of(owner, f"/p/{passport.pk}/immunisations/")
    before, inside = before_and_inside_the_fold(html)
    assert "Your vaccinations in short" in before
    assert "1 vaccination is recorded here." in before
    assert words in before
    # No line of the schedule, and nothing "overdue", before she taps to see it.
    assert "overdue" not in before and "resume the course" not in before
    assert "<summary>See each vaccine by the UK schedule</summary>" in inside
    assert re.search(r"</strong>: (to catch up|due now)</p>", inside)  # her words
    if years < 13:  # no count of what is late for a child
        assert not re.search(r"\d+ vaccinations may be due", before)


def test_her_nurse_reads_the_schedule_unfolded(db, admin_user, her_nurse):
    _owner, passport = passport_aged(admin_user, her_nurse, 9, "yp.nine")
    html = page_of(her_nurse, f"/p/{passport.pk}/immunisations/", professional=True)
    assert '<h2 id="schedule">What looks due, by the UK schedule</h2>' in html
    assert '<details class="schedule">' not in html
    assert "Your vaccinations in short" not in html


def test_the_sdq_is_named_and_explained_to_her_not_to_her_nurse(db, admin_user, her_nurse):
    owner, passport = passport_aged(admin_user, her_nurse, 9, "yp.nine")
    mine = page_of(owner, f"/p/{passport.pk}/wellbeing/")
    assert "Questionnaires about how you are (SDQ)" in mine
    assert "The SDQ (Strengths and Difficulties Questionnaire) is a short set of questions" in mine
    nurses = page_of(her_nurse, f"/p/{passport.pk}/wellbeing/", professional=True)
    assert ">SDQ results</h2>" in nurses
    assert "Strengths and Difficulties Questionnaire) is a short" not in nurses
