"""What people found walking the app as Mia (9), Jay (18), Ahmad (15) and a new GP, each kept
as a test on the demo as `make run` loads it: her booklet's rows and footer, a booklet made
from a link, no-dose schedules on paper, the GP's view, her home, her saved services, her
questionnaire's history."""

import io
import re

import pypdf
from django.test import Client

from passport.access import sharelinks
from passport.access.policy import reach
from passport.models import Passport, User
from passport.outputs import booklet
from tests.conftest import login


def hers(username: str):
    user = User.objects.get(username=username)
    return user, reach(user, Passport.objects.get(owner=user).pk)


def positions(pdf: bytes) -> list[tuple[int, float, str]]:
    """(page, y, text) of each run the PDF draws."""
    found = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages, 1):
        def visit(text, cm, tm, _font, _size, number=number):
            if text.strip():
                found.append((number, round(tm[5] * cm[3] + cm[5], 1), text.strip()))
        page.extract_text(visitor_text=visit)
    return found


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_in_her_booklet_each_value_sits_beside_its_own_label(loaded):
    """A label over two lines ("Where (the young person's choice)") pushed every later value
    one row up: "Height (cm)" read 28.2, her weight."""
    _mia, mine = hers("yp.demo1")
    drawn = positions(booklet.render(mine, ["assessments", "health_plan"], language="en-gb"))

    def row(text):
        return next((page, y) for page, y, t in drawn if t == text)

    assert row("Height (cm)") == row("131.5")
    assert row("Weight (kg)") == row("28.2")
    last = row("Well and settled. Two vaccinations to catch up.")
    assert last in [(page, y) for page, y, t in drawn if t == "Summary"]
    # And the next section starts below the last row, not drawn over it (PDF y grows upwards).
    after = max((page, -y) for page, y, t in drawn if t == "Health plan")  # not the contents'
    after = (after[0], -after[1])
    assert after[0] > last[0] or after[1] < last[1] - 10


def test_every_page_of_her_booklet_says_whose_it_is(loaded):
    _jay, mine = hers("yp.demo3")
    pages = pypdf.PdfReader(io.BytesIO(booklet.render(mine, ["conditions", "contacts"],
                                                      language="en-gb"))).pages
    assert len(pages) >= 2
    for page in pages[1:]:  # the cover says it in full
        assert "Jordan Ellis Carter · born" in page.extract_text()
        assert "NHS number 401 023 2137" in page.extract_text()


def test_with_no_dose_recorded_her_booklet_says_so_instead_of_listing_overdue(loaded):
    _jay, mine = hers("yp.demo3")  # nothing recorded at all: listed as not in it, once
    words = text_of(booklet.render(mine, ["immunisations", "conditions"], language="en-gb"))
    assert "overdue" not in words and "By the UK schedule" not in words
    assert "Immunisations" in words[words.index("Not in this booklet"):]
    _ahmad, his = hers("yp.demo4")  # his status recorded (history unknown), no dose
    words = text_of(booklet.render(his, ["immunisations"], language="en-gb"))
    assert "No vaccinations are recorded in this passport yet" in words
    assert "overdue" not in words and "By the UK schedule" not in words
    _mia, hers_ = hers("yp.demo1")  # with doses, the schedule is there
    assert "By the UK schedule" in text_of(booklet.render(hers_, ["immunisations"],
                                                          language="en-gb"))


def open_link(jay):
    """The GP's browser, through the real pages, on a link Jay made."""
    link = sharelinks.do_create_link(jay, sections_=["conditions", "contacts"])
    gp = Client()
    gp.get(f"/share/{link.token}/")
    gp.post("/share/", {"step": "who", "viewer_name": "Dr Sara Iqbal",
                        "organisation": "Brinnington Surgery"})
    assert gp.post("/share/", {"step": "code", "code": link.code}).status_code == 302
    return gp


def test_the_gp_is_told_the_view_may_not_be_everything_and_reads_allergies_first(loaded):
    _jay, mine = hers("yp.demo3")
    page = open_link(mine).get("/share/").content.decode()
    assert "private entries (for example some medicines) are never shown through a link" in page
    assert "Sertraline" not in page  # private: never through a link
    assert page.index("Penicillin") < page.index("Asthma")  # the allergy first
    assert "Emergency contact" not in page  # "No" under every contact said nothing


def test_a_booklet_made_from_a_link_speaks_about_him_not_to_him(loaded):
    _jay, mine = hers("yp.demo3")
    gp = open_link(mine)
    response = gp.post("/share/booklet/", {"preset": "choose",
                                           "sections": ["conditions"], "language": "en-gb"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    words = text_of(b"".join(response.streaming_content) if response.streaming
                    else response.content)
    assert "What Jay chose to share through a link" in words
    assert "It belongs to you" not in words and "Growing up" not in words


def test_her_home_leads_to_sharing_and_her_booklet_and_only_to_unknowns_there_are(loaded):
    jay = login(Client(), User.objects.get(username="yp.demo3"))
    home = jay.get("/").content.decode()
    for words in ("Who can see my passport", "Show my passport to a new GP or dentist",
                  "Who has looked at my passport", "Download my health booklet (PDF)"):
        assert words in home
    assert "Show what is not known yet" not in home  # Jay has none
    assert "Nothing is marked as not known." in home
    mia = login(Client(), User.objects.get(username="yp.demo1"))
    assert "Show what is not known yet" in mia.get("/").content.decode()


def test_her_saved_service_links_to_it_and_no_form_asks_for_its_id(loaded):
    user, mine = hers("yp.demo3")
    page = login(Client(), user).get(f"/p/{mine.passport.pk}/my_services/").content.decode()
    assert 'href="/services/cafe-zest/"' in page
    assert "Add: saved service" not in page and "cafe-zest</dd>" not in page
    assert 'href="/services/"' in page  # find one to save


def test_under_13_her_questionnaires_history_has_no_scores_either(loaded):
    user, mine = hers("yp.demo1")
    client = login(Client(), user)
    wellbeing = client.get(f"/p/{mine.passport.pk}/wellbeing/").content.decode()
    history_url = re.search(r'href="(/p/[^"]+/sdq_result/[^"]+/history/)"', wellbeing).group(1)
    history = client.get(history_url).content.decode()
    assert "Version 1" in history
    for scale in ("Emotional", "Conduct", "Hyperactivity", "Peer problems", "Prosocial"):
        assert f"<dt>{scale}</dt>" not in history, scale
    nurse = User.objects.get(username="nurse")
    from tests.conftest import login as login_professional

    theirs = login_professional(Client(), nurse).get(history_url).content.decode()
    assert "<dt>Emotional</dt>" in theirs  # her health team reads the scores


def test_a_name_with_an_apostrophe_and_a_hyphen_reads_as_written_at_the_foot(
        admin_user, her_nurse, young_person):
    import datetime

    from passport.models import Condition
    from passport.records import actions

    passport = actions.do_create_passport(
        admin_user, legal_name="Siobhán O'Neill-Smith", date_of_birth=datetime.date(2010, 3, 4),
        nhs_number="943 476 5919", owner=young_person)
    actions.do_assign_professional(admin_user, passport, her_nurse)
    actions.do_add_entry(reach(her_nurse, passport.pk), Condition, {
        "kind": "allergy", "name": "Peanuts"})
    pages = pypdf.PdfReader(io.BytesIO(booklet.render(
        reach(young_person, passport.pk), ["conditions"], language="en-gb"))).pages
    assert ("Siobhán O'Neill-Smith · born 4 March 2010 · NHS number 943 476 5919"
            in pages[1].extract_text())


def test_what_the_second_walk_found(loaded):
    jay_user, jay = hers("yp.demo3")
    jay_client = login(Client(), jay_user)
    # No dose recorded: he is told so, with no list of "overdue" lines to open.
    imms = jay_client.get(f"/p/{jay.passport.pk}/immunisations/").content.decode()
    assert "No vaccinations are recorded here yet." in imms
    assert "See each vaccine by the UK schedule" not in imms and "overdue" not in imms
    # He has left care: no council "looks after" him in the directory's filters.
    assert "looked after by" not in jay_client.get("/services/").content.decode()
    # A service he saved says so instead of offering to save it again.
    cafe = jay_client.get("/services/cafe-zest/").content.decode()
    assert "It is in my services." in cafe and "Save to my services" not in cafe
    mia_user, mia = hers("yp.demo1")
    mia_client = login(Client(), mia_user)
    imms = mia_client.get(f"/p/{mia.passport.pk}/immunisations/").content.decode()
    fold = imms[imms.index('<details class="schedule">'):]
    assert "</strong>: to catch up</p>" in fold and "</strong>: overdue</p>" not in fold
    # At 9, no "Sexual health" tile on her home while it holds nothing; at 16 there is one.
    assert 'sexual_health/">Sexual health<' not in mia_client.get("/").content.decode()
    chloe = login(Client(), User.objects.get(username="yp.demo2")).get("/").content.decode()
    assert 'sexual_health/">Sexual health<' in chloe
    # The GP reads conditions, allergies and medicines first.
    page = open_link(jay).get("/share/").content.decode()
    assert page.index('id="shared-conditions"') < page.index('id="shared-contacts"')
