"""The task list and `manage.py send_reminders`: what is due, emailed once, with no names and
no health content."""

import datetime
import html
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from passport.access import held_back
from passport.models import Area, Assessment, CareEpisode, FamilyHistory, Placement, Role
from passport.records import actions
from tests.conftest import login, make_user
from tests.support.assessments import second_clinician, signed_off
from tests.support.people import assign, place

TODAY = timezone.localdate()


@pytest.fixture
def caseload(her_passport, her_nurse, nurse_reach, young_person):
    her_nurse.email = "priya@example.nhs.uk"
    her_nurse.save()
    carer = make_user("carer.sam", Role.CARER, "Sam Jones")
    worker = make_user("sw.marcus", Role.SOCIAL_WORKER, "Marcus Reid")
    worker.email = "marcus@example.gov.uk"
    worker.save()
    confirmed = TODAY - relativedelta(months=6) + datetime.timedelta(days=5)  # lapses in 5 days
    place(her_passport, carer, started_on=confirmed)
    assign(her_passport, worker)
    entry = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_father", "condition": "Huntington disease",
        "what_this_means": "Testing from 18."})
    hold = held_back.do_hold_back(nurse_reach, entry, opinion="Serious harm now.")
    type(hold).objects.filter(pk=hold.pk).update(review_due_on=TODAY + datetime.timedelta(days=3))
    return {"carer": carer, "worker": worker}


def test_the_nurse_and_social_worker_see_what_is_due(her_passport, her_nurse, caseload,
                                                     young_person):
    page = login(Client(), her_nurse).get("/tasks/").content.decode()
    assert "Sam: Confirm they still live with Sam Jones" in page
    assert "Sam: Review an entry held back" in page
    assert "Huntington" not in page
    worker_page = login(Client(), caseload["worker"]).get("/tasks/").content.decode()
    assert "Confirm they still live with Sam Jones" in worker_page
    assert "held back" not in worker_page  # holds are the health team's alone
    login(Client(), young_person).post(f"/p/{her_passport.pk}/hide-now/", {"on": "1"})
    assert 'Turned on "hide now"' in login(Client(), her_nurse).get(
        "/tasks/").content.decode().replace("&quot;", '"')
    for user in (young_person, caseload["carer"]):
        assert login(Client(), user).get("/tasks/").status_code == 403


def test_send_reminders_emails_once_without_names_or_content(her_passport, her_nurse, caseload):
    call_command("send_reminders", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["marcus@example.gov.uk",
                                                   "priya@example.nhs.uk"]
    nurse_mail = next(m for m in mail.outbox if m.to == ["priya@example.nhs.uk"])
    assert "You have 2 things to do in My Health." in nurse_mail.body
    assert "/tasks/" in nurse_mail.body
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in ("Sam", "Samantha", "Jones", "Huntington", "held back", "placement"):
            assert secret not in text, secret
    mail.outbox.clear()
    call_command("send_reminders", stdout=io.StringIO())
    assert mail.outbox == []  # each task once
    Placement.objects.update(confirmed_on=TODAY - relativedelta(months=6))  # a new due date
    call_command("send_reminders", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["marcus@example.gov.uk",
                                                   "priya@example.nhs.uk"]


def test_a_reminder_that_could_not_be_sent_is_sent_next_time(her_passport, her_nurse, caseload,
                                                             settings):
    from passport.models import ReminderSent

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    settings.EMAIL_TIMEOUT = 2
    call_command("send_reminders", stdout=io.StringIO())
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_assessments_due_and_an_sdq_to_ask_for_come_from_the_derived_dates(
        her_passport, her_nurse, nurse_reach, admin_user, young_person):
    """Sam (15) came into care 400 days ago; her initial assessment, signed off 340 days ago,
    makes a review due 12 months after it, within 30 days: a task, and from 6 weeks before
    it the carer's SDQ to ask for. Neither is anyone else's task."""
    stockport = Area.objects.create(name="Stockport", code="E08000007")
    actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": TODAY - datetime.timedelta(days=400), "legal_status": "care_order",
        "placement_type": "foster", "placing_authority": stockport, "host_area": stockport.pk})
    held = TODAY - datetime.timedelta(days=340)
    signed_off(nurse_reach, second_clinician(her_passport, admin_user), kind="initial",
               held_on=held, outcome="done")
    due = held + relativedelta(months=12)
    page = html.unescape(login(Client(), her_nurse).get("/tasks/").content.decode())
    assessments = f"/p/{her_passport.pk}/assessments/?add=review#add"
    assert "Sam: Review health assessment due" in page and f'href="{assessments}"' in page
    # From 11 she fills in her own SDQ too; it is due by the review it is for.
    assert "Sam: Ask for an SDQ: their own, and their carer's" in page
    assert page.count(f"{due:%-d %B %Y}") == 2
    draft = actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "review", "held_on": TODAY, "outcome": "done"})
    page = html.unescape(login(Client(), her_nurse).get("/tasks/").content.decode())
    # Carry on with the draft: never a second assessment started from the task.
    assert "Sam: Review health assessment due. A draft is started." in " ".join(page.split())
    assert f'href="/p/{her_passport.pk}/assessments/{draft.pk}/"' in page
    worker = make_user("sw.ana", Role.SOCIAL_WORKER, "Ana Reid")
    assign(her_passport, worker)
    assert "health assessment due" not in login(Client(), worker).get(
        "/tasks/").content.decode()
