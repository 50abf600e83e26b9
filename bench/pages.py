"""How light and fast are the young person's pages?

Serves the demo from a throw-away database, signs in as a demo young person, and runs Lighthouse
(npm lighthouse@12.2.3 on Node 20, Debian's Chromium) with mobile emulation on her home page and
a section page, with the public sign-in page as the baseline measured in the same run. Prints
the performance, accessibility and best-practices scores, Largest Contentful Paint and bytes
transferred; then the first load of her home page, its JavaScript and the service worker,
gzip-compressed as a production server would send them.
Targets: performance >= 95, accessibility 100, best practices >= 95, LCP < 2 s; home page first
load < 100 KB compressed, JavaScript < 20 KB, service worker < 10 KB.

Run: make bench-pages (needs network access to npm the first time: npx fetches Lighthouse), or
LIGHTHOUSE=/path/to/lighthouse/cli/index.js .venv/bin/python bench/pages.py
"""

import atexit
import gzip
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
work = Path(tempfile.mkdtemp(prefix="hp-bench-pages-"))
atexit.register(shutil.rmtree, work, ignore_errors=True)

from passport.encryption import crypto  # noqa: E402

(work / "keyring.json").write_text(json.dumps(crypto.new_keyring_data()))
ENV = dict(os.environ, DJANGO_SETTINGS_MODULE="passport.project.settings", DJANGO_DEBUG="1",
           DJANGO_SECRET_KEY=secrets.token_urlsafe(40), HP_KEYRING_FILE=str(work / "keyring.json"),
           DATABASE_URL=f"sqlite:///{work / 'pages.sqlite3'}", DJANGO_ALLOWED_HOSTS="127.0.0.1")
os.environ.update(ENV)
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=ENV, check=True,
                   capture_output=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lighthouse_command() -> list[str]:
    if os.environ.get("LIGHTHOUSE"):
        return ["node", os.environ["LIGHTHOUSE"]]
    return ["npx", "--yes", "lighthouse@12.2.3"]


def audit(url: str, cookie: str | None) -> dict:
    out = work / f"lh-{abs(hash(url))}.json"
    command = [*lighthouse_command(), url, "--output=json", f"--output-path={out}", "--quiet",
               "--form-factor=mobile", "--only-categories=performance,accessibility,"
               "best-practices", "--chrome-flags=--headless --no-sandbox --disable-gpu "
               "--no-first-run --disable-background-networking --disable-component-update "
               "--disable-sync"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    # Lighthouse sometimes loses the trace of a page load in headless Chromium ("NO_NAVSTART"):
    # up to three tries, then its own error.
    for attempt in range(3):
        run = subprocess.run(command, env=dict(ENV, CHROME_PATH=CHROME), timeout=300,
                             capture_output=True)
        report = json.loads(out.read_text()) if out.exists() else {}
        score = report.get("categories", {}).get("performance", {}).get("score")
        if run.returncode == 0 and score is not None:
            break
        if attempt == 2:
            raise RuntimeError(f"Lighthouse failed on {url}: {run.stderr.decode()[-500:]}")
    audits = report["audits"]
    scripts = sum(item.get("transferSize", 0) for item in
                  audits["network-requests"]["details"]["items"]
                  if item.get("resourceType") == "Script")
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "best_practices": round(report["categories"]["best-practices"]["score"] * 100),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "script_bytes": scripts,
    }


def gzipped(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request) as response:
        return len(gzip.compress(response.read(), compresslevel=6))


def main() -> None:
    manage("migrate", "--noinput")
    manage("createcachetable")
    manage("load_demo")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver",
                               f"127.0.0.1:{port}", "--noreload"], env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(server.terminate)
    for _ in range(100):  # bounded: about 10 seconds
        try:
            urllib.request.urlopen(base + "/accounts/login/")
            break
        except OSError:
            time.sleep(0.1)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from passport.models import User

    client = Client()
    client.force_login(User.objects.get(username="yp.demo2"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    chloe = User.objects.get(username="yp.demo2").passport.pk
    pages = [("sign-in (baseline)", "/accounts/login/", None), ("her home", "/", cookie),
             ("a section", f"/p/{chloe}/conditions/", cookie)]
    results = {}
    print(f"{'page':<20} {'perf':>5} {'a11y':>5} {'best':>5} {'LCP ms':>7} {'bytes':>8} "
          f"{'JS bytes':>9}")
    for name, path, with_cookie in pages:
        found = results[name] = audit(base + path, with_cookie)
        print(f"{name:<20} {found['performance']:>5} {found['accessibility']:>5} "
              f"{found['best_practices']:>5} {found['lcp_ms']:>7} {found['bytes']:>8} "
              f"{found['script_bytes']:>9}")
    baseline = results["sign-in (baseline)"]
    home = results["her home"]
    print(f"\nher home / baseline: LCP x{home['lcp_ms'] / max(baseline['lcp_ms'], 1):.2f}, "
          f"bytes x{home['bytes'] / max(baseline['bytes'], 1):.2f}")
    html = urllib.request.urlopen(urllib.request.Request(
        base + "/", headers={"Cookie": cookie})).read().decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js|png))"', html)
    first_load = gzipped(base + "/", cookie) + sum(gzipped(base + a, None) for a in assets)
    script = sum(gzipped(base + a, None) for a in assets if a.endswith(".js"))
    worker = gzipped(base + "/sw.js", None)
    print(f"her home, first load gzip-compressed: {first_load / 1024:.1f} KB "
          f"(target < 100 KB); JavaScript {script / 1024:.1f} KB (< 20 KB); "
          f"service worker {worker / 1024:.1f} KB (< 10 KB)")


if __name__ == "__main__":
    main()
