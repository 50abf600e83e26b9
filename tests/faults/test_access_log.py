"""No secret in the access log. Against the app as `make serve` runs it (gunicorn,
production settings, passport/project/gunicorn.py), each kind of link is used for real: an
invitation and a share link as they are given now (the secret after "#", posted by the page)
and as older links had it (in the path), and the emailed password reset. Then the server's own
log is read: no token, no code, and the paths are there with the secret hidden."""

import re
import uuid

from passport.operations import demo
from tests.support.server import Browser, running

CHLOE = uuid.uuid5(demo.NAMESPACE, "yp.demo2")
NEW_PASSWORD = "Lantern orbit meadow 2026"


def invitation_token(nurse: Browser) -> str:
    nurse.get("/accounts/invite/")
    response = nurse.post("/accounts/invite/", {"role": "carer", "display_name": "Pat Carer"})
    assert response.status == 200, response.text[:500]
    return re.search(r"/accounts/invitation/#([\w-]+)", response.text).group(1)


def accept(app, token: str, username: str, *, posted: bool) -> None:
    invitee = Browser(app.base)
    if posted:  # what the page's script does with the part after "#"
        page = invitee.get("/accounts/invitation/")
        assert page.status == 200 and "data-link-secret" in page.text
        opened = invitee.post("/accounts/invitation/open/", {"link": token})
    else:
        opened = invitee.get(f"/accounts/invitation/{token}/")
    assert opened.status == 302 and opened.location == "/accounts/invitation/"
    invitee.get("/accounts/invitation/")
    done = invitee.post("/accounts/invitation/", {"username": username,
                                                  "password1": NEW_PASSWORD,
                                                  "password2": NEW_PASSWORD})
    assert done.status == 302, done.text[:800]


def share_link(owner: Browser) -> tuple[str, str]:
    owner.get(f"/p/{CHLOE}/share-links/")
    response = owner.post(f"/p/{CHLOE}/share-links/", {"ready": "gp", "hours": "24"})
    assert response.status == 200, response.text[:500]
    token = re.search(r"/share/#([\w-]+)", response.text).group(1)
    code = re.search(r"<strong><code>(\d{4} \d{4})</code></strong>", response.text).group(1)
    return token, code


def view(app, token: str, code: str, *, posted: bool) -> None:
    viewer = Browser(app.base)
    if posted:
        viewer.get("/share/")
        opened = viewer.post("/share/open/", {"link": token})
    else:
        opened = viewer.get(f"/share/{token}/")
    assert opened.status == 302 and opened.location == "/share/"
    viewer.get("/share/")
    viewer.post("/share/", {"step": "who", "viewer_name": "Dr Grace Okafor",
                            "organisation": "Heaton Moor Medical"})
    assert viewer.post("/share/", {"step": "code", "code": code}).status == 302
    assert viewer.get("/share/").status == 200


def reset_password(app, mail_dir) -> str:
    person = Browser(app.base)
    person.get("/accounts/password-reset/")
    sent = person.post("/accounts/password-reset/", {"email": "doctor@example.org"})
    assert sent.status == 302, sent.text[:500]
    body = "".join(path.read_text() for path in mail_dir.iterdir())
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", body).group(1)
    token = path.rstrip("/").rsplit("/", 1)[1]
    form = person.get(path)
    assert form.status == 302
    person.get(form.location)
    done = person.post(form.location, {"new_password1": NEW_PASSWORD,
                                       "new_password2": NEW_PASSWORD})
    assert done.status == 302, done.text[:800]
    return token


def test_no_secret_reaches_the_access_log(database, tmp):
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    with running(database, tmp, workers=1,
                 DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                 DJANGO_EMAIL_FILE_PATH=str(mail_dir)) as app:
        nurse = Browser(app.base).sign_in("nurse", database)
        new_link, old_link = invitation_token(nurse), invitation_token(nurse)
        accept(app, new_link, "pat.carer", posted=True)
        accept(app, old_link, "pat.carer2", posted=False)
        owner = Browser(app.base).sign_in("yp.demo2", database)
        first, first_code = share_link(owner)
        second, second_code = share_link(owner)
        view(app, first, first_code, posted=True)
        view(app, second, second_code, posted=False)
        reset = reset_password(app, mail_dir)
    log = app.log.read_text()
    secrets = [new_link, old_link, first, second, reset, first_code, second_code,
               first_code.replace(" ", ""), second_code.replace(" ", ""), NEW_PASSWORD]
    assert [s for s in secrets if s in log] == []
    # The requests are there, with the secret hidden where the path held one.
    assert '"GET /accounts/invitation/[hidden]/" 302' in log
    assert '"GET /share/[hidden]/" 302' in log
    assert re.search(r'"GET /accounts/reset/\w+/\[hidden\]/" 302', log)
    assert '"POST /accounts/invitation/open/" 302' in log
    assert '"POST /share/open/" 302' in log
