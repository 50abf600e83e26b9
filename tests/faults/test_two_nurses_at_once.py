"""Two nurses save one entry at the same moment, each from her own browser, on a server with
two workers: one wins, the other is told and shown the winner's version; nothing
of the loser's is saved."""

import re
import threading
import uuid

from passport.operations import demo
from tests.support.server import Browser, running

MIA = uuid.uuid5(demo.NAMESPACE, "yp.demo1")
CONDITIONS = f"/p/{MIA}/conditions/"


def entry_path(page: str, marker: str) -> str:
    after = page[page.index(marker):]
    return re.search(r'href="(/p/[0-9a-f-]+/conditions/condition/[0-9a-f-]+/)edit/"',
                     after).group(1)


def test_one_wins_and_the_other_is_told(database, tmp):
    with running(database, tmp, workers=2) as app:
        nurse = Browser(app.base).sign_in("nurse", database)
        doctor = Browser(app.base).sign_in("doctor", database)
        nurse.get(CONDITIONS)
        assert nurse.post(CONDITIONS + "condition/add/", {
            "kind": "condition", "name": "Shared hay fever", "privacy": "auto",
            "details": "Antihistamine in spring."}).status == 302
        entry = entry_path(nurse.get(CONDITIONS).text, "Shared hay fever")
        for browser in (nurse, doctor):
            form = browser.get(entry + "edit/")
            assert form.status == 200 and 'name="version" value="1"' in form.text
        start, answers = threading.Barrier(2), {}

        def save(name: str, browser: Browser) -> None:
            start.wait()
            answers[name] = browser.post(entry + "edit/", {
                "version": 1, "reason": f"Seen by the {name}", "kind": "condition",
                "name": "Shared hay fever", "details": f"Changed by the {name}"})

        threads = [threading.Thread(target=save, args=item)
                   for item in (("nurse", nurse), ("doctor", doctor))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(answer.status for answer in answers.values())
        assert statuses == [302, 409], statuses
        winner = next(name for name, answer in answers.items() if answer.status == 302)
        loser = answers[next(name for name in answers if name != winner)]
        assert "Someone else changed this entry while you were editing it" in loser.text
        assert f"Changed by the {winner}" in loser.text  # the winner's version, to change again
        assert 'name="version" value="2"' in loser.text
        page = nurse.get(CONDITIONS).text
        assert f"Changed by the {winner}" in page
        assert "Changed by the" + (" doctor" if winner == "nurse" else " nurse") not in page
        history = nurse.get(entry + "history/").text
        assert "Version 2" in history and "Version 3" not in history
