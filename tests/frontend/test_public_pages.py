"""The pages anyone may read: the privacy notice, the accessibility statement and
the service's contact details, before sign-in and in every language."""

import html
import re

import pytest
from django.test import Client

from tests.conftest import second_factor
from tests.frontend.test_two_factor import password_only
from tests.frontend.test_young_persons_app import signed_in


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.mark.django_db
def test_the_privacy_notice_says_who_why_who_sees_and_what_she_can_do():
    response = Client().get("/privacy/")
    assert response.status_code == 200
    page = text_of(response)
    for said in (
        "Northfield Community Health NHS Trust runs the health team",  # the controller
        "the law calls it the data controller",
        "Northfield City Council looks after you",  # the council, under an agreement
        "Example Hosting Ltd runs the computers",  # the processor
        "we do not need your consent to keep it",  # the lawful basis, honestly
        "Article 6(1)(e) and Article 9(2)(h)",
        "What the council gets anyway",
        "Your health assessment reports go to your social worker",
        "until your 25th birthday, or your 26th if you were 17",
        "subject access request",
        "email our data protection officer at data.protection@example.nhs.uk",
        "Information Commissioner's Office",
        "names, addresses and numbers on this page are examples",  # demo values say so
    ):
        assert said in page, said


@pytest.mark.django_db
def test_a_deployment_shows_its_own_details_and_no_demo_warning(settings):
    settings.SERVICE_DETAILS = {**settings.SERVICE_DETAILS, "controller": "Real Place NHS Trust",
                                "email": "lac@real.nhs.uk"}
    settings.SERVICE_DETAILS_ARE_DEMO = False
    for path in ("/privacy/", "/contact/", "/accessibility/"):
        page = text_of(Client().get(path))
        assert "Real Place NHS Trust" in page, path
        assert "are examples" not in page, path
    assert 'href="mailto:lac@real.nhs.uk"' in Client().get("/contact/").content.decode()


def test_she_reads_until_when_her_own_passport_is_kept(her_passport, young_person, her_nurse):
    page = text_of(signed_in(young_person).get("/privacy/"))
    # Born 1 June 2011, end of care not yet known: kept to the later date, the 26th birthday.
    assert "Your passport is kept until at least 1 June 2037." in page
    assert f"/p/{her_passport.pk}/my-data/" in signed_in(young_person).get(
        "/privacy/").content.decode()
    nurse_page = text_of(signed_in(her_nurse).get("/privacy/"))
    assert "Your passport is kept until" not in nurse_page
    assert "If you use My Health at work" in nurse_page


def test_before_her_second_factor_the_notice_says_nothing_of_her_passport(her_passport,
                                                                         young_person):
    second_factor(young_person)  # she turned one on: the password alone is not enough
    response = password_only(young_person).get("/privacy/")
    assert response.status_code == 200  # the notice itself is open to everyone
    page = text_of(response)
    assert "Your passport is kept until" not in page and "1 June 2037" not in page
    assert "/my-data/" not in response.content.decode()


@pytest.mark.django_db
def test_contact_details_and_help_now():
    page = text_of(Client().get("/contact/"))
    assert "Looked-after children's health team at Northfield Community Health NHS Trust" in page
    assert "01632 960 000" in page and "lac.health@example.nhs.uk" in page
    assert "phone 999" in page and "NHS 111" in page
    assert "Do not email health information" in page


@pytest.mark.django_db
def test_the_accessibility_statement_has_what_the_regulations_ask_for():
    page = text_of(Client().get("/accessibility/"))
    assert "partially compliant with the Web Content Accessibility Guidelines (WCAG) 2.2" in page
    assert "another format" in page and "lac.health@example.nhs.uk" in page
    assert "Equality Advisory and Support Service" in page
    assert "This statement was prepared on" in page


@pytest.mark.django_db
def test_every_page_links_to_them():
    page = Client().get("/accounts/login/").content.decode()
    for path in ("/privacy/", "/accessibility/", "/contact/"):
        assert f'href="{path}"' in page, path


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [
    ("ar", "lang=\"ar\" dir=\"rtl\""), ("fa", "lang=\"fa\" dir=\"rtl\""),
    ("sq", "lang=\"sq\" dir=\"ltr\""),
])
def test_the_privacy_notice_in_each_language(language, heading):
    client = Client()
    client.cookies["django_language"] = language
    page = client.get("/privacy/").content.decode()
    assert heading in page
    assert "Your information and your privacy" not in page  # translated, not English
    assert "What the council gets anyway" not in page
    assert "data.protection@example.nhs.uk" in page  # the details themselves are kept
