"""`make run` and `make test` on a fresh machine: the system check installs what is missing as
root, asks first at a terminal, and otherwise prints the one command (decision 0037)."""

import importlib.machinery
import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "bin" / "syscheck"


@pytest.fixture(scope="module")
def syscheck():
    loader = importlib.machinery.SourceFileLoader("syscheck", str(PATH))
    spec = importlib.util.spec_from_loader("syscheck", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.parametrize(("root", "terminal", "sudo", "apt", "refused", "expected"), [
    (True, False, False, True, False, "install"),   # CI, a container, a fresh server as root
    (True, True, True, True, False, "install"),
    (False, True, True, True, False, "ask"),        # a developer at a terminal
    (False, False, True, True, False, "print"),     # no one to ask
    (False, True, False, True, False, "print"),     # no sudo
    (True, False, False, False, False, "print"),    # not Debian: say what is needed
    (True, False, False, True, True, "print"),      # HP_NO_INSTALL=1
])
def test_the_way_to_get_missing_packages(syscheck, root, terminal, sudo, apt, refused, expected):
    assert syscheck.way(root=root, terminal=terminal, sudo=sudo, apt=apt,
                        refused=refused) == expected


def test_the_command_is_one_that_works_unattended(syscheck):
    assert syscheck.command(["chromium"], root=True) == [
        ["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]]
    assert syscheck.command(["gettext"], root=False)[1][:2] == ["sudo", "apt-get"]


def test_what_the_tests_need_is_checked_too(syscheck):
    packages = {package for _what, _found, package, _why in syscheck.TEST_NEEDS}
    assert packages == {"postgresql", "gettext", "chromium"}
