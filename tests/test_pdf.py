"""Tests of the PDF book (`make pdf` -> <build>/latex/book.pdf), read back with poppler's tools.

Everything expected is derived from the sources (_toc.yml, the chapter files, the glossary, the
website build): nothing here is typed in from the PDF. A missing PDF or a missing poppler tool is
a failure, never a skip: `make test` builds the PDF before it runs these.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_chapters import toc_entries, toc_pages

pytestmark = pytest.mark.book


# --- helpers -------------------------------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (poppler-utils) is not installed: run `scripts/system-deps.sh pdf`")
    return path


def _squash(text: str) -> str:
    """Text without any whitespace: line and cell wrapping in the PDF does not matter then."""
    return re.sub(r"\s+", "", text)


def _toc_pages(repo_root: Path) -> list[tuple[str, bool]]:
    """(file stem path, numbered?) for every page in _toc.yml's parts (all but the root), in order."""
    return toc_pages(repo_root)[1:]


def _title(source: Path) -> str:
    """The page's title: its first level-1 heading (the front matter and label come first)."""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{source} has no '# ' title")


def _plain(markup: str) -> str:
    """A MyST title as the PDF prints it: no backticks, no $...$ delimiters."""
    return markup.replace("`", "").replace("$", "")


# --- fixtures ------------------------------------------------------------------------------

# Every edition has its PDF (`make pdf`): English in <build>/latex, each translation in
# <build>/<code>/_build/latex. Tests that read words of the English text run on the English PDF
# only (@english_only); the others on every edition's, and test_translated_* on the translations'.
EDITIONS = ["en"] + sorted(p.parent.name for p in
                           (Path(__file__).resolve().parent.parent / "locales").glob("*/config.yml"))
english_only = pytest.mark.parametrize("edition", ["en"], indirect=True)
translations_only = pytest.mark.parametrize("edition", EDITIONS[1:], indirect=True)


@pytest.fixture(scope="session", params=EDITIONS)
def edition(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def latex_dir(build_dir: Path, edition: str) -> Path:
    return build_dir / "latex" if edition == "en" else build_dir / edition / "_build" / "latex"


@pytest.fixture(scope="session")
def edition_html_dir(build_dir: Path, edition: str) -> Path:
    """The edition's website (the PDF's equation numbers must be the site's)."""
    return build_dir / "html" if edition == "en" else build_dir / "html" / edition


@pytest.fixture(scope="session")
def pdf_path(latex_dir: Path) -> Path:
    pdf = latex_dir / "book.pdf"
    if not pdf.is_file():
        pytest.fail(f"{pdf} does not exist: build it with `make pdf`")
    return pdf


@pytest.fixture(scope="session")
def pdf_pages(pdf_path: Path) -> list[str]:
    """The text of every page, in reading order (pdftotext's default, not -layout)."""
    out = subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", str(pdf_path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


@pytest.fixture(scope="session")
def pdf_text(pdf_pages: list[str]) -> str:
    return "\n".join(pdf_pages)


@pytest.fixture(scope="session")
def pdf_layout_text(pdf_path: Path) -> str:
    return subprocess.run([_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf_path), "-"],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def contents_text(pdf_layout_text: str) -> str:
    """The table of contents: its first page (headed "Contents") and the front matter after it."""
    pages = pdf_layout_text.split("\f")[:12]
    start = next((k for k, p in enumerate(pages)   # "目次" in the Japanese edition
                  if re.search(r"^\s*(contents|目次)\s*$", p, re.M | re.I)), None)
    assert start is not None, "the PDF has no table of contents"
    # The contents run on over the front matter's pages (numbered i, ii, iii, ...); the last of
    # them may hold only unnumbered entries, without dot leaders.
    contents = [pages[start]]
    for page in pages[start + 1:]:
        lines = page.split()
        if not lines or not re.fullmatch(r"[ivx]+", lines[-1]):
            break
        contents.append(page)
    return "\n".join(contents)


@pytest.fixture(scope="session")
def book_tex(latex_dir: Path) -> str:
    return (latex_dir / "book.tex").read_text(encoding="utf-8")


# --- tests ---------------------------------------------------------------------------------

@english_only
def test_every_page_title_is_in_the_contents_with_a_page_number(repo_root, contents_text):
    for stem, numbered in _toc_pages(repo_root):
        title = _plain(_title(repo_root / f"{stem}.md"))
        pattern = r"\s+".join(map(re.escape, title.split()))
        number = r"\d+\s+" if numbered else ""
        assert re.search(rf"^\s*{number}{pattern}[\s.]*\d+\s*$", contents_text, re.M | re.I), (
            f"contents lack '{title}' ({'numbered' if numbered else 'unnumbered'}) with a page number")


@english_only
def test_every_chapter_starts_a_page(repo_root, pdf_pages):
    # Sphinx's chapter opening: a page whose first lines are "CHAPTER", the number in words,
    # and the title in capitals (unnumbered pages just the title).
    tops = [_squash("".join(page.strip().splitlines()[:6])).upper() for page in pdf_pages]
    for stem, _ in _toc_pages(repo_root):
        title = _squash(_plain(_title(repo_root / f"{stem}.md"))).upper()
        assert any(title in top for top in tops), f"no page opens with chapter '{title}'"


def test_equation_numbers_match_the_website(edition_html_dir, latex_dir, pdf_text):
    """Every labelled equation has the same number in the PDF (LaTeX's .aux) as on the site."""
    aux = (latex_dir / "book.aux").read_text(encoding="utf-8")
    def html_id(label: str) -> str:  # docutils' ids: lower case, other characters -> "-"
        return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")

    pdf_numbers = {(doc, html_id(label)): number for doc, label, number in
                   re.findall(r"\\newlabel\{equation:([^:]+):([^}]+)\}\{\{([^}]*)\}", aux)}
    site_numbers = {}
    for doc in {doc for doc, _ in pdf_numbers}:
        page = (edition_html_dir / f"{doc}.html").read_text(encoding="utf-8")
        for number, anchor in re.findall(
                r'<span class="eqno">\(([^)]*)\)<a class="headerlink" href="#equation-([^"]+)"', page):
            site_numbers[(doc, html_id(anchor))] = number
    assert pdf_numbers, "the PDF has no labelled equations"
    assert pdf_numbers == site_numbers
    squashed = _squash(pdf_text)
    for number in pdf_numbers.values():
        assert f"({number})" in squashed, f"equation number ({number}) is not printed"


@english_only
def test_reference_pages_are_unnumbered_as_on_the_website(repo_root, contents_text):
    # Chapter numbers: numbered parts count 1, 2, ... in order, as the website numbers them.
    chapter_number = 0
    for stem, numbered in _toc_pages(repo_root):
        title = _plain(_title(repo_root / f"{stem}.md"))
        pattern = r"\s+".join(map(re.escape, title.split()))
        if numbered:
            chapter_number += 1
            assert re.search(rf"^\s*{chapter_number}\s+{pattern}", contents_text, re.M), title
        else:
            assert not re.search(rf"^\s*\d+\s+{pattern}\s", contents_text, re.M), (
                f"'{title}' is numbered in the PDF but not on the website")


def test_key_formulas_are_typeset(repo_root, pdf_text):
    """The course's central results, as unicode-math's italic letters come out of pdftotext."""
    squashed = _squash(pdf_text)
    formulas = {
        "dL/dW = X^T dL/dY (formula 3-2)": "𝜕𝐿/𝜕𝑊=𝑋⊤𝜕𝐿/𝜕𝑌",
        "dL/dX = dL/dY W^T (formula 3-4)": "𝜕𝐿/𝜕𝑋=𝜕𝐿/𝜕𝑌𝑊⊤",
        "softmax with loss: y - t": "𝑦−𝑡",
        "W_in (\\mathrm subscript)": "𝑊in",
        "W_out (\\mathrm subscript)": "𝑊out",
    }
    for name, text in formulas.items():
        assert text in squashed, f"{name} not found in the PDF text"
    # Matrices: each pmatrix in the sources is drawn with tall parentheses.
    sources = "".join((repo_root / f"{stem}.md").read_text(encoding="utf-8")
                      for stem, _ in _toc_pages(repo_root))
    if r"\begin{pmatrix}" in sources:
        assert "⎛" in pdf_text and "⎞" in pdf_text
    if r"\begin{bmatrix}" in sources:
        assert "⎡" in pdf_text and "⎤" in pdf_text
    assert r"\frac" not in pdf_text and r"\begin{" not in pdf_text, "raw TeX reached the PDF"


def test_no_unresolved_references(latex_dir, pdf_text):
    assert "??" not in pdf_text
    log = (latex_dir / "book.log").read_text(encoding="utf-8", errors="replace")
    assert not re.search(r"LaTeX Warning: (Reference|Citation) .* undefined", log)
    assert "There were undefined references" not in log


def test_no_widget_reprs(pdf_text):
    import ipywidgets

    names = sorted(name for name, obj in vars(ipywidgets).items()
                   if isinstance(obj, type) and issubclass(obj, ipywidgets.Widget))
    assert "IntSlider" in names and "VBox" in names
    # A repr reads "IntSlider(value=3, ...)", "VBox(children=(...))" or "Output()".
    found = re.findall(rf"\b({'|'.join(names)})\((?:\)|\w+=)", pdf_text)
    assert not found, f"widget reprs in the PDF: {sorted(set(found))}"
    assert "model_id" not in pdf_text


@english_only
def test_widget_panels_print_their_png_fallback(build_dir, repo_root, book_tex):
    """Every image/png a page's cells display (plots and widget fallbacks) is in the LaTeX."""
    pngs = 0
    for stem, _ in _toc_pages(repo_root) + [("intro", False)]:
        notebook = build_dir / "jupyter_execute" / f"{stem}.ipynb"
        if not notebook.exists():
            continue
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                pngs += "image/png" in output.get("data", {})
    includes = len(re.findall(r"\\sphinxincludegraphics", book_tex))
    assert pngs > 0
    assert includes >= pngs, f"{pngs} PNG outputs in the notebooks, {includes} in the LaTeX"


def test_japanese_glossary_terms_survive(repo_root, pdf_text, pdf_path):
    glossary = (repo_root / "chapters" / "glossary.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\* - (.+)\n  - (.+)\n", glossary, re.M)
    terms = [japanese for english, japanese in rows[1:]]  # row 0 is the header
    japanese = [t for t in terms if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t)]
    assert len(japanese) >= 10, f"only {len(japanese)} Japanese terms found in the glossary"
    # A term that wraps in its table cell comes out interleaved with the English cell beside it,
    # and pdftotext drops a hyphen at a line end: look for the term's characters in order, each
    # within a short distance of the previous one. A missing glyph (an empty box) breaks that.
    squashed = _squash(pdf_text).replace("-", "")

    def present(term: str) -> bool:
        chars = _squash(term).replace("-", "")
        return re.search(".{0,40}?".join(map(re.escape, chars)), squashed) is not None

    missing = [t for t in japanese if not present(t)]
    assert not missing, f"Japanese terms lost in the PDF: {missing}"
    fonts = subprocess.run([_tool("pdffonts"), str(pdf_path)], check=True,
                           capture_output=True, text=True).stdout
    assert "IPAex" in fonts, "no Japanese (IPAex) font embedded"


@english_only
def test_exercise_solutions_are_marked(repo_root, pdf_text):
    sources = [(repo_root / f"{stem}.md").read_text(encoding="utf-8")
               for stem, _ in _toc_pages(repo_root)]
    # sphinx-exercise's {solution} and gated {solution-start} ... {solution-end}
    solutions = sum(len(re.findall(r"^(?:```+|:::+)\{solution(?:-start)?\}", s, re.M))
                    for s in sources)
    assert len(re.findall(r"Solution to Exercise \d+\.\d+", pdf_text)) == solutions


def test_page_count_is_sane(repo_root, pdf_pages):
    pages = _toc_pages(repo_root)
    # At least two pages a chapter (each opens a new page); a course this size is not 500.
    assert 2 * len(pages) <= len(pdf_pages) <= 500, len(pdf_pages)


def test_figures_are_in_the_pdf_at_a_readable_size(pdf_path, book_tex):
    listing = subprocess.run([_tool("pdfimages"), "-list", str(pdf_path)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    images = [line.split() for line in listing if line.split()[2] == "image"]
    assert len(images) >= len(re.findall(r"\\sphinxincludegraphics", book_tex)) > 0
    for row in images:
        page, width, x_ppi = int(row[0]), int(row[3]), float(row[12])
        # Printed width in inches: a plot narrower than 2.5 in is too small to read.
        assert width / x_ppi >= 2.5, f"image on page {page} is only {width / x_ppi:.1f} in wide"


@english_only
def test_site_links_the_pdf(build_dir, repo_root, pdf_path):
    """`make pdf`/`make book` copy the PDF to the site root, where the download menu points."""
    copy = build_dir / "html" / "book.pdf"
    assert copy.is_file(), f"{copy} is missing: `make pdf` copies it there"
    assert copy.read_bytes() == pdf_path.read_bytes(), "the site's book.pdf is out of date"
    root = toc_entries(repo_root)[0]
    page = (build_dir / "html" / f"{root}.html").read_text(encoding="utf-8")
    assert re.search(r'href="(\./)?book\.pdf"', html.unescape(page)), "the site does not link book.pdf"


@english_only
def test_title_page_is_dated_by_the_last_commit_not_the_build(repo_root, pdf_pages):
    """The Makefile sets SOURCE_DATE_EPOCH to the last commit's time: rebuilding the same commit
    another day gives the same PDF."""
    import datetime

    git = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=repo_root, capture_output=True, text=True)
    assert git.returncode == 0, f"not a git checkout? {git.stderr.strip()}"
    committed = datetime.datetime.fromtimestamp(int(git.stdout), tz=datetime.timezone.utc)
    expected = committed.strftime("%b %d, %Y")  # Sphinx's default today_fmt, in English
    assert expected in pdf_pages[0], f"title page: expected the date {expected!r}:\n{pdf_pages[0][:300]}"


@english_only
def test_chapter_titles_keep_their_case(repo_root, pdf_pages):
    """fncychap's default style capitalised chapter titles ("W_in" came out as "W_IN"): each
    chapter's opening page shows its title as written."""
    tops = [_squash("".join(page.strip().splitlines()[:6])) for page in pdf_pages]
    for stem, _ in _toc_pages(repo_root):
        title = _squash(_plain(_title(repo_root / f"{stem}.md")))
        assert any(title in top for top in tops), f"no page opens with '{title}' as written"


def test_no_missing_glyphs(latex_dir):
    """xelatex drops a character its font lacks ("There is no ❷ (U+2777) in font ...")."""
    log = (latex_dir / "book.log").read_text(encoding="utf-8", errors="replace")
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    assert not missing, f"characters missing from their font: {missing}"


@english_only
def test_bibliography_is_on_the_references_page(book_tex, pdf_pages):
    """The bibliography sits under the References heading, not in a chapter of its own after an
    empty References page and a blank page."""
    labels = re.findall(r"\\bibitem\[([^\]]+)\]", book_tex)
    assert labels, "the LaTeX has no bibliography"
    heading = [i for i, page in enumerate(pdf_pages)
               if page.strip().splitlines() and page.strip().splitlines()[0].strip() == "References"]
    assert heading, "no page opens with the References heading"
    first = pdf_pages[heading[-1]]
    assert f"[{labels[0]}]" in first, f"the References page does not start the bibliography:\n{first[:300]}"
    # No heading or running head "Bibliography" anywhere (the word may occur in running text).
    assert not any(re.search(r"^\s*(Bibliography|BIBLIOGRAPHY)\s*$", page, re.M) for page in pdf_pages)


@english_only
def test_table_headers_are_not_hyphenated(book_tex, pdf_text):
    """Every word of a table's header row comes out whole ("Symbol", not "Sym-" / "bol")."""
    words = set()
    for cell in re.findall(r"\\sphinxstyletheadfamily\s*(?:\\sphinxAtStartPar\s*)?(.*?)\s*(?:&|\\\\)",
                           book_tex, re.S):
        words.update(w for w in re.findall(r"[A-Za-z]{4,}", cell)
                     if w not in {"sphinxstyleliteralintitle", "sphinxupquote", "sphinxAtStartPar"})
    assert "Symbol" in words, f"header words found: {sorted(words)[:20]}"
    broken = [w for w in sorted(words) for k in range(2, len(w) - 1)
              if re.search(re.escape(w[:k]) + r"-\s*\n\s*" + re.escape(w[k:]), pdf_text)]
    assert not broken, f"hyphenated header words: {broken}"


def _chapter_blocks(book_tex: str) -> list[str]:
    return re.split(r"\\chapter\{", book_tex)[1:]


@english_only
def test_solutions_come_after_every_exercise_of_their_chapter(book_tex, pdf_text):
    """In the PDF the solutions are gathered at the end of each chapter, under "Solutions", so a
    learner does not read an answer right under its exercise (the website keeps dropdowns)."""
    solutions_seen = 0
    for block in _chapter_blocks(book_tex):
        exercises = [m.start() for m in re.finditer(r"\\label\{exercise:[^}]+\}", block)]
        solutions = [m.start() for m in re.finditer(r"\{Solution to Exercise", block)]
        if not solutions:
            continue
        solutions_seen += len(solutions)
        title = block.split("}", 1)[0]
        heading = block.find(r"\section{Solutions}")
        assert heading > max(exercises), f"{title}: no Solutions section after the exercises"
        assert min(solutions) > heading, f"{title}: a solution comes before the Solutions section"
    assert solutions_seen == len(re.findall(r"Solution to Exercise \d+\.\d+", pdf_text)) > 0


@english_only
def test_exercises_and_solutions_link_to_each_other(book_tex, latex_dir, pdf_text):
    """Each exercise ends with a link to its solution and each solution with one back, both
    naming a page; LaTeX resolved every one of them (they are in the .aux)."""
    aux = (latex_dir / "book.aux").read_text(encoding="utf-8")
    links = re.findall(r"\\hyperref\[([^\]]+)\]\{(Solution|Back to the exercise), page~\\pageref\*\{\1\}\}",
                       book_tex)
    to_solutions = {t for t, kind in links if kind == "Solution"}
    to_exercises = {t for t, kind in links if kind != "Solution"}
    n_solutions = len(re.findall(r"Solution to Exercise \d+\.\d+", pdf_text))
    assert len(to_solutions) == len(to_exercises) == n_solutions > 0
    for target in to_solutions | to_exercises:
        assert f"\\newlabel{{{target}}}" in aux, f"link target {target} is not defined"
    squashed = _squash(pdf_text)
    assert len(re.findall(r"Solution,page\d+", squashed)) == n_solutions
    assert len(re.findall(r"Backtotheexercise,page\d+", squashed)) == n_solutions


def test_no_text_runs_into_the_footer(pdf_path):
    """A code box that does not break at the page's end runs over the footer (seen inside a
    solution box with 8.5 pt code): no word may sit on or just above the footer line except the
    footer itself (pdftotext -bbox: the lowest line of a page is its footer)."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf_path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = out.split("<page ")[1:]
    assert pages, "pdftotext -bbox read no pages"
    word = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
    crowded = []
    for number, page in enumerate(pages, 1):
        words = [(float(top), float(bottom), text) for top, bottom, text in word.findall(page)]
        if not words:
            continue
        lowest = max(bottom for _, bottom, _ in words)
        footer = [w for w in words if w[1] > lowest - 3]
        footer_top = min(top for top, _, _ in footer)
        above = [text for top, bottom, text in words if bottom > footer_top - 2 and (top, bottom, text) not in footer]
        if above:
            crowded.append(f"page {number}: {' '.join(above)[:80]!r} touches the footer")
    assert not crowded, "\n".join(crowded)



def test_no_text_runs_past_the_right_margin(pdf_path):
    """A table whose columns do not wrap runs off the page (the Japanese notation tables did, as
    longtables without widths): no word may end right of the text block, whose right edge is
    where the footers' right-aligned page numbers end (pdftotext -bbox). A line may end up to
    an em further: pdftotext gives a line-ending "、" or "。" its full width, half of which the
    line does not take up."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf_path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages = out.split("<page ")[1:]
    assert pages, "pdftotext -bbox read no pages"
    word = re.compile(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    words = [[(float(right), float(bottom), text) for right, bottom, text in word.findall(page)]
             for page in pages]
    footers = [[w for w in page if w[1] > max(b for _, b, _ in page) - 3] for page in words if page]
    edge = max(right for footer in footers for right, _, _ in footer)
    beyond = [f"page {number}: {text!r} ends at {right:.0f} pt, the text block at {edge:.0f} pt"
              for number, page in enumerate(words, 1) for right, _, text in page if right > edge + 12]
    assert not beyond, "\n".join(beyond[:20])

# --- the translations' PDFs ----------------------------------------------------------------

def _site_title(html_dir: Path, stem: str) -> str:
    """A page's title as its edition's website shows it (its <title>, without the site's name)."""
    page = (html_dir / f"{stem}.html").read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    return re.sub(r"^\d+\.\s+", "", title.rsplit(" \u2014 ", 1)[0].strip())   # "1. " is the number


@translations_only
def test_translated_titles_are_in_the_contents(repo_root, edition_html_dir, contents_text):
    """Each page's translated title (from the edition's website) is in the PDF's contents, with
    its chapter number where the website numbers it."""
    squashed = _squash(contents_text)
    chapter_number = 0
    for stem, numbered in _toc_pages(repo_root):
        title = _squash(_plain(_site_title(edition_html_dir, stem)))
        english = _squash(_plain(_title(repo_root / f"{stem}.md")))
        assert title and (title != english or stem.endswith("references")), (
            f"{stem}: the title is not translated on the site ({title!r})")
        chapter_number += numbered
        prefix = str(chapter_number) if numbered else ""
        assert prefix + title in squashed, f"contents lack {prefix} {title!r}"


@translations_only
def test_translated_pdf_is_in_its_language(pdf_text):
    """Most of the prose is Japanese: more kana and kanji than Latin letters outside code."""
    japanese = len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", pdf_text))
    latin = len(re.findall(r"[A-Za-z]", pdf_text))
    assert japanese > 20_000, f"only {japanese} Japanese characters"
    assert japanese > latin / 2, f"{japanese} Japanese characters, {latin} Latin letters"


@translations_only
def test_translated_solutions_link_to_their_exercises(latex_dir, book_tex, pdf_text):
    """The solution links' words come from the edition's catalog, and every link resolved."""
    aux = (latex_dir / "book.aux").read_text(encoding="utf-8")
    targets = re.findall(r"\\hyperref\[([^\]]+)\]\{[^{}]*\\pageref\*\{\1\}[^{}]*\}", book_tex)
    assert targets, "no exercise or solution links in the LaTeX"
    assert len(targets) % 2 == 0, "exercises and solutions do not link in pairs"
    for target in targets:
        assert f"\\newlabel{{{target}}}" in aux, f"link target {target} is not defined"
    assert "Back to the exercise" not in pdf_text and "Solution, page" not in pdf_text


@translations_only
def test_site_links_the_translated_pdf(build_dir, edition, pdf_path):
    copy = build_dir / "html" / edition / "book.pdf"
    assert copy.is_file(), f"{copy} is missing: `make pdf` copies it there"
    assert copy.read_bytes() == pdf_path.read_bytes(), f"the site's {edition}/book.pdf is out of date"
