"""Opening a link whose secret is after "#", as a browser does: the client never sends the
fragment, so the page it gets must carry the form its script posts the fragment with (the
same form a person without JavaScript pastes the link into)."""

import re


def open_link(client, link: str):
    """GET the link's page (no fragment: a browser never sends it), then post the fragment
    with the page's own form. Returns the response to that post."""
    link = link.removeprefix("http://testserver")
    path, _hash, secret = link.partition("#")
    page = client.get(path)
    body = page.content.decode()
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*data-link-secret', body)
    assert page.status_code == 200 and form, (page.status_code, body[:1500])
    assert secret not in body
    return client.post(form.group(1), {"link": secret})
