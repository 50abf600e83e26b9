"""The domain's refusals, one meaning each, answered the same way by both faces (docs/
architecture.md 6, decision 0039):

- `NotFound`: the thing is not there for this person: it does not exist, or it is in a
  passport she does not reach, or in another passport than the one named. She may not know
  that it exists, so the answer is the one a wrong id gets: 404.
- `Refused`: she knows it exists (she reaches the passport, or it is her own), and may not do
  this: 403.
- Django's `ValidationError`: what was sent is wrong; nothing changed: 400, with the messages.
- `passport.models.StaleVersion`: someone changed it since she read it: 412 (the API) or the
  form again with both versions (the pages).

They are Django's own Http404 and PermissionDenied underneath, so the pages' handlers and the
API's problem handler (api/problems.py) map them without knowing this module; the use cases
raise these, never a face's exception."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class NotFound(Http404):
    """404 on both faces: the id means nothing to this person."""


class Refused(PermissionDenied):
    """403 on both faces: she may see it is there, and may not do this."""


def found(thing):
    """The thing, or NotFound: for a lookup by id inside the passport she reaches."""
    if thing is None:
        raise NotFound
    return thing
