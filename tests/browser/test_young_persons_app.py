"""The young person's app in a real Chromium: every page of hers at 320 px with no
sideways scrolling and no axe-core violations, right to left in Arabic, a keyboard-only walk
from sign-in to sharing, the copy on her phone offline and gone after sign-out, the service
worker and Chromium's installability check; and every role's pages through axe-core."""

import pytest

from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def narrow_page(browser, committed_db, live_server):
    context = browser.new_context(viewport=NARROW, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def her_pages(chloe) -> list[str]:
    sections = ("about_me", "contacts", "immunisations", "birth_history", "family_history",
                "conditions", "assessments", "health_plan", "wellbeing", "sexual_health",
                "appointments", "my_services")
    return (["/", "/?unknown=show", f"/p/{chloe}/", f"/p/{chloe}/sharing/",
             f"/p/{chloe}/who-has-looked/", f"/p/{chloe}/share-links/",
             f"/p/{chloe}/placements/", "/settings/", "/guide/", "/my-copy/",
             "/services/", "/accessibility/", "/privacy/", "/contact/", "/source/",
             "/accounts/two-factor/setup/"]
            + [f"/p/{chloe}/{s}/" for s in sections])


def test_every_page_of_hers_at_320_px_fits_and_passes_axe(narrow_page, demo_loaded):
    page = narrow_page
    chloe = demo_loaded["yp.demo2"]
    sign_in(page, "yp.demo2", demo.PASSWORD)
    for path in her_pages(chloe):
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        for summary in page.locator("summary").all():  # open every folded form too
            summary.click()
        assert not overflows(page), path
        assert axe_violations(page) == [], path


def test_in_arabic_the_pages_mirror(narrow_page, demo_loaded):
    page = narrow_page
    sign_in(page, "yp.demo2", demo.PASSWORD)
    page.get_by_label("Language").first.select_option("ar")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > NARROW["width"] / 2  # the brand starts on the right
    assert not overflows(page)
    assert axe_violations(page) == []
    from passport.models import User

    assert User.objects.get(username="yp.demo2").language == "ar"
    for path in ("/privacy/", "/contact/", "/accessibility/"):  # the long pages, mirrored
        page.goto(page.base_url + path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert not overflows(page), path
        assert axe_violations(page) == [], path


def tab_to(page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text or label contains `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const e = document.activeElement; return (e.innerText || e.value || '')"
            " + ' ' + (e.labels && e.labels[0] ? e.labels[0].innerText : ''); }")
        if text in label:
            return
    raise AssertionError(f"no focusable element with {text!r}")


def follow(page) -> None:
    """Enter on the focused link or button, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_keyboard_only_sign_in_read_a_section_and_share_it(page, demo_loaded):
    page.goto(page.base_url + "/accounts/login/")
    tab_to(page, "Username")
    page.keyboard.type("yp.demo2")
    page.keyboard.press("Tab")
    page.keyboard.type(demo.PASSWORD)
    follow(page)
    assert page.url == page.base_url + "/"
    tab_to(page, "Conditions, allergies and medicines")
    follow(page)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Conditions")
    assert "Folic acid" in page.content()
    tab_to(page, "My health")  # the breadcrumb back to her passport
    follow(page)
    tab_to(page, "Who can see my passport")
    follow(page)
    tab_to(page, "Their username")
    page.keyboard.type("doctor")
    tab_to(page, "Conditions, allergies and medicines")
    page.keyboard.press("Space")
    tab_to(page, "Share")
    follow(page)
    assert "Dr Tom Okafor" in page.content()
    from passport.models import Grant

    assert Grant.objects.filter(grantee__username="doctor", revoked_at__isnull=True).exists()


def test_her_copy_works_offline_and_is_gone_after_sign_out(browser, committed_db, live_server,
                                                          demo_loaded):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        sign_in(page, "yp.demo2", demo.PASSWORD)
        page.goto(page.base_url + "/settings/")
        with page.expect_navigation():
            page.get_by_role("button", name="Keep a copy on this phone").click()
        page.goto(page.base_url + "/")
        until(page, "async () => { const c = await caches.open('my-copy');"
                    " return !!(await c.match('/my-copy/'))"
                    " && !!(await c.match('/__copy-meta__')); }")
        context.set_offline(True)
        page.goto(page.base_url + "/my-copy/")
        # Her essentials, with no network.
        assert "Folic acid" in page.content(), page.inner_text("main")[:300]
        page.goto(page.base_url + "/p/not-kept/")
        assert "You are offline" in page.content()
        page.goto(page.base_url + "/my-copy/")  # the offline page did not forget her copy
        assert "Folic acid" in page.content()
        context.set_offline(False)
        page.goto(page.base_url + "/")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        # Her copy is gone from every cache (the sign-in page may already have set up the
        # app shell again: it holds no health content).
        assert page.evaluate(
            "async () => { for (const k of await caches.keys()) {"
            " if (await (await caches.open(k)).match('/my-copy/')) return true; }"
            " return false; }") is False
        context.set_offline(True)
        try:
            page.goto(page.base_url + "/my-copy/")
            content = page.content()
        except Exception:  # no service worker left: the browser's own offline error
            content = ""
        assert "Folic acid" not in content
    finally:
        context.set_offline(False)
        context.close()


def test_the_service_worker_registers_and_chromium_can_install_the_app(
        browser, committed_db, live_server, tmp_path):
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    # A profile on disk: Chromium never offers to install from an incognito context.
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        until(page, "async () => !!(await navigator.serviceWorker.ready).active")
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = session.send("Page.getAppManifest")
        assert not manifest.get("errors"), manifest.get("errors")
    finally:
        context.close()


def until(page, script: str, seconds: float = 15) -> None:
    """Wait until an async script in the page answers true. (Playwright's wait_for_function
    does not await a promise: an async predicate is truthy at once, and the test raced.)"""
    for _try in range(int(seconds * 10)):
        if page.evaluate(script) is True:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still not true after {seconds} s: {script}")


def neutral_site(page) -> None:
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(
        status=200, body="<title>Weather</title>", content_type="text/html"))


def signed_out(context, base_url: str) -> bool:
    """Her session has ended, seen from a new tab of the same browser (the beacon may land a
    moment after she has left)."""
    tab = context.new_page()
    try:
        for _try in range(20):
            tab.goto(base_url + "/")
            if "/accounts/login/" in tab.url:
                return True
            tab.wait_for_timeout(150)
        return False
    finally:
        tab.close()


def test_quick_exit_leaves_and_replaces_the_history_entry(page, demo_loaded):
    sign_in(page, "yp.demo2", demo.PASSWORD)
    page.goto(page.base_url + "/guide/")
    neutral_site(page)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert signed_out(page.context, page.base_url)
    page.go_back()
    assert "/guide/" not in page.url  # Back does not return to her page


def test_quick_exit_works_on_a_page_whose_csrf_token_has_expired(page, demo_loaded):
    sign_in(page, "yp.demo2", demo.PASSWORD)
    page.goto(page.base_url + "/guide/")
    neutral_site(page)
    # Hours later: the form's token no longer matches any cookie.
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert signed_out(page.context, page.base_url)


def test_quick_exit_works_without_javascript(browser, demo_loaded, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        sign_in(page, "yp.demo2", demo.PASSWORD)
        page.goto(page.base_url + "/guide/")
        neutral_site(page)
        page.get_by_role("button", name="Quick exit").click()
        page.wait_for_url("https://www.bbc.co.uk/weather")
        assert signed_out(context, page.base_url)
    finally:
        context.close()


def test_a_link_to_quick_exit_does_not_sign_her_out(page, demo_loaded):
    sign_in(page, "yp.demo2", demo.PASSWORD)
    neutral_site(page)
    page.goto(page.base_url + "/exit/")  # as a link from anywhere would
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert not signed_out(page.context, page.base_url)


@pytest.mark.parametrize("username", ["nurse", "doctor", "teamlead", "designated",
                                      "fostercarer", "residential", "socialworker", "adviser",
                                      "caldicott", "safeguarding", "admin"])
def test_every_roles_pages_pass_axe(page, demo_loaded, username):
    sign_in(page, username, demo.PASSWORD)
    page.goto(page.base_url + "/")
    assert axe_violations(page) == []
    links = [a.get_attribute("href") for a in page.locator("main a").all()]
    paths = sorted({h for h in links if h and h.startswith("/") and not h.startswith("/admin")})
    for path in [*paths[:12], "/settings/"]:
        page.goto(page.base_url + path)
        assert axe_violations(page) == [], path
        assert not overflows(page), path
        passport_links = [a.get_attribute("href") for a in page.locator("main a").all()]
        for section in [h for h in passport_links if h and h.count("/") == 4
                        and h.startswith("/p/")][:3]:
            page.goto(page.base_url + section)
            assert axe_violations(page) == [], section


def test_text_zoomed_to_200_percent_still_fits(page, demo_loaded):
    chloe = demo_loaded["yp.demo2"]
    sign_in(page, "yp.demo2", demo.PASSWORD)
    for path in ("/", f"/p/{chloe}/conditions/", f"/p/{chloe}/sharing/", "/settings/",
                 "/guide/"):
        page.goto(page.base_url + path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")  # text zoom
        assert not overflows(page), path
        assert page.get_by_role("heading", level=1).is_visible(), path


def test_ahmad_is_offered_arabic_at_first_sign_in(narrow_page, demo_loaded):
    """His record says Arabic; his account has no language yet: the app offers itself in
    Arabic, and one tap turns every page right to left."""
    page = narrow_page
    sign_in(page, "yp.demo4", demo.PASSWORD)
    offer = page.locator("section[aria-labelledby=your-language]")
    assert "Your record says you speak Arabic." in offer.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path="var/screens/ahmad_offer.png", full_page=True)
    with page.expect_navigation():
        offer.locator('button[value="ar"]').click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("section[aria-labelledby=your-language]").count() == 0
    assert axe_violations(page) == []
