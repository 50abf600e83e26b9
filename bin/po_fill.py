"""Fill the given msgids' translations in a .po file and clear their fuzzy flags.

Usage: python bin/po_fill.py locale/ar/LC_MESSAGES/django.po translations.json
(translations.json maps msgid to msgstr; plural entries are left alone). For the handful of
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
        if not found or "msgid_plural" in block:
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
                if line.strip() == "#,":
                    continue
            head.append(line)
        value = table[msgid].replace("\\", "\\\\").replace('"', '\\"')
        blocks[i] = "\n".join([*head, f'msgstr "{value}"'])
        filled += 1
    po.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


if __name__ == "__main__":
    count = fill(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    print(f"{count} filled")
