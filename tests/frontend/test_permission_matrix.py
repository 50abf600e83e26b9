"""docs/access.md's table, copied here by hand, against real HTTP requests to the pages and the
API. The expectations are never derived from passport/access/policy.py."""

import datetime

import pytest
from django.test import Client
from django.urls import URLPattern
from django.utils import timezone
from rest_framework.test import APIClient

from passport.access import sharing
from passport.access.policy import reach
from passport.models import (
    Control,
    Grant,
    Passport,
    Placement,
    Role,
)
from tests.conftest import login, make_user
from tests.support.people import assign, decide_sharing, her_people, share

# Sections while the young person is in care (docs/access.md), copied by hand.
# R = read, W = write, G = read only if granted, - = nothing, X = never, not even by grant.
# "care" is our pseudo-section for care episodes (decision 0007). "my_notes", her notes for
# herself alone, was added by decision 0058: its row too is copied by hand from docs/access.md.
TABLE = """
section         owner  health_team  placement  social_work  grant
about_me        RW     RW           R          R            G
contacts        RW     RW           R          R            G
immunisations   R      RW           R          R            G
birth_history   R      RW           G          G            G
family_history  R      RW           X          -            G
conditions      RW     RW           R          G            G
assessments     R      RW           G          G            G
health_plan     R      RW           R          R            G
wellbeing       RW     RW           G          G            G
sexual_health   RW     G            -          -            G
appointments    RW     RW           R          R            G
my_services     RW     -            -          -            -
my_notes        RW     -            -          -            -
care            R      RW           -          R            -
"""
ROWS = [line.split() for line in TABLE.strip().splitlines()]
BASES = ROWS[0][1:]
CELLS = {(row[0], basis): cell for row in ROWS[1:] for basis, cell in zip(BASES, row[1:],
                                                                           strict=True)}
SECTIONS = [row[0] for row in ROWS[1:]]
TODAY = timezone.localdate()


@pytest.fixture
def people(her_passport, young_person, her_nurse, db):
    # Every grantable section, sexual health too: only she shares that, so she manages her
    # sharing when she grants, and her nurse then records that she is supported again (the
    # grant stays). Each test sets the control it is about.
    decide_sharing(her_passport, Control.SELF_MANAGED)
    cast = her_people(her_passport,
                      granted=[s for s in SECTIONS
                               if s not in {"my_services", "my_notes", "care"}])
    decide_sharing(her_passport, Control.SUPPORTED)
    return cast | {"owner": young_person, "health_team": her_nurse,
                   "none": make_user("nosy", Role.CARER, "Nosy Neighbour")}


def expected_read(section: str, basis: str) -> int:
    cell = CELLS.get((section, basis), "-")
    if basis == "none":
        return 404
    # G opens only for someone holding a grant of the section: here, only the "grant" user.
    return 200 if cell.startswith("R") or (cell == "G" and basis == "grant") else 403


@pytest.mark.parametrize("state", ["supported", "self_managed"])
def test_every_read_cell_on_the_pages_and_the_api(her_passport, people, state):
    Passport.objects.filter(pk=her_passport.pk).update(control=state)
    for basis, user in people.items():
        page, api = login(Client(), user), login(APIClient(), user)
        for section in SECTIONS:
            want = expected_read(section, basis)
            got = page.get(f"/p/{her_passport.pk}/{section}/").status_code
            assert got == want, (basis, section, "page", got)
            got = api.get(f"/api/v1/passports/{her_passport.pk}/{section}/").status_code
            assert got == want, (basis, section, "api", got)


def test_the_health_team_writes_and_the_others_do_not(her_passport, people):
    sample = {"item": "Birth weight", "status": "asked"}  # "not known yet", in every section
    for basis, user in people.items():
        api = login(APIClient(), user)
        for section in SECTIONS:
            if section in ("my_services", "my_notes"):
                continue  # they hold no "not known yet" items
            url = f"/api/v1/passports/{her_passport.pk}/{section}/not_known_yet/"
            status = api.post(url, sample, format="json").status_code
            cell = CELLS[(section, basis)] if basis != "none" else "-"
            if basis == "health_team" and cell == "RW":
                assert status == 201, (basis, section, status)
            else:
                assert status in (403, 404), (basis, section, status)


@pytest.mark.parametrize("ending", ["care_ended", "placement_ended", "placement_unconfirmed"])
def test_professional_bases_end(her_passport, people, ending):
    yesterday = TODAY - datetime.timedelta(days=1)
    if ending == "care_ended":
        Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=yesterday)
        gone = ["health_team", "placement", "social_work"]
    elif ending == "placement_ended":
        Placement.objects.update(ended_on=yesterday)
        gone = ["placement"]
    else:
        Placement.objects.update(confirmed_on=TODAY - datetime.timedelta(days=200))
        gone = ["placement"]
    for basis in gone:
        client, api = login(Client(), people[basis]), login(APIClient(), people[basis])
        for section in SECTIONS:
            assert client.get(f"/p/{her_passport.pk}/{section}/").status_code == 404, (
                ending, basis, section)
            assert api.get(f"/api/v1/passports/{her_passport.pk}/{section}/").status_code == (
                404), (ending, basis, section, "api")
    owner = login(Client(), people["owner"])
    assert owner.get(f"/p/{her_passport.pk}/conditions/").status_code == 200
    assert login(Client(), people["grant"]).get(
        f"/p/{her_passport.pk}/conditions/").status_code == 200  # grants stay (docs/access.md)


# --- route coverage ------------------------------------------------------------------------

# Every named URL of the pages and the API, with where its permissions are tested. A new URL
# without a row here fails the test below until someone says how it is protected.
COVERED = {
    "home": "lists only what reach() gives: test_conditions_page (caseload), test_bases",
    "login": "public", "logout": "public", "password_reset": "public",
    "password_reset_done": "public", "password_reset_confirm": "public",
    "password_reset_complete": "public", "invitation": "public (single-use secret)",
    "invitation-accept": "public (secret in the session)",
    "source": "public (the AGPL: anyone who uses it): test_source",
    "source-archive": "public (the program only): test_source",
    "invitation-open": "public (posts the secret from after #): test_invitations",
    "share-open-posted": "public (posts the secret from after #): test_share_links",
    "sign-out-everywhere": "own account: test_sessions",
    "password-change": "own account (knowing its password): test_password_change",
    "session-end": "own sessions only: test_signed_in_sessions",
    "two-factor": "own account", "two-factor-setup": "own account",
    "two-factor-backup-codes": "own account, verified", "passkeys": "own account",
    "invite": "roles: test_invitations", "services": "public", "service": "public",
    "service-save": "owner only: test_services", "api-services": "public",
    "passport": "any basis: this matrix (404 for none)",
    "section": "this matrix", "api-section": "this matrix",
    "entry-add": "this matrix (writes)", "api-entries": "this matrix (writes)",
    "entry-edit": "test_conditions_page, test_section_pages",
    "entry-history": "test_conditions_page", "api-entry": "test_conditions_api",
    "api-entry-revisions": "test_conditions_api",
    "identity": "test_section_pages", "date-of-birth": "test_section_pages",
    "reset-second-factor": "test_recovery", "sharing": "test_sharing",
    "recovery-issue": "health team or personal adviser: test_password_code",
    "recovery-use": "public (one-time code, counted tries): test_password_code",
    "sharing-revoke": "test_sharing", "who-has-looked": "test_sharing",
    "carer-view": "test_sharing",
    "control": "test_sharing",
    "hide-now": "owner only: test_hide_now", "entry-hold": "health team only: test_held_back",
    "placements": "nurse, social worker, who decides: test_care_journeys",
    "care-ending": "nurse and social worker: test_care_journeys",
    "leaver-summary": "health team only: test_leaver_summary",
    "api-leaver-summary": "health team only: test_leaver_summary",
    "api-leaver-summary-ready": "health team only: test_leaver_summary",
    "withdraw-adviser": "owner only: test_care_journeys",
    "share-links": "owner or who decides: test_share_links",
    "share-link-revoke": "owner or who decides: test_share_links",
    "share-viewer": "public, the link's code: test_share_links",
    "share-open": "public (secret into the session): test_share_links",
    "break-glass": "health roles, eligibility in the action: test_break_glass",
    "break-glass-reviews": "Caldicott guardian only: test_break_glass",
    "tasks": "health roles and social workers, own caseload: test_tasks",
    "area-figures": "designated professional and team lead, counts only: test_area_figures",
    "api-figures": "designated professional and team lead, counts only: test_area_figures",
    "hold-after-care": "former health team, open holds only: test_held_back",
    "manifest": "public", "service-worker": "public", "offline": "public",
    "quick-exit": "public (signs out)", "set-language": "public (own account)",
    "accessibility": "public", "privacy": "public: test_public_pages",
    "contact": "public: test_public_pages", "settings": "own account: test_young_persons_app",
    "my-copy": "owner only: test_young_persons_app",
    "guide": "own account: test_young_persons_app",
    "entry-not-right": "readers of the section; owner only in the action: "
                       "test_young_persons_app",
    "correction-done": "health team only: test_young_persons_app",
    "before-review-send": "owner only, in the action; drafts hers alone: test_before_review",
    "api-before-review-send": "owner only, in the action: test_before_review_pages",
    "push-subscription": "own account, a young person's stay-signed-in session: "
                         "test_phone_reminder_pages",
    "help-before-review": "a carer of a current placement of a child under 11, while she is "
                          "asked: test_before_review_helped",
    "assessment": "health team only, QA not by the author: test_assessments",
    "api-assessment-workflow": "health team only: test_assessments",
    "api-assessment-plan": "health team only: test_assessments",
    "api-assessment-action-reviews": "health team only: test_assessments",
    "api-assessment-submit": "health team only: test_assessments",
    "api-assessment-quality-review": "health team, not the author: test_assessments",
    "api-assessment-addenda": "health team only: test_assessments",
    "api-sign-off": "own queue (health roles): test_assessments",
    "contributions": "health team only: test_contributions",
    "api-contributions": "health team only: test_contributions",
    "api-contribution-received": "health team only: test_contributions",
    "catch-up": "health team only: test_contributions",
    "api-catch-up": "health team only: test_contributions",
    "api-caseload": "own caseload (health roles): test_caseload",
    "booklet": "owner, or health team once the summary is ready: test_booklet",
    "api-booklet": "owner, or health team once the summary is ready: test_booklet",
    "share-booklet": "the link's viewer, shared sections only: test_booklet",
    "api-schema": "public where HP_API_DOCS is on, else 404: test_schema",
    "api-docs": "public where HP_API_DOCS is on, else 404: test_schema",
    "api-fhir": "any basis, the sections it may read: test_exports",
    "api-export": "owner only: test_exports",
    "my-data": "owner only: test_exports",
    "api-tokens": "own account, verified second factor: test_tokens",
    "api-token-revoke": "own tokens only: test_tokens",
    "api-system-import": "connected systems only: test_tokens",
    "api-imports": "health team only: test_fhir_import",
    "api-import-confirm": "health team only: test_fhir_import",
    "immunisation-imports": "health team only: test_fhir_import",
    "api-passports": "what reach() gives: test_api_sharing",
    "api-passport": "any basis, 404 for none: test_api_sharing",
    "api-schedule": "readers of immunisations: test_api_sharing",
    "api-growth": "readers of assessments; centiles for her and her team: test_growth",
    "api-who-has-looked": "owner only: test_api_sharing",
    "api-grants": "owner or who decides: test_api_sharing",
    "api-grant-revoke": "owner or who decides: test_api_sharing",
    "api-share-links": "owner or who decides: test_api_sharing",
    "api-share-link-revoke": "owner or who decides: test_api_sharing",
    "api-hide-now": "owner only: test_api_sharing",
    "api-holds": "health team only: test_api_care",
    "api-hold": "health team only: test_api_care",
    "api-corrections": "health team only: test_api_care",
    "api-correction-done": "health team only: test_api_care",
    "api-not-right": "owner only, in the action: test_api_care",
    "api-placement": "who manages care: test_api_care",
    "api-care-ending": "who manages care: test_api_care",
    "api-control": "health team: test_api_care",
    "api-break-glass": "health roles, eligibility in the action: test_api_care",
}


def test_every_url_has_a_row():
    from api import urls as api_urls
    from frontend import urls as frontend_urls

    names = {p.name for module in (frontend_urls, api_urls) for p in module.urlpatterns
             if isinstance(p, URLPattern)}
    assert names - set(COVERED) == set()


# --- IDOR ------------------------------------------------------------------------------------


def test_swapping_identifiers_reveals_and_changes_nothing(her_passport, other_passport,
                                                          her_nurse, asthma, nurse_reach):
    from passport.models import Condition
    from passport.records import actions

    their_nurse = other_passport.assignments.first().professional
    other_entry = actions.do_add_entry(reach(their_nurse, other_passport.pk), Condition,
                                       {"kind": "allergy", "name": "Wasps"})
    client, api = login(Client(), her_nurse), login(APIClient(), her_nurse)
    mine, theirs = her_passport.pk, other_passport.pk
    for url in (f"/p/{theirs}/conditions/", f"/p/{theirs}/",
                f"/p/{mine}/conditions/condition/{other_entry.pk}/edit/",
                f"/p/{mine}/conditions/condition/{other_entry.pk}/history/",
                f"/api/v1/passports/{theirs}/conditions/",
                f"/api/v1/passports/{mine}/conditions/condition/{other_entry.pk}/",
                f"/api/v1/passports/{theirs}/conditions/condition/{asthma.pk}/"):
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code == 404, url
        assert "Wasps" not in response.content.decode()
    tag = f'"{other_entry.pk}-v1"'
    response = api.patch(f"/api/v1/passports/{mine}/conditions/condition/{other_entry.pk}/",
                         {"name": "Changed", "reason": "x"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 404
    assert Condition.objects.get(pk=other_entry.pk).name == "Wasps"


def test_every_section_read_logs_exactly_one_row_with_its_basis(her_passport, people):
    from passport.models import AuditEvent

    for basis in ("health_team", "placement", "social_work", "grant", "owner"):
        client = login(Client(), people[basis])
        for section in SECTIONS:
            if expected_read(section, basis) != 200:
                continue
            before = AuditEvent.objects.filter(action="section_viewed").count()
            client.get(f"/p/{her_passport.pk}/{section}/")
            rows = AuditEvent.objects.filter(action="section_viewed").order_by("-id")
            logged = rows.count() - before
            if basis == "owner":
                assert logged == 0, section
            else:
                assert logged == 1, (basis, section)
                assert (rows.first().basis, rows.first().section) == (basis, section)


def test_a_private_entry_never_reaches_those_who_may_not_see_private_items(her_passport,
                                                                          people, nurse_reach):
    from passport.models import Condition
    from passport.records import actions

    actions.do_add_entry(nurse_reach, Condition, {"kind": "medicine",
                                                  "name": "Sertraline 50 mg",
                                                  "topic": "mental_health"})
    for basis in ("placement", "grant"):  # both read conditions, neither sees private items
        page = login(Client(), people[basis]).get(f"/p/{her_passport.pk}/conditions/")
        api = login(APIClient(), people[basis])
        section = api.get(f"/api/v1/passports/{her_passport.pk}/conditions/")
        listed = api.get(f"/api/v1/passports/{her_passport.pk}/conditions/condition/")
        for response in (page, section, listed):
            assert response.status_code == 200, basis
            assert "Sertraline" not in response.content.decode(), basis
    for basis in ("owner", "health_team"):
        page = login(Client(), people[basis]).get(f"/p/{her_passport.pk}/conditions/")
        assert "Sertraline" in page.content.decode()


def test_every_api_read_logs_exactly_one_row_with_its_basis(her_passport, people):
    from passport.models import AuditEvent

    api = login(APIClient(), people["placement"])
    for url in (f"/api/v1/passports/{her_passport.pk}/conditions/",
                f"/api/v1/passports/{her_passport.pk}/conditions/condition/"):
        before = AuditEvent.objects.count()
        assert api.get(url).status_code == 200
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-id").first()
        assert (event.action, event.basis, event.section) == (
            "section_viewed", "placement", "conditions")


def test_granted_cells_open_for_a_carer_and_a_social_worker(her_passport, people,
                                                          young_person):
    for basis, section in (("placement", "birth_history"), ("placement", "assessments"),
                           ("social_work", "conditions"), ("social_work", "wellbeing")):
        user = people[basis]
        client = login(Client(), user)
        assert client.get(f"/p/{her_passport.pk}/{section}/").status_code == 403
        grant = share(her_passport, user, [section])
        assert client.get(f"/p/{her_passport.pk}/{section}/").status_code == 200, (basis,
                                                                                    section)
        sharing.do_revoke_grant(reach(young_person, her_passport.pk), grant)
        assert client.get(f"/p/{her_passport.pk}/{section}/").status_code == 403


# The young person's own writes (docs/access.md's owner column), one entry type per section:
# what she may add where the table says W, refused where it says R.
OWNER_SAMPLES = {
    "about_me": ("about_me", {"own_words": "I like drawing"}),
    "contacts": ("contact", {"role": "emergency", "name": "Aunt Jo"}),
    "immunisations": ("dose", {"vaccine": "mmr", "source": "young_persons_word"}),
    "birth_history": ("birth_history", {"birth_weight_g": 3000}),
    "family_history": ("family_history", {"relative": "birth_mother",
                                          "what_this_means": "x"}),
    "conditions": ("condition", {"kind": "allergy", "name": "Cats"}),
    "assessments": ("assessment", {"kind": "review", "held_on": "2024-01-01",
                                   "outcome": "done"}),
    "health_plan": ("plan_action", {"action": "x", "responsible": "gp", "status": "open"}),
    "wellbeing": ("self_assessment", {"recorded_on": "2024-01-01", "how_i_feel": "OK"}),
    "sexual_health": ("sexual_health", {"kind": "contraception"}),
    "appointments": ("appointment", {"on_date": "2030-01-01", "what_for": "Dentist"}),
    "my_services": ("saved_service", {"service_id": "childline", "service_name": "Childline"}),
    "my_notes": ("my_note", {"note": "Ask about my glasses"}),
}


def test_the_young_persons_own_writes(her_passport, people):
    api = login(APIClient(), people["owner"])
    for section, (type_key, data) in OWNER_SAMPLES.items():
        url = f"/api/v1/passports/{her_passport.pk}/{section}/{type_key}/"
        status = api.post(url, data, format="json").status_code
        if "W" in CELLS[(section, "owner")]:
            assert status == 201, (section, status)
        else:
            assert status == 403, (section, status)


def test_a_private_entry_is_not_found_by_its_id_or_in_history(her_passport, people,
                                                             nurse_reach):
    from passport.models import Condition, UnknownItem
    from passport.records import actions

    private = actions.do_add_entry(nurse_reach, Condition, {
        "kind": "medicine", "name": "Methadone", "topic": "substance_use"})
    actions.do_add_entry(nurse_reach, UnknownItem, {
        "section": "conditions", "item": "Secret clinic name", "is_private": True})
    for basis in ("placement", "grant"):
        client, api = login(Client(), people[basis]), login(APIClient(), people[basis])
        base = f"/p/{her_passport.pk}/conditions/condition/{private.pk}/"
        for response in (client.get(base + "history/"),
                         api.get(f"/api/v1/passports/{her_passport.pk}/conditions/condition/"
                                 f"{private.pk}/"),
                         api.get(f"/api/v1/passports/{her_passport.pk}/conditions/condition/"
                                 f"{private.pk}/revisions/")):
            assert response.status_code == 404, basis
            assert "Methadone" not in response.content.decode()
        section = api.get(f"/api/v1/passports/{her_passport.pk}/conditions/").content.decode()
        assert "Secret clinic name" not in section and "Methadone" not in section


# --- amendments (W = add, and amend with a reason) ----------------------------------------


def _amend(api, passport, section, type_key, entry_id, data):
    url = f"/api/v1/passports/{passport.pk}/{section}/{type_key}/{entry_id}/"
    found = api.get(url)
    tag = found.headers.get("ETag") if found.status_code == 200 else f'"{entry_id}-v1"'
    return api.patch(url, data | {"reason": "Matrix check"}, format="json",
                     HTTP_IF_MATCH=tag).status_code


def test_amendments_by_every_basis_follow_the_write_cells(her_passport, people):
    """The health team's entries: amended by the health team where it writes; by no one
    else (the young person asks for a correction instead)."""
    from passport.models import UnknownItem

    nurse = login(APIClient(), people["health_team"])
    for section in SECTIONS:
        if CELLS[(section, "health_team")] != "RW" or section in ("my_services", "my_notes"):
            continue
        created = nurse.post(f"/api/v1/passports/{her_passport.pk}/{section}/not_known_yet/",
                             {"item": "Original", "status": "asked"}, format="json")
        assert created.status_code == 201, section
        entry_id = created.json()["id"]
        for basis, user in people.items():
            status = _amend(login(APIClient(), user), her_passport, section, "not_known_yet",
                            entry_id, {"item": f"By {basis}"})
            if basis == "health_team":
                assert status == 200, (basis, section, status)
            else:
                assert status in (403, 404), (basis, section, status)
        assert UnknownItem.objects.get(pk=entry_id).item == "By health_team", section


# Who may amend what the young person added herself, copied by hand from docs/access.md's
# notes: her own words, self-assessments and saved services are hers alone; the health team
# confirms or corrects the rest of what it may write; sexual health is hers unless granted.
TEAM_AMENDS_HERS = {"about_me": False, "contacts": True, "conditions": True,
                    "wellbeing": False, "sexual_health": False, "appointments": True,
                    "my_services": False, "my_notes": False}
AMEND_FIELD = {"about_me": "own_words", "contacts": "name", "conditions": "name",
               "wellbeing": "how_i_feel", "sexual_health": "details", "appointments": "what_for",
               "my_services": "note", "my_notes": "note"}


def test_her_own_additions_are_amended_by_her_and_by_whom_the_table_says(her_passport,
                                                                        people):
    owner = login(APIClient(), people["owner"])
    for section, team_may in TEAM_AMENDS_HERS.items():
        assert "W" in CELLS[(section, "owner")], section
        type_key, data = OWNER_SAMPLES[section]
        created = owner.post(f"/api/v1/passports/{her_passport.pk}/{section}/{type_key}/", data,
                             format="json")
        assert created.status_code == 201, section
        entry_id, field_name = created.json()["id"], AMEND_FIELD[section]
        assert _amend(owner, her_passport, section, type_key, entry_id,
                      {field_name: "Hers"}) == 200, section
        for basis in ("health_team", "placement", "social_work", "grant", "none"):
            status = _amend(login(APIClient(), people[basis]), her_passport, section, type_key,
                            entry_id, {field_name: basis})
            expected = {200} if basis == "health_team" and team_may else {403, 404}
            assert status in expected, (basis, section, status)


# --- day boundaries ----------------------------------------------------------------------
# Dates in docs/access.md, read as decision 0011 says: a placement's access ends on the day it
# ends (the new home starts that day); it lapses the day after 6 calendar months without
# re-confirmation; care ends on its end date; a grant lasts to the end of its "until" day;
# a personal adviser's access starts on the 16th birthday.

DAY = datetime.timedelta(days=1)


def _opens(user, passport, section="conditions") -> bool:
    status = login(Client(), user).get(f"/p/{passport.pk}/{section}/").status_code
    assert status in (200, 403, 404)
    return status == 200


@pytest.mark.parametrize(("ended_on", "opens"), [(TODAY + DAY, True), (TODAY, False),
                                                  (TODAY - DAY, False)])
def test_a_placement_opens_until_the_day_it_ends(her_passport, people, ended_on, opens):
    Placement.objects.update(ended_on=ended_on)
    assert _opens(people["placement"], her_passport) is opens


@pytest.mark.parametrize(("months_ago", "extra_days", "opens"), [(6, 0, True), (6, 1, False),
                                                                  (5, 27, True)])
def test_a_placement_lapses_six_months_after_it_was_last_confirmed(her_passport, people,
                                                                   months_ago, extra_days,
                                                                   opens):
    from dateutil.relativedelta import relativedelta

    confirmed = TODAY - relativedelta(months=months_ago) - datetime.timedelta(days=extra_days)
    Placement.objects.update(started_on=confirmed, confirmed_on=confirmed)
    assert _opens(people["placement"], her_passport) is opens


def test_a_placement_starts_on_its_first_day(her_passport, people):
    Placement.objects.update(started_on=TODAY + DAY, confirmed_on=TODAY)
    assert not _opens(people["placement"], her_passport)
    Placement.objects.update(started_on=TODAY)
    assert _opens(people["placement"], her_passport)


@pytest.mark.parametrize(("care_ended_on", "opens"), [(TODAY + DAY, True), (TODAY, False)])
def test_professional_bases_last_until_the_day_care_ends(her_passport, people, care_ended_on,
                                                         opens):
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=care_ended_on)
    for basis in ("health_team", "placement", "social_work"):
        section = "immunisations"  # read by all three while in care
        assert _opens(people[basis], her_passport, section) is opens, basis


@pytest.mark.parametrize(("until", "opens"), [(TODAY, True), (TODAY - DAY, False)])
def test_a_grant_lasts_to_the_end_of_its_last_day(her_passport, people, until, opens):
    Grant.objects.filter(grantee=people["grant"]).update(until=until)
    assert _opens(people["grant"], her_passport) is opens


@pytest.mark.parametrize(("birthday_offset", "opens"), [(DAY, False), (datetime.timedelta(0),
                                                                          True)])
def test_a_personal_adviser_from_the_sixteenth_birthday(her_passport, her_nurse, people,
                                                        birthday_offset, opens):
    from dateutil.relativedelta import relativedelta

    from passport.access.policy import reach as reach_of
    from passport.records import actions

    adviser = assign(her_passport, "pa.priya", "Priya Shah", Role.PERSONAL_ADVISER)
    sixteenth = TODAY + birthday_offset  # her 16th birthday: tomorrow, or today
    born = sixteenth - relativedelta(years=16)
    actions.do_change_date_of_birth(reach_of(her_nurse, her_passport.pk), born,
                                    reason="Age assessment")
    assert _opens(adviser, her_passport, "immunisations") is opens


# --- the sharing pages: only who decides changes anything ---------------------------------


def _sharing_state(passport):
    from passport.models import ControlDecision

    row = Passport.objects.get(pk=passport.pk)
    return (sorted((str(g.grantee_id), tuple(g.sections), g.revoked_at is None)
                   for g in Grant.objects.filter(passport=passport)),
            row.control, list(row.placement_hidden), row.hidden_now_since,
            ControlDecision.objects.filter(passport=passport).count())


def test_carers_grantees_and_social_workers_change_nothing_on_the_sharing_pages(
        her_passport, people):
    grant = Grant.objects.get(grantee=people["grant"])
    base = f"/p/{her_passport.pk}/"
    posts = [
        ("sharing/", {"username": "nosy", "sections": ["conditions"]}),
        (f"sharing/{grant.pk}/stop/", {}),
        ("sharing/carer/", {"hidden": ["contacts"]}),
        ("who-manages-sharing/", {"control": "self_managed", "reason": "x"}),
        ("hide-now/", {"on": "1"}),
    ]
    for state in ("supported", "self_managed"):
        Passport.objects.filter(pk=her_passport.pk).update(control=state)
        before = _sharing_state(her_passport)
        for basis in ("placement", "social_work", "grant", "none"):
            client = login(Client(), people[basis])
            for path, data in posts:
                status = client.post(base + path, data).status_code
                assert status in (403, 404), (state, basis, path, status)
                assert client.get(base + "who-has-looked/").status_code in (403, 404)
        assert _sharing_state(her_passport) == before, state
    # While supported, the young person herself does not share yet (her nurse does); she may
    # always stop a share (decision 0014).
    Passport.objects.filter(pk=her_passport.pk).update(control="supported")
    before = _sharing_state(her_passport)
    owner = login(Client(), people["owner"])
    for path, data in (posts[0], posts[2], posts[3]):
        assert owner.post(base + path, data).status_code == 403, path
    assert _sharing_state(her_passport) == before
    assert owner.post(base + posts[1][0], {}).status_code == 302
    assert Grant.objects.get(pk=grant.pk).revoked_at is not None
