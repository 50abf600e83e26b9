"""How fast, small and lean is the "My health" booklet?

Loads the demo into a throw-away SQLite database, then renders the full booklet of its largest
passport (every section, the schedule, the SDQ trend, the guide: about 12 pages) 10 times
after a warm-up, and prints the median time, pages per second, the file size and the peak
memory of the process, beside WeasyPrint's time for a plain one-page document in the same run
(the baseline) and the ratio. Targets: under 1 s, under 100 KB, under 300 MB.

Run: .venv/bin/python bench/booklet.py
"""

import atexit
import io
import json
import os
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
work = Path(tempfile.mkdtemp(prefix="hp-bench-booklet-"))
atexit.register(shutil.rmtree, work, ignore_errors=True)  # it holds a keyring

from passport.encryption import crypto  # noqa: E402

(work / "keyring.json").write_text(json.dumps(crypto.new_keyring_data()))
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "passport.project.settings",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
    "HP_KEYRING_FILE": str(work / "keyring.json"),
    "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
})
os.environ.pop("DJANGO_DEBUG", None)

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its progress lines are not figures

import pypdf  # noqa: E402
from django.core.management import call_command  # noqa: E402
from weasyprint import HTML  # noqa: E402

from passport.access.policy import reach  # noqa: E402
from passport.models import Entry, User  # noqa: E402
from passport.operations import demo  # noqa: E402
from passport.outputs import booklet  # noqa: E402

ROUNDS = 10
PLAIN = ("<html lang='en'><head><title>Plain</title></head><body><h1>A plain page</h1>"
         + "<p>Some words on a page, set in the default font, with nothing else.</p>" * 12
         + "</body></html>")


def largest_passport() -> tuple[str, uuid.UUID]:
    sizes = {}
    for person in demo.young_people():
        passport_id = uuid.uuid5(demo.NAMESPACE, person["username"])
        sizes[person["username"]] = sum(m.objects.filter(passport_id=passport_id).count()
                                        for m in Entry.__subclasses__())
    name = max(sizes, key=sizes.get)
    return name, uuid.uuid5(demo.NAMESPACE, name)


def timed(make) -> tuple[list[float], bytes]:
    make()  # warm-up: fonts found, templates compiled
    times, pdf = [], b""
    for _round in range(ROUNDS):
        start = time.perf_counter()
        pdf = make()
        times.append(time.perf_counter() - start)
    return times, pdf


def main() -> None:
    call_command("migrate", verbosity=0)
    crypto.keys_held(demo.load)()
    name, passport_id = largest_passport()
    owner = User.objects.get(username=name)
    own = reach(owner, passport_id)

    @crypto.keys_held
    def make_booklet() -> bytes:
        return booklet.render(own, list(booklet.ORDER), language="en-gb",
                              show_unknown=True)

    plain_times, _plain = timed(lambda: HTML(string=PLAIN).write_pdf(pdf_variant="pdf/ua-1"))
    times, pdf = timed(make_booklet)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # A second baseline for scale: plain text over as many pages as the booklet has.
    long = PLAIN.replace("</body>", "<p>Some words on a page.</p>" * 22 * pages + "</body>")
    long_times, long_pdf = timed(lambda: HTML(string=long).write_pdf(pdf_variant="pdf/ua-1"))
    long_pages = len(pypdf.PdfReader(io.BytesIO(long_pdf)).pages)
    median, plain = statistics.median(times), statistics.median(plain_times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    booklet.encrypt(pdf, "a password of the young person's")
    encrypt_ms = (time.perf_counter() - start) * 1000
    print(f"passport: {name}, every section, {pages} pages")
    print(f"plain one-page document (baseline): median {plain * 1000:.0f} ms")
    print(f"booklet: median {median * 1000:.0f} ms (target < 1000 ms), best "
          f"{min(times) * 1000:.0f} ms; {pages / median:.1f} pages/s; ratio to the baseline "
          f"x{median / plain:.1f} (target x12)")
    print(f"plain text over {long_pages} pages: median "
          f"{statistics.median(long_times) * 1000:.0f} ms; the booklet is "
          f"x{median / statistics.median(long_times):.1f} that")
    print(f"file size: {len(pdf) / 1024:.0f} KB (target < 100 KB); with a password: AES-256 "
          f"in {encrypt_ms:.0f} ms")
    print(f"peak memory of the process: {peak_mb:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
