"""Fill the given msgids' translations in a .po file and clear their fuzzy flags.

Usage: python bin/po_fill.py locale/ar/LC_MESSAGES/django.po translations.json
(translations.json maps msgid to msgstr, or for a plural entry its singular msgid to a list
of forms in the language's order; a short list repeats its last form). For the handful of
strings a change adds; whole catalogues are translated in bulk and reviewed by a translator.
"""

import json
import re
import sys
from pathlib import Path


def fill(po: Path, table: dict[str, str]) -> int:
    filled = 0
    blocks = po.read_text(encoding="utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        found = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not found:
            continue
        msgid = "".join(re.findall(r'"(.*)"', found.group(1))).replace('\\"', '"')
        if msgid not in table:
            continue
        head = []
        for line in block.split("\n"):
            if line.startswith("msgstr"):
                break
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                line = line.replace(", fuzzy", "")
                if line.strip() in ("#,", "#"):
                    continue
            head.append(line)
        values = table[msgid] if isinstance(table[msgid], list) else [table[msgid]]
        values = [v.replace("\\", "\\\\").replace('"', '\\"') for v in values]
        if re.search(r"^msgid_plural", block, re.M):  # one form per plural the language has
            forms = len(re.findall(r"^msgstr\[", block, re.M))
            values = (values * forms)[:forms] if len(values) < forms else values[:forms]
            blocks[i] = "\n".join([*head] + [f'msgstr[{n}] "{v}"'
                                             for n, v in enumerate(values)])
        else:
            blocks[i] = "\n".join([*head, f'msgstr "{values[0]}"'])
        filled += 1
    po.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


if __name__ == "__main__":
    count = fill(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    print(f"{count} filled")
