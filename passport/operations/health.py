"""Health checks for a load balancer and an orchestrator.

- `/healthz`: the process is up and answering. Touches nothing else, so a slow database never
  gets a healthy worker killed.
- `/readyz`: this worker can serve: the database answers, the keyring loads (the keys every
  record needs), and every erasure in the ledger is applied (a restored backup never serves an
  erased passport). 503 with the failing check's name otherwise; never a detail that could leak.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _keys() -> bool:
    from passport.encryption import keys

    return keys.keyring() is not None


def _ledger() -> bool:
    from passport.records import erasure

    return erasure.ledger_applied()


CHECKS = (("database", _database), ("keys", _keys), ("erasure_ledger", _ledger))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS:
        try:
            results[name] = bool(check())
        except Exception:  # any failure is "not ready"; the log has the exception, not here
            import logging

            logging.getLogger("passport.operations.health").exception(
                "readiness check %s failed", name)
            results[name] = False
    ready = all(results.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": results},
                        status=200 if ready else 503)


class HealthCheckMiddleware:
    """First in the chain: a load balancer asks by IP address over plain HTTP, which the host
    check and the HTTPS redirect would refuse; these two paths answer before either, and touch
    no session."""

    PATHS = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        view = self.PATHS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
