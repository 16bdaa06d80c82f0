"""One Japanese face for the whole site, served by the site itself (HTML builder only).

The theme's font stack (system-ui, sans-serif, ...) names no Japanese font, so a browser picks one
per character from whatever the system has: on a Debian desktop 単語 came out in one face and
ベクトル in another, and in some places a serif one. _static/site.css puts the family
"W2V Japanese" first in every stack, limited by `unicode-range` to Japanese and a few symbols, so
Latin text keeps the theme's fonts and every Japanese character comes from this one file.

The file is IPAexGothic from the Debian package fonts-ipaexfont-gothic (the PDF uses the same
family, see latex/w2vbook.sty), cut down when the build finishes to the characters that the built
pages contain (a few hundred glyphs, tens of kB instead of 4 MB), as WOFF (zlib, no brotli needed).
"""
from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

SOURCE = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
OUTPUT = Path("_static") / "fonts" / "w2v-japanese.woff"   # named in _static/site.css
# Must match the unicode-range of the @font-face rule in _static/site.css.
RANGES = [(0x2460, 0x24FF), (0x2776, 0x2793), (0x3000, 0x303F), (0x3040, 0x30FF),
          (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)]
_PATTERN = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in RANGES) + "]")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def japanese_characters(html_dir: Path, skip: tuple[str, ...] = ()) -> set[str]:
    """Every character in RANGES that some built page (or search index) contains, leaving out the
    top-level folders ``skip`` (the other editions, which have a font of their own)."""
    found: set[str] = set()
    for path in list(html_dir.rglob("*.html")) + list(html_dir.glob("searchindex.js")):
        if path.relative_to(html_dir).parts[0] in skip:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(_PATTERN.findall(text))
        # The widget panels' text is in the page as JSON, which writes it as \u escapes.
        found.update(_PATTERN.findall("".join(chr(int(code, 16)) for code in _ESCAPE.findall(text))))
    return found


def subset_font(source: Path, characters: set[str], output: Path) -> int:
    """Write the glyphs of ``characters`` (and the font's own .notdef) as WOFF; returns its size."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]          # keep vertical/proportional forms the font has
    options.name_IDs = ["*"]                 # keep the family name and the licence notice
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters)))
    subsetter.subset(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(output), options)
    return output.stat().st_size


def write_japanese_font(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if not SOURCE.is_file():
        raise RuntimeError(f"{SOURCE} is missing: the site's Japanese font comes from it. Install it "
                           "with `apt-get install fonts-ipaexfont-gothic` (scripts/system-deps.sh pdf)")
    outdir = Path(app.outdir)
    # The other editions' folders, copied into this site after their own build, are not this
    # edition's pages (and are not there yet in a clean build).
    editions = getattr(app.config, "w2v_editions", {}) or {}
    skip = tuple(value["folder"].strip("/").split("/")[0] for value in editions.values()
                 if value.get("folder", "").strip("/"))
    characters = japanese_characters(outdir, skip)
    size = subset_font(SOURCE, characters, outdir / OUTPUT)
    logger.info(f"site_fonts: {OUTPUT} holds {len(characters)} characters ({size / 1024:.0f} kB)")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", write_japanese_font)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
