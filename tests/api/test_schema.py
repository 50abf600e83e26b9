"""The OpenAPI schema and its documentation page: served only where HP_API_DOCS is
on; every operation with a summary, its problem documents and an example; the page's assets
served from here (no outside download)."""

import re

import pytest
from django.test import Client


@pytest.fixture
def docs_on(settings):
    settings.HP_API_DOCS = True


def test_off_unless_enabled(db, settings):
    settings.HP_API_DOCS = False
    client = Client()
    assert client.get("/api/v1/schema/").status_code == 404
    assert client.get("/api/v1/docs/").status_code == 404


def test_every_operation_has_a_summary_its_errors_and_an_example(db, docs_on):
    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    operations = [(path, method, op) for path, ops in schema["paths"].items()
                  for method, op in ops.items()]
    assert len(operations) >= 24
    for path, method, operation in operations:
        assert operation.get("summary"), (path, method)
        problems = {code: r for code, r in operation["responses"].items()
                    if code.startswith("4")}
        assert {"401", "403", "404"} <= set(problems), (path, method)
        for response_ in problems.values():
            body = response_["content"]["application/problem+json"]
            assert body["example"]["status"] in (400, 401, 403, 404, 412, 428, 429)
        if method in ("patch", "put"):
            assert {"412", "428"} <= set(problems), (path, method)


def test_the_documentation_page_loads_nothing_from_outside(db, docs_on):
    page = Client().get("/api/v1/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
