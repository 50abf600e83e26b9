"""Guess wrong codes at a share link from a process of its own, against DATABASE_URL: prints
how many guesses were taken as tries and how many found the link closed."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passport.project.settings")

import django

django.setup()

from passport.access import sharelinks  # noqa: E402
from passport.models import ShareLink  # noqa: E402

link_id, guesses = sys.argv[1], int(sys.argv[2])
tried = closed = 0
for number in range(guesses):
    link = ShareLink.objects.get(pk=link_id)
    try:
        use = sharelinks.do_use_link(link, code=f"{number:08d}", viewer_name="Guesser",
                                     organisation="Nowhere")
    except sharelinks.LinkClosed:
        closed += 1
    else:
        assert use is None, "a guess was right"
        tried += 1
print(f"tried={tried} closed={closed}")
