"""Nothing assumes one process: two app servers, as two machines behind a load
balancer, on one database. A session begun on one is good on the other and ends on both; five
wrong passwords spread over both lock the account on both; the API's throttle counts requests
to both together."""

import pytest

from tests.support.server import Browser, running

RATE = 12  # requests a minute for one account, on both machines together


@pytest.fixture(scope="module")
def machines(database, tmp):
    with running(database, tmp, workers=1, HP_API_RATE_USER=f"{RATE}/min") as first, \
            running(database, tmp, workers=1, HP_API_RATE_USER=f"{RATE}/min") as second:
        yield first, second


def on(machine, browser: Browser) -> Browser:
    """The same browser (its cookies), its next request sent to another machine."""
    return Browser(machine.base, cookies=browser.cookies, token=browser.token)


def test_a_session_begun_on_one_machine_is_good_on_the_other(machines, database):
    first, second = machines
    nurse = Browser(first.base).sign_in("nurse", database)
    there = on(second, nurse)
    home = there.get("/")
    assert home.status == 200 and "caseload" in home.text.lower()
    assert there.post("/accounts/logout/", {}).status == 302
    for machine in machines:
        assert on(machine, nurse).get("/").location == "/accounts/login/"


def test_wrong_passwords_on_both_machines_lock_the_account_on_both(machines):
    first, second = machines
    statuses = []
    for n in range(5):
        browser = Browser((first, second)[n % 2].base)
        browser.get("/accounts/login/")
        statuses.append(browser.post("/accounts/login/", {"username": "doctor",
                                                           "password": "wrong password"}).status)
    assert statuses == [200, 200, 200, 200, 429]
    for machine in machines:
        browser = Browser(machine.base)
        browser.get("/accounts/login/")
        locked = browser.post("/accounts/login/", {"username": "doctor",
                                                    "password": "health-passport-demo"})
        assert locked.status == 429 and "Too many tries" in locked.text


def test_the_api_throttle_counts_both_machines_together(machines, database):
    first, second = machines
    young = Browser(first.base).sign_in("yp.demo2", database)
    statuses = [on((first, second)[n % 2], young).get("/api/v1/passports/").status
                for n in range(RATE + 2)]
    assert statuses[:RATE] == [200] * RATE
    assert statuses[RATE:] == [429, 429]
