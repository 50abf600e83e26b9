"""When something breaks, neither the error page nor the log shows health content."""

import logging

from django.db import connection
from django.test import Client

from tests.conftest import login


def test_a_decryption_failure_shows_a_plain_error_and_logs_no_content(her_passport, her_nurse,
                                                                      asthma, caplog):
    with connection.cursor() as cursor:  # a damaged value, as after a botched manual edit
        cursor.execute("UPDATE passport_condition SET details = name WHERE id = %s",
                       [asthma.pk.hex if connection.vendor == "sqlite" else asthma.pk])
    client = Client(raise_request_exception=False)
    login(client, her_nurse)
    with caplog.at_level(logging.INFO):
        response = client.get(f"/p/{her_passport.pk}/conditions/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, something went wrong" in body
    logged = "\n".join(r.getMessage() + str(r.exc_info and r.exc_info[1]) for r in caplog.records)
    assert "cannot decrypt passport.condition.details" in logged  # it is logged, by place
    for secret in ("Asthma", "Preventer", "Samantha", "Sam", "9434765919", "943 476 5919"):
        assert secret not in body
        assert secret not in logged
