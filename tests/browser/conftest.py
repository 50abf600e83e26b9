"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server.

Browser tests run in the SQLite pass only (make test-postgres deselects them): they test pages,
not the database.
"""

import os
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]
# Playwright's synchronous API keeps an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, committed_db, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def demo_loaded(committed_db):
    import uuid

    from passport.operations import demo

    demo.load()
    return {name: uuid.uuid5(demo.NAMESPACE, name) for name in
            ("yp.demo1", "yp.demo2", "yp.demo3", "yp.demo4", "yp.demo5")}


def sign_in(page, username: str, password: str) -> None:
    """Password, then the second factor for professionals, through the real pages."""
    from passport.models import Role, User
    from tests.conftest import current_code, second_factor

    user = User.objects.get(username=username)
    if user.role != Role.YOUNG_PERSON:
        second_factor(user)  # an authenticator set up beforehand
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    # Wait for the next page itself: wait_for_load_state() alone returns at once while the
    # page being left is still loaded, and a form posted from it carries a CSRF token that
    # signing in has since replaced.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if user.role != Role.YOUNG_PERSON:
        for _attempt in range(2):  # a code read as its 30 seconds ran out: the next one, once
            page.get_by_label("Code").fill(current_code(user))
            with page.expect_navigation():
                page.get_by_role("button", name="Continue").click()
            if "/accounts/two-factor/" not in page.url:
                return
            time.sleep(max(30 - time.time() % 30 + 0.1, 2.5))  # past a throttle on failures
        raise AssertionError(f"{username} could not pass the second factor")


AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.x A and AA rules) in the page; return what it finds."""
    page.evaluate(AXE.read_text())  # evaluate() is not subject to the page's CSP
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
