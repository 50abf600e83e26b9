"""Lockout (django-axes) by username and address together."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, login, make_user

ATTACKER = "203.0.113.7"


@pytest.fixture(autouse=True)
def _not_at_the_turn_of_the_hour():
    """The ceilings count in fixed windows (an hour per account, ten minutes per address):
    tries made at 22:59:59 and checked at 23:00:00 fall in two windows, and a test of a
    ceiling would fail by the clock. Within 30 seconds of a window's end, wait for it to turn
    (a bounded wait; the hour is a whole number of ten minutes)."""
    import time

    from frontend.accounts import ACCOUNT_WINDOW, ADDRESS_WINDOW

    assert ACCOUNT_WINDOW % ADDRESS_WINDOW == 0
    left = ADDRESS_WINDOW - time.time() % ADDRESS_WINDOW
    if left < 30:
        time.sleep(left + 0.5)


def attempt(username: str, password: str, address: str = ATTACKER, **headers):
    return Client().post("/accounts/login/", {"username": username, "password": password},
                         REMOTE_ADDR=address, **headers)


def lock(username: str, address: str = ATTACKER, **headers) -> None:
    """Five wrong passwords: the fifth already answers "too many tries"."""
    statuses = [attempt(username, "wrong password", address, **headers).status_code
                for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_repeated_failures_lock_the_account_from_that_address(her_nurse):
    lock(her_nurse.username)
    response = attempt(her_nurse.username, PASSWORD)
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert "paused for 15 minutes" in response.content.decode()


def test_forging_x_forwarded_for_does_not_dodge_the_lock(her_nurse):
    for n in range(5):
        attempt(her_nurse.username, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = attempt(her_nurse.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_behind_a_proxy_only_the_address_it_saw_counts(settings, her_nurse):
    settings.HP_PROXY_COUNT = 1
    for n in range(5):  # the client forges a left-hand entry; the proxy appends the truth
        attempt(her_nurse.username, "wrong", address="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {ATTACKER}")
    response = attempt(her_nurse.username, PASSWORD, address="10.0.0.2",
                       HTTP_X_FORWARDED_FOR=f"198.51.100.99, {ATTACKER}")
    assert response.status_code == 429


def test_a_victim_behind_the_attackers_address_can_still_sign_in(her_nurse, other_nurse):
    lock(her_nurse.username)
    assert attempt(other_nurse.username, PASSWORD).status_code == 302
    assert attempt(her_nurse.username, PASSWORD, address="192.0.2.50").status_code == 302


def test_an_admin_unlocks_an_account(her_nurse, db):
    lock(her_nurse.username)
    admin = make_user("alex.admin", "admin", "Alex Morgan")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = login(Client(), admin)
    attempt_row = AccessAttempt.objects.get(username=her_nurse.username)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt_row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert attempt(her_nurse.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("failures", [4])
def test_fewer_failures_do_not_lock(her_nurse, failures):
    for _ in range(failures):
        attempt(her_nurse.username, "wrong")
    assert attempt(her_nurse.username, PASSWORD).status_code == 302


def test_one_address_trying_a_great_many_usernames_is_stopped(settings, db):
    from frontend import accounts

    accounts.ADDRESS_LIMIT = 12  # the real limit is 300 (a hostel shares one address)
    try:
        statuses = [attempt(f"user{n}", "guess").status_code for n in range(14)]
    finally:
        accounts.ADDRESS_LIMIT = 300
    assert statuses[:12] == [200] * 12 and statuses[12:] == [429, 429]
    assert attempt("someone", "guess", address="192.0.2.80").status_code == 200


def test_a_forged_address_that_is_not_an_address_falls_back_to_the_connection(settings,
                                                                               her_nurse):
    settings.HP_PROXY_COUNT = 1
    response = attempt(her_nurse.username, "wrong", HTTP_X_FORWARDED_FOR="not-an-address")
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == ATTACKER


# --- a ceiling per account, whatever the addresses -----------------------


def spread(username: str, tries: int) -> list[int]:
    """Wrong passwords, each from a different address (axes alone would allow 4 per address)."""
    return [attempt(username, "wrong password", f"198.51.100.{n + 1}").status_code
            for n in range(tries)]


def test_tries_spread_over_many_addresses_pause_the_account_for_new_devices(her_nurse):
    from frontend.accounts import ACCOUNT_LIMIT

    her_phone = Client()  # she signed in here before: it is a known device
    assert her_phone.post("/accounts/login/", {"username": her_nurse.username,
                                               "password": PASSWORD},
                          REMOTE_ADDR="192.0.2.10").status_code == 302
    her_phone.post("/accounts/logout/")
    assert set(spread(her_nurse.username, ACCOUNT_LIMIT)) == {200}
    # The next try from a new address, even with the right password, is paused...
    response = attempt(her_nurse.username, PASSWORD, "203.0.113.200")
    assert response.status_code == 429 and "Try again in an hour" in response.content.decode()
    # ...and so is a username that does not exist, the same way (nothing told).
    assert set(spread("nobody-at-all", ACCOUNT_LIMIT)) == {200}
    assert attempt("nobody-at-all", "x", "203.0.113.201").status_code == 429
    # Her own phone is not paused: an attacker cannot lock her out of it.
    assert her_phone.post("/accounts/login/", {"username": her_nurse.username,
                                               "password": PASSWORD},
                          REMOTE_ADDR="192.0.2.10").status_code == 302


def test_the_pause_ends_with_its_hour(her_nurse):
    from frontend.accounts import ACCOUNT_LIMIT
    from passport.models import SignInCounter

    spread(her_nurse.username, ACCOUNT_LIMIT)
    assert attempt(her_nurse.username, PASSWORD, "203.0.113.200").status_code == 429
    SignInCounter.objects.filter(key__startswith="account:").update(window=0)  # an hour on
    assert attempt(her_nurse.username, PASSWORD, "203.0.113.200").status_code == 302


def test_a_forged_known_device_cookie_is_ignored(her_nurse):
    from frontend.accounts import ACCOUNT_LIMIT, KNOWN_DEVICE_COOKIE

    spread(her_nurse.username, ACCOUNT_LIMIT)
    forger = Client()
    forger.cookies[KNOWN_DEVICE_COOKIE] = f'["{her_nurse.pk}"]'  # not signed by the server
    response = forger.post("/accounts/login/", {"username": her_nurse.username,
                                                "password": PASSWORD},
                           REMOTE_ADDR="203.0.113.202")
    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_the_counter_counts_every_attempt_made_at_once():
    """Two servers counting at the same moment: one UPDATE each, none lost."""
    import threading

    from django.db import connection

    from passport.accounts import counters

    def count_many():
        try:
            for _ in range(40):
                counters.bump("address:198.51.100.1", 600)
        finally:
            connection.close()

    threads = [threading.Thread(target=count_many) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counters.count("address:198.51.100.1", 600) == 120


def test_another_spelling_of_the_username_counts_as_the_same_account(her_nurse):
    from frontend.accounts import ACCOUNT_LIMIT

    spread(her_nurse.username, ACCOUNT_LIMIT)
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c
                         for c in her_nurse.username)  # what NFKC reads as the same name
    assert attempt(full_width, PASSWORD, "203.0.113.210").status_code == 429
    assert attempt(her_nurse.username.upper(), PASSWORD, "203.0.113.211").status_code == 429


def test_the_admins_own_sign_in_page_is_the_apps(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_signing_out_keeps_the_device_known_and_quick_exit_forgets_it(her_nurse):
    from frontend.accounts import ACCOUNT_LIMIT

    her_phone = Client()
    her_phone.post("/accounts/login/", {"username": her_nurse.username, "password": PASSWORD})
    signed_out = her_phone.post("/accounts/logout/")
    assert "cookies" not in signed_out["Clear-Site-Data"]  # the known-device cookie stays
    spread(her_nurse.username, ACCOUNT_LIMIT)
    assert her_phone.post("/accounts/login/", {"username": her_nurse.username,
                                               "password": PASSWORD}).status_code == 302
    assert "cookies" in her_phone.post("/exit/")["Clear-Site-Data"]  # quick exit: all


def test_a_known_device_has_its_own_ceiling(her_nurse):
    from frontend.accounts import ACCOUNT_LIMIT

    shared = Client()  # a family computer she signed in on; someone else now guesses on it
    shared.post("/accounts/login/", {"username": her_nurse.username, "password": PASSWORD})
    shared.post("/accounts/logout/")
    for n in range(ACCOUNT_LIMIT):
        shared.post("/accounts/login/", {"username": her_nurse.username, "password": "wrong"},
                    REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert shared.post("/accounts/login/", {"username": her_nurse.username,
                                            "password": PASSWORD},
                       REMOTE_ADDR="198.51.100.99").status_code == 429
