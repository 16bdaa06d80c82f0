"""Reading the translations' catalogs (locales/<code>/LC_MESSAGES/**/*.po) for the tests.

A translation must keep what a reader follows or a build resolves exactly as the English has it:
its inline maths, its code, the targets of its roles ({ref}, {eq}, ...) and of its links. The text
of a role or a link ({ref}`this chapter <matmul>`) is words, and is translated.

    python tests/catalog_support.py PO_FILE...    # print every problem of these catalogs
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
MATH = re.compile(r"(?<![\\$])\$(?!\$)((?:\\.|[^$\\])+?)\$")
CODE = re.compile(r"(``?)(.+?)\1")
EXPLICIT_TARGET = re.compile(r"<([^<>]+)>\s*$")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def markup(text: str) -> Counter:
    """What a translation must keep: roles with their targets, link targets, inline maths, code."""
    found: Counter = Counter()
    rest = text
    for role, content in ROLE.findall(text):
        target = EXPLICIT_TARGET.search(content)
        found[("role", role, target.group(1) if target else content)] += 1
    rest = ROLE.sub(" ", rest)
    for target in LINK.findall(rest):
        found[("link", target)] += 1
    for formula in MATH.findall(rest):
        found[("math", formula.strip())] += 1
    rest = MATH.sub(" ", rest)
    for _, code in CODE.findall(rest):
        found[("code", code)] += 1
    return found


def problems(path: Path) -> list[str]:
    """Every untranslated or fuzzy message of the catalog, and every translation that does not keep
    its original's markup."""
    found = []
    for message in read_catalog(path):
        if not message.id:
            continue   # the header
        original = message.id if isinstance(message.id, str) else message.id[0]
        shown = original if len(original) < 70 else original[:67] + "..."
        translation = message.string if isinstance(message.string, str) else message.string[0]
        if not translation:
            found.append(f"{path}: untranslated: {shown!r}")
            continue
        if message.fuzzy:
            found.append(f"{path}: fuzzy: {shown!r}")
        want, got = markup(original), markup(translation)
        if want != got:
            missing = sorted((want - got).elements())
            extra = sorted((got - want).elements())
            found.append(f"{path}: markup differs in {shown!r}: missing {missing}, extra {extra}")
    return found


if __name__ == "__main__":
    reports = [line for name in sys.argv[1:] for line in problems(Path(name))]
    print("\n".join(reports) or "no problems")
    sys.exit(1 if reports else 0)
