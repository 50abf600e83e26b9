"""The conditions page: list, add, change with a reason, see the history."""

import re

import pytest
from django.test import Client

from passport.models import AuditEvent, Condition
from tests.conftest import login


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        login(client, user)
        return client
    return make


def page(passport, entry=None, suffix=""):
    base = f"/p/{passport.pk}/conditions/"
    return base + (f"condition/{entry.pk}/{suffix}" if entry else "")


def add(passport):
    return f"/p/{passport.pk}/conditions/condition/add/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_her_nurse_sees_the_entries(client_for, her_passport, her_nurse, asthma):
    response = client_for(her_nurse).get(page(her_passport))
    assert response.status_code == 200
    body = text(response)
    assert "Asthma" in body and "Preventer inhaler twice a day" in body
    assert "For Sam" in body
    assert 'href="#main"' in body  # the skip link of the shared layout


def test_words_that_look_like_code_are_shown_as_words(client_for, her_passport, her_nurse,
                                                     nurse_reach):
    from passport.records import actions

    actions.do_add_entry(nurse_reach, Condition, {
        "kind": "condition", "name": "<script>alert(1)</script>",
        "details": '"><img src=x onerror=alert(2)>'})
    body = client_for(her_nurse).get(page(her_passport)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body and "<img src=x" not in body


def test_the_page_has_a_strict_content_security_policy(client_for, her_passport, her_nurse):
    response = client_for(her_nurse).get(page(her_passport))
    assert response["Cache-Control"] == "no-store"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all(" src=" in tag and " defer" in tag for tag in scripts)  # no inline
    assert " style=" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(her_passport):
    response = Client().get(page(her_passport))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["stranger", "other_nurse"])
def test_others_get_not_found(client_for, request, her_passport, asthma, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(page(her_passport)).status_code == 404
    assert client.get(page(her_passport, asthma, "edit/")).status_code == 404
    assert client.get(page(her_passport, asthma, "history/")).status_code == 404
    response = client.post(add(her_passport), {"kind": "allergy", "name": "x"})
    assert response.status_code == 404
    assert "Asthma" not in response.content.decode()
    assert Condition.objects.count() == 1


def test_her_nurse_adds_an_entry(client_for, her_passport, her_nurse):
    client = client_for(her_nurse)
    response = client.post(add(her_passport), {
        "kind": "allergy", "name": "Latex", "details": "Hives", "what_to_do": "No gloves",
        "privacy": "auto",
    }, follow=True)
    assert response.status_code == 200
    body = text(response)
    assert "Added." in body and "Latex" in body and "No gloves" in body


def test_a_bad_form_says_what_is_wrong_and_saves_nothing(client_for, her_passport, her_nurse):
    response = client_for(her_nurse).post(add(her_passport), {
        "kind": "allergy", "name": "Latex", "started_on": "2020-05-01",
        "ended_on": "2019-01-01",
    })
    assert response.status_code == 400
    body = text(response)
    assert "There is a problem" in body and 'href="#id_ended_on"' in body
    assert "The end date is before the start date." in body
    assert Condition.objects.count() == 0
    response = client_for(her_nurse).post(add(her_passport), {"kind": "", "name": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in text(response)
    assert Condition.objects.count() == 0


def test_the_young_person_reads_her_own_entries_without_a_log_entry(client_for, her_passport,
                                                                    young_person, asthma):
    response = client_for(young_person).get(page(her_passport))
    assert response.status_code == 200
    assert "Asthma" in text(response)
    assert not AuditEvent.objects.filter(action="section_viewed").exists()


def test_her_nurses_view_is_logged_once_with_its_basis(client_for, her_passport, her_nurse,
                                                       asthma):
    client_for(her_nurse).get(page(her_passport))
    views = AuditEvent.objects.filter(action="section_viewed")
    assert [(e.actor, e.basis, e.section) for e in views] == [
        (her_nurse, "health_team", "conditions")
    ]


def test_a_change_keeps_the_earlier_version(client_for, her_passport, her_nurse, asthma):
    client = client_for(her_nurse)
    form = client.get(page(her_passport, asthma, "edit/"))
    assert 'name="version" value="1"' in form.content.decode()
    response = client.post(page(her_passport, asthma, "edit/"), {
        "version": 1, "reason": "Seen at review", "kind": "condition", "name": "Asthma",
        "details": "Preventer once a day",
    }, follow=True)
    assert "Changes saved." in text(response)
    history = text(client.get(page(her_passport, asthma, "history/")))
    assert "Version 2" in history and "Version 1" in history
    assert "Seen at review" in history and "By Priya Shah" in history
    assert "Preventer inhaler twice a day" in history


def test_a_stale_form_is_refused_with_a_clear_message(client_for, her_passport, her_nurse,
                                                      asthma):
    client = client_for(her_nurse)
    first = {"version": 1, "reason": "a", "kind": "condition", "name": "Asthma",
             "details": "first writer"}
    assert client.post(page(her_passport, asthma, "edit/"), first).status_code == 302
    second = first | {"details": "second writer", "reason": "b"}
    response = client.post(page(her_passport, asthma, "edit/"), second)
    assert response.status_code == 409
    body = text(response)
    assert "Someone else changed this entry while you were editing it" in body
    assert "first writer" in body  # the winner's version, to change again
    assert 'name="version" value="2"' in body
    assert Condition.objects.get(pk=asthma.pk).details == "first writer"


def test_the_list_page_does_not_query_per_entry(client_for, her_passport, her_nurse,
                                                nurse_reach, django_assert_max_num_queries):
    from passport.records import actions

    client = client_for(her_nurse)
    for n in range(3):
        actions.do_add_entry(nurse_reach, Condition, {"kind": "medicine", "name": f"m{n}"})
    with django_assert_max_num_queries(20) as few:
        client.get(page(her_passport))
    for n in range(3, 30):
        actions.do_add_entry(nurse_reach, Condition, {"kind": "medicine", "name": f"m{n}"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page(her_passport))


def test_the_home_page_lists_her_nurses_young_people(client_for, her_passport, her_nurse,
                                                     other_passport):
    response = client_for(her_nurse).get("/")
    body = text(response)
    assert "Sam" in body and "Other Person" not in body
    assert AuditEvent.objects.filter(action="list_viewed", actor=her_nurse).count() == 1


def test_the_caseload_list_does_not_query_per_young_person(client_for, her_nurse, admin_user,
                                                           django_assert_max_num_queries):
    import datetime

    from passport.records import actions

    def add_young_people(first, count):
        for n in range(first, first + count):
            passport = actions.do_create_passport(
                admin_user, legal_name=f"Young Person {n}",
                date_of_birth=datetime.date(2012, 1, 1))
            actions.do_assign_professional(admin_user, passport, her_nurse)

    client = client_for(her_nurse)
    add_young_people(0, 2)
    with django_assert_max_num_queries(30) as few:
        assert "Young Person 1" in client.get("/").content.decode()
    add_young_people(2, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Young Person 21" in client.get("/").content.decode()


def test_each_request_unwraps_the_key_once_and_keeps_none_afterwards(client_for, her_passport,
                                                                     her_nurse, nurse_reach):
    from passport.encryption import crypto
    from passport.records import actions

    for n in range(10):
        actions.do_add_entry(nurse_reach, Condition, {"kind": "medicine", "name": f"m{n}",
                                               "details": "d"})
    client = client_for(her_nurse)
    the_tests_own = crypto.scope_cache()  # it holds the key already (the entries above)
    for _ in range(2):
        before = crypto.STATS["unwrap"]
        assert client.get(page(her_passport)).status_code == 200
        # The request opened a scope of its own (so unwrapped the key although the test holds
        # it), and it is gone, keys with it.
        assert crypto.STATS["unwrap"] - before == 1
        assert crypto.scope_cache() is the_tests_own


def test_a_nurse_no_longer_sees_a_young_person_after_care_ends(client_for, her_passport,
                                                               her_nurse, asthma):
    import datetime

    from passport.models import Passport

    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=datetime.date(2020, 1, 1))
    client = client_for(her_nurse)
    home = text(client.get("/"))
    assert "Sam" not in home, home[max(0, home.find("Sam") - 300):home.find("Sam") + 100]
    assert client.get(page(her_passport)).status_code == 404
