"""Errors as RFC 9457 problem details, with translated titles and no content in them."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from passport.models import StaleVersion


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "This change needs an If-Match header with the ETag you last read."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Someone else changed this since you read it. Read it again, then retry."
    )
    default_code = "stale_version"


def problem_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        from api.parsers import TooLarge

        exc = TooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, StaleVersion):
        exc = PreconditionFailed(_("Someone else changed this since you read it. "
                                   "Read it again, then retry."))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("You cannot do this."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    return _as_problem(exc, response)


def _as_problem(exc: exceptions.APIException, response: Response) -> Response:
    body = {
        "type": f"https://healthpassport.example/problems/{exc.default_code}",
        "title": str(exc.default_detail) if not isinstance(exc.default_detail, dict) else "",
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        body["title"] = _("Some of what you sent is not valid.")
        body["errors"] = response.data
    else:
        body["detail"] = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    response.data = body
    response.content_type = "application/problem+json"
    return response
