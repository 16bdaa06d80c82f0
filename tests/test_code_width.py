"""No line of a code cell is wider than its box: on the site (Chromium) and in the PDF.

On the site a code box scrolls sideways, so a long line looks cut ("# four signific"); in the PDF
Sphinx wraps it and marks the continuation with "↪". The chapters keep code lines to 88
characters; these tests check the result as a reader sees it, page by page, and name the lines
that do not fit.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from site_support import notebook_pages, offline_context, serve, wait_until_ready

pytestmark = pytest.mark.book

# Every line of every code box (cell source and printed output) whose text is wider than the
# box's inner width. A box scrolls when something in it is too wide (scrollWidth > clientWidth);
# then each of its lines is measured in a temporary span with the box's font.
OVERFLOWING_LINES_JS = """
() => {
  const found = [];
  for (const pre of document.querySelectorAll("div.cell_input pre, div.cell_output pre")) {
    if (pre.scrollWidth <= pre.clientWidth + 1) continue;
    const style = getComputedStyle(pre);
    const inner = pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const line of pre.textContent.split("\\n")) {
      const probe = document.createElement("span");
      probe.style.whiteSpace = "pre";
      probe.textContent = line;
      pre.appendChild(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      if (width > inner + 1) found.push({
        where: pre.closest("div.cell_input") ? "code" : "output",
        width: Math.round(width), box: Math.round(inner), line: line});
    }
  }
  return found;
}
"""


def test_no_code_line_is_wider_than_its_box_on_the_site(html_dir, browser):
    chapters = notebook_pages(html_dir)
    assert chapters, "no chapter pages in the build"
    too_wide = {}
    with serve(html_dir) as url:
        # The browser tests' desktop window (tests/test_site.py).
        context = offline_context(browser, url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for name in chapters:
            page.goto(urljoin(url, name))
            wait_until_ready(page)
            page.evaluate("document.fonts.ready.then(() => true)")
            boxes = page.locator("div.cell_input pre").count()
            assert boxes > 0, f"{name}: no code cells found (has the page's markup changed?)"
            lines = page.evaluate(OVERFLOWING_LINES_JS)
            if lines:
                too_wide[name] = [f"{l['where']} {l['width']} px > {l['box']} px: {l['line']!r}"
                                  for l in lines]
        context.close()
    assert not too_wide, "code lines wider than their box:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(lines) for name, lines in too_wide.items())


def _chapters_in_pdf_order(repo_root: Path) -> list[str]:
    toc = yaml.safe_load((repo_root / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_no_code_line_is_wrapped_in_the_pdf(build_dir, repo_root):
    """Sphinx wraps a code line too long for the page and starts the rest with "↪"."""
    pdf = build_dir / "latex" / "book.pdf"
    assert pdf.is_file(), f"{pdf} does not exist: build it with `make pdf`"
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is not installed: run `scripts/system-deps.sh pdf`"
    pages = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    assert any("↪" not in p and p.strip() for p in pages), "pdftotext read no text"
    # Name the chapter of each wrapped line: the last page that opened a chapter (its first lines
    # hold the chapter's title) before the line's page.
    def squash(text: str) -> str:
        return re.sub(r"\s+", "", text).replace("`", "").upper()

    # (Not the root page's title: it is the book's title, in the running head of every page.)
    root, *stems = _chapters_in_pdf_order(repo_root)
    titles = {}
    for stem in stems:
        for line in (repo_root / f"{stem}.md").read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                titles[stem] = squash(line[2:])
                break
    wrapped, chapter = [], root
    for page in pages:
        top = squash("".join(page.strip().splitlines()[:6]))
        chapter = next((stem for stem, title in titles.items() if title and title in top), chapter)
        for match in re.finditer(r"^.*\n\s*↪.*$", page, re.M):
            wrapped.append(f"{chapter}: {' '.join(match.group(0).split())}")
    assert not wrapped, f"{len(wrapped)} code lines wrapped in the PDF:\n" + "\n".join(wrapped)
