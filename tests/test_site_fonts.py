"""Japanese text on the site comes from one face, served by the site (_ext/site_fonts.py,
_static/site.css).

Without a Japanese font of its own the browser took each character from whatever system font had
it: in the glossary 単語 came from IPAexGothic and ベクトル from a Chinese Kai font. Chromium tells
which font drew the glyphs of an element (DevTools' CSS.getPlatformFontsForNode).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from site_support import edition_folders, offline_context, serve, site_pages, wait_until_ready

pytestmark = pytest.mark.book

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from site_fonts import OUTPUT, RANGES, japanese_characters  # noqa: E402

JAPANESE = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in RANGES) + "]")

# Mark every drawn element that has Japanese in text nodes of its own, and none in its children,
# with the number of those characters (what the browser draws for that element itself); return
# how many were marked.
MARK_JS = r"""
(pattern) => {
  const re = new RegExp(pattern, "g");
  let n = 0;
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("script, style, mjx-container")) continue;
    // Only what is drawn: a hidden menu's words (the narrow-screen contents, "back to top") have
    // no glyphs to check.
    if (!el.getClientRects().length || getComputedStyle(el).visibility !== "visible") continue;
    const own = [...el.childNodes].filter(c => c.nodeType === 3).map(c => c.data).join("");
    const count = (own.match(re) || []).length;
    // Chromium counts the glyphs of inline children with their parent's: check an element whose
    // Japanese is all its own (its children with Japanese are checked themselves).
    const all = (el.textContent.match(re) || []).length;
    if (count && count === all) { el.setAttribute("data-w2v-jp", String(count)); n++; }
  }
  return n;
}
"""


@pytest.mark.parametrize("code", sorted(edition_folders()))
def test_font_file_holds_every_japanese_character_of_the_site(html_dir, code):
    """Each edition's font (at its own root) holds every Japanese character of its pages."""
    from fontTools.ttLib import TTFont

    folders = edition_folders()
    root = html_dir / folders[code]
    font_file = root / OUTPUT
    assert font_file.is_file(), f"{font_file} is missing: _ext/site_fonts.py writes it"
    size = font_file.stat().st_size
    assert size < 400_000, f"the Japanese web font is {size / 1024:.0f} kB: is it still a subset?"
    cmap = set(chr(c) for c in TTFont(str(font_file)).getBestCmap())
    others = tuple(folder for other, folder in folders.items() if folder and other != code)
    used = japanese_characters(root, others)
    assert len(used) >= 50, f"only {len(used)} Japanese characters on the site?"
    assert not used - cmap, f"characters on the site missing from the font: {sorted(used - cmap)}"



def test_characters_of_widget_panels_count_too(tmp_path):
    """A static widget panel's text is in its page as JSON, escaped (静 is "\\u9759"): the
    subset must hold it as well as the page's plain text."""
    (tmp_path / "page.html").write_text(
        '<p>勾配</p><script type="application/vnd.jupyter.widget-state+json">'
        '{"value": "<b>\\u3053\\u308c\\u306f\\u9759\\u7684</b> \\u0041"}</script>',
        encoding="utf-8")
    assert japanese_characters(tmp_path) == set("勾配これは静的")

def test_japanese_text_is_drawn_in_one_face_from_the_site(html_dir, browser):
    """Every element with Japanese text draws all its Japanese glyphs with the site's own
    IPAexGothic (a custom font: downloaded from the site, not a system font)."""
    pages = [p for p in site_pages(html_dir)
             if JAPANESE.search((html_dir / p).read_text(encoding="utf-8"))]
    assert "chapters/glossary.html" in pages
    problems, checked = [], {}
    with serve(html_dir) as url:
        context = offline_context(browser, url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        font_requests = []
        page.on("requestfinished", lambda r: font_requests.append(r.url) if OUTPUT.name in r.url else None)
        cdp = context.new_cdp_session(page)
        for name in pages:
            page.goto(urljoin(url, name))
            wait_until_ready(page)
            page.evaluate("document.fonts.ready.then(() => true)")
            marked = page.evaluate(MARK_JS, JAPANESE.pattern)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
            node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-w2v-jp]"})["nodeIds"]
            assert len(node_ids) == marked
            checked[name] = marked
            for node_id in node_ids:
                attributes = cdp.send("DOM.getAttributes", {"nodeId": node_id})["attributes"]
                count = int(dict(zip(attributes[::2], attributes[1::2]))["data-w2v-jp"])
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
                # The site's face has only Japanese glyphs (unicode-range), and must draw them all;
                # Latin text beside them keeps the theme's fonts.
                drawn = sum(f["glyphCount"] for f in fonts
                            if f["familyName"] == "IPAexGothic" and f["isCustomFont"])
                if drawn != count:
                    text = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
                    problems.append(f"{name}: {re.sub(r'<[^>]+>', '', text)[:60]!r}: {count} Japanese "
                                    f"characters, {drawn} drawn by the site's font; fonts: {fonts}")
        context.close()
    # (A page may hold Japanese only where nothing is drawn, e.g. in a search index or alt text.)
    assert checked.get("chapters/glossary.html", 0) >= 10, checked
    assert font_requests, "the page never loaded the site's Japanese font"
    assert all(u.startswith(url) for u in font_requests)
    assert not problems, "Japanese glyphs drawn from other fonts:\n" + "\n".join(problems)
