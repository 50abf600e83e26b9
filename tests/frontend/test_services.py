"""The services directory: open to everyone, searchable, filterable by need, age and area."""

import re

from django.test import Client
from rest_framework.test import APIClient

from passport.models import Area, SavedService, User
from tests.conftest import login


def names(response) -> list[str]:
    return [re.sub(r"<[^>]+>", "", name) for name in re.findall(
        r'class="card-title" href="/services/[^"]+">(.*?)</a>', response.content.decode())]


def test_anyone_can_open_the_directory(loaded):
    response = Client().get("/services/")
    assert response.status_code == 200
    assert "Café Zest" in names(response) and "Childline" in names(response)


def test_search_finds_by_words(loaded):
    assert names(Client().get("/services/", {"q": "text support"})) == ["Shout"]
    assert names(Client().get("/services/", {"q": "nothing-like-this"})) == []


def test_filter_by_need_age_and_area(loaded):
    stockport = Area.objects.get(name="Stockport")
    manchester = Area.objects.get(name="Manchester")
    pregnancy = names(Client().get("/services/", {"need": "pregnancy",
                                                  "area": stockport.pk}))
    assert "Family Nurse Partnership" in pregnancy and "Childline" not in pregnancy
    adults = names(Client().get("/services/", {"need": "mental_health", "age": 20,
                                               "area": stockport.pk}))
    assert "Childline" not in adults and "KITE" not in adults and "Samaritans" in adults
    elsewhere = names(Client().get("/services/", {"area": manchester.pk}))
    assert "NHS 111" in elsewhere and "Mosaic" not in elsewhere


def test_a_service_says_who_it_is_for_and_how_to_reach_it(loaded):
    kite = Client().get("/services/kite/").content.decode()
    assert "Only young people in care placed by Stockport Council" in kite
    ed = Client().get("/services/stepping-hill-emergency-department/").content.decode()
    assert 'href="tel:01614831010"' in ed
    assert "Directions" in ed
    assert "have not yet been checked" in ed


def test_bad_filters_get_a_clear_error(loaded):
    response = Client().get("/services/", {"age": "old"})
    assert response.status_code == 400
    assert "Enter a whole number." in response.content.decode()


def test_a_young_person_saves_a_service_to_her_own_list(loaded):
    client = Client()
    login(client, User.objects.get(username="yp.demo1"))
    response = client.post("/services/childline/save/", follow=True)
    assert "Saved to my services." in response.content.decode()
    mine = SavedService.objects.filter(passport__owner__username="yp.demo1")
    assert [s.service_name for s in mine] == ["Childline"]


def test_a_professional_cannot_save_services(loaded):
    client = Client()
    login(client, User.objects.get(username="nurse"))
    saved_before = SavedService.objects.count()  # the demo's own
    assert client.post("/services/childline/save/").status_code == 404
    assert SavedService.objects.count() == saved_before


def test_the_directory_api_filters_the_same_way(loaded):
    response = APIClient().get("/api/v1/services/", {"need": "crisis", "age": 15})
    assert response.status_code == 200
    found = [s["name"] for s in response.json()]
    assert "Childline" in found and "Café Zest" not in found
    assert all(s["needs_checking"] for s in response.json())
    bad = APIClient().get("/api/v1/services/", {"need": "horoscopes"})
    assert bad.status_code == 400
    # Made-up details say so to an API reader too, and search folds accents there as well.
    zest = APIClient().get("/api/v1/services/", {"q": "CAFE"}).json()
    assert [(s["name"], s["examples"]) for s in zest] == [("Café Zest", True)]


def test_services_only_for_another_councils_children_are_left_out(loaded):
    stockport = Area.objects.get(name="Stockport")
    manchester = Area.objects.get(name="Manchester")
    theirs = names(Client().get("/services/", {"area": stockport.pk,
                                               "placed_by": manchester.pk}))
    assert "KITE" not in theirs and "Mosaic" in theirs
    ours = names(Client().get("/services/", {"area": stockport.pk, "placed_by": stockport.pk}))
    assert "KITE" in ours


def test_search_ignores_accents_and_case(loaded):
    """On both databases (the suite runs on SQLite and PostgreSQL): 'cafe' finds Café Zest."""
    for words in ("cafe", "CAFÉ ZEST", "zest", "Cafe zest", "café"):
        assert names(Client().get("/services/", {"q": words})) == ["Café Zest"], words
    # A folded word matches across fields, and a word found nowhere still finds nothing.
    assert names(Client().get("/services/", {"q": "PURE insight"})) == ["Café Zest"]
    assert names(Client().get("/services/", {"q": "cafe horoscopes"})) == []


def test_an_admin_renaming_a_service_is_found_by_its_new_name(loaded):
    from passport.models import Service

    service = Service.objects.get(slug="mosaic")
    service.name = "Mosaïque Jeunes"
    service.save(update_fields=["name"])
    assert names(Client().get("/services/", {"q": "mosaique"})) == ["Mosaïque Jeunes"]


def test_every_service_has_a_way_to_reach_it_and_made_up_ones_say_so(loaded):
    from passport.models import Service

    for service in Service.objects.all():
        assert service.phone or service.text or service.website or service.address, service
        page = Client().get(f"/services/{service.slug}/").content.decode()
        examples = "The phone number and web address below are examples" in page
        assert examples == service.examples, service
        if service.examples:  # Ofcom's drama range and example.org: they reach nobody
            assert re.fullmatch(r"0161 496 0\d{3}", service.phone), service.phone
            assert service.website.endswith(".example.org"), service.website
    zest = Client().get("/services/cafe-zest/").content.decode()
    assert 'href="tel:01614960101"' in zest and "Thursdays, 4pm to 7pm" in zest


def test_her_filters_start_from_her_age_and_council_folded_under_one_line(loaded):
    client = Client()
    login(client, User.objects.get(username="yp.demo1"))  # Mia, 9, placed by Stockport
    html = client.get("/services/").content.decode()
    summary = re.search(r"<summary>(Filters[^<]*)</summary>", html).group(1)
    assert summary == "Filters: age 9, living in Stockport, looked after by Stockport"
    assert "Set from your passport." in html
    found = names(client.get("/services/"))
    assert "Childline" in found
    assert "Café Zest" not in found  # from 14
    # She can widen it: any explicit choice replaces the starting one.
    assert "Café Zest" in names(client.get("/services/", {"q": "zest"}))
    # Anyone else starts from everything.
    anyone = Client().get("/services/").content.decode()
    assert "<summary>Filters</summary>" in anyone and "Set from your passport." not in anyone


def test_saving_a_service_twice_keeps_one_card(loaded):
    client = Client()
    login(client, User.objects.get(username="yp.demo1"))
    before = SavedService.objects.count()
    client.post("/services/childline/save/")
    again = client.post("/services/childline/save/", follow=True)
    assert "It is in my services already." in again.content.decode()
    assert SavedService.objects.count() == before + 1


def test_everyday_words_find_services_and_a_child_is_not_offered_adult_ones(loaded):
    for words, expected in (("sad", "Childline"), ("worried", "Samaritans"),
                            ("fun", "Leisure key"), ("drugs", "Mosaic")):
        assert expected in names(Client().get("/services/", {"q": words})), words
    nine = names(Client().get("/services/", {"age": 9}))
    for adult in ("Teenage pregnancy midwife", "Family Nurse Partnership", "Mosaic"):
        assert adult not in nine, adult
