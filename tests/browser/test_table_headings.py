"""Table headings never break inside a word ("A/ge", "Sco/re"), on a phone (360 px) or a
laptop (1280 px): measured in Chromium, each word of each heading must sit on one line."""

import pytest

from passport.operations import demo
from tests.browser.conftest import sign_in

# Each word of each <th>: a word broken across lines has more than one box.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll("th")) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

MIA = "/p/{mia}/assessments/"  # her growth table
# Pages with tables, by who sees them (each signs in once: a code is used only once).
PAGES = {"nurse": ["/", MIA], "designated": ["/figures/"], "teamlead": ["/"]}


@pytest.mark.parametrize("width", [360, 1280])
def test_no_table_heading_breaks_inside_a_word(browser, committed_db, live_server,
                                               demo_loaded, width):
    for username, urls in PAGES.items():
        context = browser.new_context(viewport={"width": width, "height": 800},
                                      locale="en-GB")
        page = context.new_page()
        page.base_url = live_server.url
        try:
            sign_in(page, username, demo.PASSWORD)
            for url in urls:
                page.goto(live_server.url + url.format(mia=demo_loaded["yp.demo1"]))
                assert page.locator("th").count() > 0, (username, url)
                assert page.evaluate(BROKEN_WORDS) == [], (username, url, width)
        finally:
            context.close()
