"""Lists in pages, in a stable order: `?limit=` (1 to 500, 100 by default) and `?offset=`. The
body stays a plain list; the total is in `X-Total-Count` and the neighbouring pages in `Link`
(rel="next", rel="prev"), so a caller that ignores paging still gets the first 100."""

from __future__ import annotations

from collections.abc import Sequence

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_LIMIT, MAX_LIMIT = 100, 500


class PageInput(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
    offset = serializers.IntegerField(min_value=0, default=0)


def paginate(request: Request, items: Sequence) -> tuple[list, dict[str, str]]:
    page = PageInput(data={k: v for k, v in request.query_params.items()
                           if k in ("limit", "offset")})
    page.is_valid(raise_exception=True)
    limit, offset = page.validated_data["limit"], page.validated_data["offset"]
    total = len(items)
    url = request.build_absolute_uri()
    links = []
    if offset + limit < total:
        links.append(f'<{replace_query_param(url, "offset", offset + limit)}>; rel="next"')
    if offset > 0:
        previous = max(offset - limit, 0)
        target = (replace_query_param(url, "offset", previous) if previous
                  else remove_query_param(url, "offset"))
        links.append(f'<{target}>; rel="prev"')
    headers = {"X-Total-Count": str(total)}
    if links:
        headers["Link"] = ", ".join(links)
    return list(items[offset:offset + limit]), headers
