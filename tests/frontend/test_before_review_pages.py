"""Her say before a review, through the pages: asked on her home from 6 weeks before a review,
written and sent from her wellbeing section, read by her nurse beside the assessment, named on
the caseload and in her "who has looked"."""

import datetime

import pytest
from django.utils import timezone

from passport.access.policy import reach
from passport.care import assessments
from passport.models import Assessment, BeforeReview, Passport
from passport.records import actions
from tests.conftest import login

TODAY = timezone.localdate()


@pytest.fixture
def review_soon(her_passport):
    Passport.objects.filter(pk=her_passport.pk).update(
        next_assessment_on=TODAY + datetime.timedelta(days=30), next_assessment_kind="review")
    return her_passport


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_her_home_asks_her_and_her_words_reach_her_nurse(client, review_soon, young_person,
                                                          her_nurse):
    login(client, young_person)
    home = _page(client, "/")
    assert "Before your health review" in home
    assert "Only you can see it until you send it." in home
    wellbeing = f"/p/{review_soon.pk}/wellbeing/"
    form = _page(client, wellbeing + "?add=before_review")
    assert "Before my health review: say what you think" in form
    assert 'name="privacy"' not in form.split("Before my health review: say what")[1].split(
        "</form>")[0]  # nothing to choose: always private
    added = client.post(wellbeing + "before_review/add/", {
        "going_well": "School", "worries": "My teeth hurt", "talk_about": "",
        "where_to_meet": "At school", "who_there": "", "seen_alone": "yes"})
    assert added.status_code == 302
    entry = BeforeReview.objects.get(passport=review_soon)
    assert "Carry on with what you started" in _page(client, "/")
    # The walk's findings: one draft at a time; a draft says it is hers alone; sending comes
    # after her answers and says what it does; changing her own draft asks no "why".
    drafted = _page(client, wellbeing)
    assert "Before my health review: say what you think" not in drafted
    assert "Draft: only you can see this" in drafted
    assert "Private: you and your health team only" not in drafted
    assert drafted.index("My teeth hurt") < drafted.index("Send it to my health team")
    assert "When you send it, your health team can read it" in drafted
    edit = _page(client, f"{wellbeing}before_review/{entry.pk}/edit/")
    assert 'name="reason"' not in edit
    changed = client.post(f"{wellbeing}before_review/{entry.pk}/edit/", {
        "version": entry.version, "going_well": "School", "worries": "My teeth hurt",
        "talk_about": "Sleep", "where_to_meet": "At school", "who_there": "",
        "seen_alone": "yes"})
    assert changed.status_code == 302
    entry.refresh_from_db()
    nurse = client.__class__()
    login(nurse, her_nurse)
    assert "My teeth hurt" not in _page(nurse, wellbeing)  # a draft is hers alone
    sent = client.post(f"/p/{review_soon.pk}/wellbeing/before_review/{entry.pk}/send/",
                       {"version": entry.version})
    assert sent.status_code == 302
    after = _page(client, wellbeing)
    assert "You sent this to your health team on" in after
    assert "Send it to my health team" not in after
    assert "You sent your health team what you think on" in _page(client, "/")
    # Her nurse: on the caseload, then beside the assessment she is writing.
    caseload = _page(nurse, "/")
    assert "Sent what they think before their review" in caseload
    assert "Add: before my health review" not in _page(nurse, wellbeing)  # hers to write
    draft = actions.do_add_entry(reach(her_nurse, review_soon.pk), Assessment, {
        "kind": "review", "held_on": TODAY, "outcome": "done"})
    page = _page(nurse, f"/p/{review_soon.pk}/assessments/{draft.pk}/")
    assert "What the young person said before this assessment" in page
    assert "My teeth hurt" in page
    _page(nurse, f"/p/{review_soon.pk}/assessments/{draft.pk}/")  # read again at once
    looked = _page(client, f"/p/{review_soon.pk}/who-has-looked/")
    assert looked.count("read what you wrote before your health review") == 1


def test_not_asked_long_before_a_review(client, her_passport, young_person):
    Passport.objects.filter(pk=her_passport.pk).update(
        next_assessment_on=TODAY + datetime.timedelta(days=100), next_assessment_kind="review")
    login(client, young_person)
    assert "Before your health review" not in _page(client, "/")


def test_a_child_is_asked_in_a_childs_words(client, admin_user, her_nurse):
    from passport.models import Role
    from tests.conftest import make_user

    child = make_user("yp.mia", Role.YOUNG_PERSON)
    passport = actions.do_create_passport(
        admin_user, legal_name="Mia Test", date_of_birth=TODAY.replace(year=TODAY.year - 9),
        owner=child)
    login(client, child)
    form = _page(client, f"/p/{passport.pk}/wellbeing/?add=before_review")
    assert "Is anything bothering you?" in form
    assert "Do you want to talk to your nurse without a grown-up for a bit?" in form
    assert "What worries me" not in form


def test_the_quality_checklist_asks_about_it():
    assert dict(assessments.CHECKLIST)["her_say"].startswith(
        "What the young person sent before the assessment")


def test_a_carer_helps_a_young_child_from_their_own_account(client, admin_user, her_nurse):
    """Kim looks after Mia (8): her home and Mia's page offer to help; they write it together,
    save, come back, and send it; then Kim cannot read it, and Mia and her nurse see who
    helped."""
    from passport.access import sharing
    from passport.models import Role
    from tests.conftest import make_user

    child = make_user("yp.mia", Role.YOUNG_PERSON)
    mia = actions.do_create_passport(
        admin_user, legal_name="Mia Test", chosen_name="Mia",
        date_of_birth=TODAY.replace(year=TODAY.year - 8), owner=child)
    actions.do_assign_professional(admin_user, mia, her_nurse)
    Passport.objects.filter(pk=mia.pk).update(
        next_assessment_on=TODAY + datetime.timedelta(days=20), next_assessment_kind="review")
    kim = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, mia, kim, TODAY)
    helping = f"/p/{mia.pk}/wellbeing/before_review/help/"

    login(client, kim)
    assert "Help Mia say what they think before their health review" in _page(client, "/")
    assert "Help Mia say what they think" in _page(client, f"/p/{mia.pk}/")
    form = _page(client, helping)
    assert "Is anything bothering you?" in form  # her words, asked simply
    assert "you will not see it again" in form
    saved = client.post(helping, {"going_well": "Swimming", "worries": "Loud at night",
                                  "talk_about": "", "where_to_meet": "", "who_there": "",
                                  "seen_alone": "", "save": "1"})
    assert saved.status_code == 302
    entry = BeforeReview.objects.get(passport=mia)
    again = _page(client, helping)
    assert "Loud at night" in again and "Saved. You can come back to it together." in again
    assert "Carry on helping Mia" in _page(client, "/")
    sent = client.post(helping, {"version": entry.version, "going_well": "Swimming",
                                 "worries": "Loud at night", "talk_about": "My ears",
                                 "where_to_meet": "", "who_there": "", "seen_alone": "",
                                 "send": "1"}, follow=True)
    page = sent.content.decode()
    assert "Sent. Only Mia and their health team can read it now." in page
    assert "Loud at night" not in page and "My ears" not in page
    assert "You sent what Mia said on" in page
    assert "Loud at night" not in _page(client, helping)
    assert "Help Mia say" not in _page(client, "/")  # done: no task left on her home
    assert client.get(f"/p/{mia.pk}/wellbeing/").status_code == 403

    login(client, child)
    hers = _page(client, f"/p/{mia.pk}/wellbeing/")
    assert "Loud at night" in hers and "Written with Kim Lee." in hers
    assert "Kim Lee cannot see it now: only you and your health team." in hers
    login(client, her_nurse)
    assert client.get(helping).status_code == 403  # her nurse does not write her words
    nurse_sees = _page(client, f"/p/{mia.pk}/wellbeing/")
    assert "My ears" in nurse_sees and "Written with Kim Lee." in nurse_sees
    # The walk's nurse: it looked as if Mia sent it alone.
    assert "Written and sent by Kim Lee (carer) with the young person on" in nurse_sees
    assert "Offer them time on their own." in nurse_sees


def test_a_stranger_cannot_help(client, review_soon):
    from passport.models import Role
    from tests.conftest import make_user

    login(client, make_user("carer.other", Role.CARER, "Other Carer"))
    assert client.get(f"/p/{review_soon.pk}/wellbeing/before_review/help/").status_code == 404


def test_she_learns_when_it_was_read_and_the_caseload_says_unread(client, review_soon,
                                                                  young_person, her_nurse):
    """The walk's wish: she wants to know her nurse read it; her nurse wants to know whose is
    still unread. Her history shows her name, not her username."""
    hers = reach(young_person, review_soon.pk)
    draft = actions.do_add_entry(hers, BeforeReview, {"worries": "My teeth hurt"})
    from passport.care import before_review

    before_review.do_send(hers, draft, expected_version=draft.version)
    login(client, young_person)
    wellbeing = f"/p/{review_soon.pk}/wellbeing/"
    assert "Your health team has not read it yet." in _page(client, wellbeing)
    login(client, her_nurse)
    assert "(not read yet)" in _page(client, "/")
    page = _page(client, f"/p/{review_soon.pk}/wellbeing/")
    assert "First read by the health team on" in page
    assert "(not read yet)" not in _page(client, "/")
    history = _page(client, f"/p/{review_soon.pk}/wellbeing/before_review/{draft.pk}/history/")
    assert "By Sam on" in history and "yp.sam" not in history
    login(client, young_person)
    assert "Your health team read it on" in _page(client, f"/p/{review_soon.pk}/wellbeing/")


def test_the_api_shows_when_she_sent_it_and_she_sends_it_there(review_soon, young_person,
                                                              her_nurse):
    from rest_framework.test import APIClient

    api = login(APIClient(), young_person)
    base = f"/api/v1/passports/{review_soon.pk}/wellbeing/"
    made = api.post(base + "before_review/", {"worries": "My teeth hurt"}, format="json")
    assert made.status_code == 201 and made.json()["sent_on"] is None
    entry_id = made.json()["id"]
    read = api.get(f"{base}before_review/{entry_id}/")
    nurse = login(APIClient(), her_nurse)
    assert nurse.post(f"{base}before_review/{entry_id}/send/",
                      HTTP_IF_MATCH=read.headers["ETag"]).status_code in (403, 404)
    assert api.post(f"{base}before_review/{entry_id}/send/").status_code == 428
    sent = api.post(f"{base}before_review/{entry_id}/send/", HTTP_IF_MATCH=read.headers["ETag"])
    assert sent.status_code == 200 and sent.json()["sent_on"] == TODAY.isoformat()
    assert sent.json()["helped_by"] is None
    seen = nurse.get(f"{base}before_review/{entry_id}/").json()
    assert seen["worries"] == "My teeth hurt" and seen["sent_on"] == TODAY.isoformat()


def test_a_child_may_write_her_own_beside_the_one_her_carer_started(client, admin_user,
                                                                    her_nurse):
    """The walk's Mia: with Kim's draft waiting, her page offered her no form of her own."""
    from passport.access import sharing
    from passport.care import before_review
    from passport.models import Role
    from tests.conftest import make_user

    child = make_user("yp.mia", Role.YOUNG_PERSON)
    mia = actions.do_create_passport(
        admin_user, legal_name="Mia Test", chosen_name="Mia",
        date_of_birth=TODAY.replace(year=TODAY.year - 8), owner=child)
    Passport.objects.filter(pk=mia.pk).update(
        next_assessment_on=TODAY + datetime.timedelta(days=20), next_assessment_kind="review")
    kim = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, mia, kim, TODAY)
    before_review.do_help_write(reach(kim, mia.pk), {"going_well": "Swimming"})
    login(client, child)
    page = _page(client, f"/p/{mia.pk}/wellbeing/")
    assert "Before my health review: say what you think" in page
    assert "Draft: you and Kim Lee can see this" in page
    assert "Only you can see this until you send it" not in page


def test_a_sent_ones_edit_address_says_it_stays_as_it_was(client, review_soon, young_person):
    hers = reach(young_person, review_soon.pk)
    draft = actions.do_add_entry(hers, BeforeReview, {"worries": "My teeth hurt"})
    from passport.care import before_review

    before_review.do_send(hers, draft, expected_version=draft.version)
    login(client, young_person)
    response = client.get(f"/p/{review_soon.pk}/wellbeing/before_review/{draft.pk}/edit/",
                          follow=True)
    page = response.content.decode()
    assert response.redirect_chain and "My teeth hurt</textarea>" not in page
    assert "You sent this to your health team, so it stays as it was." in page
