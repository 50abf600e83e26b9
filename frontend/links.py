"""Links whose secret is after "#": browsers never send the fragment, so the
secret is in no request line, access log or Referer. The page the link opens posts it (a
script does this at once; without JavaScript the person pastes the link), and the view moves
it into the session, as the older links with the secret in the path still do."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from frontend.forms import Form


class LinkForm(Form):
    link = forms.CharField(
        label=gettext_lazy("Paste the whole link you were sent"), max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                      "spellcheck": "false", "dir": "ltr"}))


def secret_in(link: str) -> str:
    """The secret from a pasted link (after "#", or the last part of an older link's path),
    or from the fragment the page's script posted."""
    text = (link or "").strip()
    if "#" in text:
        text = text.rsplit("#", 1)[1]
    return text.rstrip("/").rsplit("/", 1)[-1].strip()


def posted_secret(request: HttpRequest, page: str) -> tuple[str, HttpResponse | None]:
    """(the secret the page posted, None), or ("", the page again saying what is missing)."""
    form = LinkForm(request.POST)
    secret = secret_in(form.data.get("link", ""))
    if not secret:
        form.is_valid()  # "This field is required." on the link field
        return "", render(request, page, {"form": form}, status=400)
    return secret, None
