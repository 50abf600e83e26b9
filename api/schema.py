"""The schema and its documentation page, served only where HP_API_DOCS is on (api/openapi.py
builds the schema)."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class _Gate:
    """Served only where HP_API_DOCS is on."""

    def dispatch(self, request, *args, **kwargs):
        if not getattr(settings, "HP_API_DOCS", False):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SchemaView(_Gate, SpectacularAPIView):
    pass


class DocsView(_Gate, SpectacularSwaggerSplitView):
    pass
