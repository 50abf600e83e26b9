"""Show only what a person can do: every link each demo person is shown, followed from her
home page as she would (same site, GET, every page she reaches), opens for her. A link to
"Not allowed" or "Page not found" is an action offered to someone who cannot take it."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from passport.models import User
from tests.conftest import login

HREF = re.compile(r'<a [^>]*href="([^"]+)"')
# Pages that act when opened, or leave the app: not followed.
NOT_FOLLOWED = ("/accounts/logout", "/quick-exit", "/static/", "/source/", "/admin/",
                "/sw.js", "/i18n/", "/api/")
LIMIT = 250  # pages per person: the walk stops by itself


def _walk(client: Client) -> dict[str, tuple[int, str]]:
    """Every page reached by following links from the home page: {url: (status, from)}."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque([("/", "")])
    while queue and len(seen) < LIMIT:
        url, came_from = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = (response.status_code, came_from)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.startswith(NOT_FOLLOWED) or href in seen:
                continue
            queue.append((href, url))
    return seen


@pytest.mark.parametrize("username", ["nurse", "teamlead", "fostercarer", "residential",
                                      "socialworker", "adviser", "designated", "caldicott",
                                      "yp.demo1", "yp.demo3", "yp.demo4"])
def test_every_link_she_is_shown_opens_for_her(loaded, username):
    seen = _walk(login(Client(), User.objects.get(username=username)))
    dead = {url: found for url, found in seen.items() if found[0] >= 400}
    assert dead == {}, dead
    assert len(seen) > 5  # she was shown somewhere to go
