#!/usr/bin/env python3
"""Update every translation's catalogs from the English sources (`make catalogs`).

    python scripts/update-catalogs.py [--pot-only OUTPUT]

1. Sphinx's gettext builder extracts every message of the book (titles, paragraphs, list items,
   table cells, captions, exercise and admonition titles; not code, not formulas: see
   _ext/editions.py) into one template per page, `<output>/<page>.pot`. The notebooks are not
   executed for this: their outputs are w2vlib's, which has its own catalogue (w2vlib/messages.py).
2. The words of the site's and the PDF's own extensions (`_("...")` in _ext/*.py, latex/*.py) and
   templates join `sphinx.pot`.
3. sphinx-intl updates `locales/<code>/LC_MESSAGES/<page>.po` for every edition `<code>`: new
   messages arrive untranslated, changed ones fuzzy (with the old translation to start from),
   removed ones are dropped (--no-obsolete: git remembers old translations).

tests/test_catalogs.py runs step 1-2 (`--pot-only`) and fails when a catalog is stale, or has an
untranslated or fuzzy message: changing English prose means updating its translations too.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition_config import ENGLISH, editions, write_edition_config  # noqa: E402

BOOK_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WIDTH = 76   # sphinx-intl's line width: both write the same layout


def extract_templates(output: Path) -> Path:
    """Run Sphinx's gettext builder; return the folder of the .pot files."""
    config = write_edition_config(BOOK_ROOT, ENGLISH, output,
                                  {"execute": {"execute_notebooks": "off"}})
    subprocess.run([str(BIN / "jupyter-book"), "build", str(BOOK_ROOT), "--config", str(config),
                    "--path-output", str(output), "--builder", "custom", "--custom-builder", "gettext",
                    "-W", "-n", "--keep-going", "--quiet"],
                   check=True, env={**os.environ, "W2VLIB_STATIC": "1"})
    return output / "_build" / "gettext"


def add_extension_messages(pot_dir: Path) -> None:
    """Add the `_("...")` messages of _ext/*.py to sphinx.pot (the 'sphinx' domain, which Sphinx
    also translates from the book's own catalogs)."""
    path = pot_dir / "sphinx.pot"
    if path.is_file():
        with path.open("rb") as file:
            catalog = read_po(file)
    else:
        catalog = Catalog(project="", header_comment="")
    for source in sorted([*(BOOK_ROOT / "_ext").glob("*.py"), *(BOOK_ROOT / "latex").glob("*.py")]):
        for _, message, _, _ in extract_from_file("python", str(source), keywords={"_": None}):
            catalog.add(message)
    with path.open("wb") as file:
        write_po(file, catalog, width=WIDTH, omit_header=False, no_location=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pot-only", type=Path, metavar="OUTPUT",
                        help="only write the templates, into OUTPUT/_build/gettext")
    args = parser.parse_args()
    output = (args.pot_only or BOOK_ROOT / "_build" / "i18n").resolve()
    pot_dir = output / "_build" / "gettext"
    if pot_dir.exists():
        shutil.rmtree(pot_dir)   # no template of a page that is gone
    pot_dir = extract_templates(output)
    add_extension_messages(pot_dir)
    if args.pot_only:
        return
    for code in editions(BOOK_ROOT):
        if code == ENGLISH:
            continue
        subprocess.run([str(BIN / "sphinx-intl"), "update", "--pot-dir", str(pot_dir),
                        "--locale-dir", str(BOOK_ROOT / "locales"), "--language", code,
                        "--line-width", str(WIDTH), "--no-obsolete", "--jobs", "1"], check=True)
        # A page that is gone takes its catalog with it.
        for po in (BOOK_ROOT / "locales" / code / "LC_MESSAGES").rglob("*.po"):
            pot = pot_dir / po.relative_to(BOOK_ROOT / "locales" / code / "LC_MESSAGES").with_suffix(".pot")
            if not pot.is_file():
                po.unlink()
                print(f"removed {po.relative_to(BOOK_ROOT)}: its page is gone")


if __name__ == "__main__":
    main()
