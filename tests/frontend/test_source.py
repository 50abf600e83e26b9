"""The licence (decision 0028): the project is AGPL-3.0-or-later, and the running
service offers anyone who uses it its source, linked from every page's footer: the program
only, never the database, the keys or the virtual environment."""

import io
import tarfile
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_the_licence_is_the_agpl_3_or_later():
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text
    assert 'license = {text = "AGPL-3.0-or-later"}' in (ROOT / "pyproject.toml").read_text()


def test_every_page_links_to_the_source_and_anyone_can_download_it(db):
    visitor = Client()
    assert 'href="/source/"' in visitor.get("/accounts/login/").content.decode()
    page = visitor.get("/source/").content.decode()
    assert "GNU Affero General Public License" in page
    response = visitor.get("/source/health-passport-source.tar.gz")
    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(response.content)) as archive:
        names = archive.getnames()
    assert "health-passport/LICENSE" in names
    assert "health-passport/passport/access/policy.py" in names
    assert "health-passport/frontend/source.py" in names
    forbidden = [n for n in names if n.startswith(("health-passport/var", "health-passport/.venv",
                                                   "health-passport/staticfiles"))
                 or n.endswith((".sqlite3", ".pyc")) or "/var/secrets" in n]
    assert forbidden == []
