"""Fault tests run the app as production does (gunicorn, production settings) on a scratch
database of the vendor under test, with the demo loaded through the real commands."""

import pytest

from tests.support.databases import scratch_database
from tests.support.server import prepare


@pytest.fixture(scope="module")
def database(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("faults")
    with django_db_blocker.unblock(), scratch_database(tmp) as scratch:
        prepare(scratch)
        yield scratch


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("server")
