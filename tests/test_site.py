"""The built website, in a real browser, offline.

`make book` builds the site into _build/html (set W2V_BUILD_DIR to test another build). One session
fixture serves it on 127.0.0.1, opens every page once in Debian's Chromium (any request to another
host is blocked and recorded) and records what each test below asserts on. Pages are discovered
from the build, so the tests cover chapters as they are added to _toc.yml.
Full-page screenshots of each chapter, in every edition, go to <build>/screenshots/site/
(chapters-matmul.png, ja-chapters-matmul.png, ...).
"""
from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nbformat
import pytest
import yaml

from site_support import (BROWSER_TIMEOUT_MS, compare_executed, edition_folders, notebook_pages,
                          offline_context, page_edition, serve, site_pages, wait_for_widgets,
                          wait_until_ready, watch)
from test_chapters import toc_entries

pytestmark = pytest.mark.book

REPO_ROOT = Path(__file__).resolve().parent.parent
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def static_note(code: str) -> str:
    """What the notes beside static panels and answer boxes begin with, in language ``code``
    (w2vlib.messages: panel.static_note, box.static_note)."""
    import os

    from w2vlib import messages

    catalogue = messages.CATALOGUES[code]
    note = os.path.commonprefix([catalogue["panel.static_note"], catalogue["box.static_note"]])
    assert len(note) >= 5, f"the {code} static notes share no beginning: {note!r}"
    return note

# Text that must not be visible outside code: TeX that MathJax did not typeset.
RAW_TEX = re.compile(r"\$\$|\\begin\{|\\(?:d?frac|partial|mathrm|sum|top|times|underbrace|left|right)\b")

# Collected in the browser for each page (the page is ready: loaded, typeset, widgets drawn).
PAGE_FACTS_JS = r"""
() => {
  const article = document.querySelector('article') || document.body;
  // Text a reader sees outside code and outside typeset maths.
  const clone = article.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea')
       .forEach(e => e.remove());
  const displayMath = [...document.querySelectorAll('div.math')];
  const images = [...document.querySelectorAll('img')].map(img => ({
    src: img.getAttribute('src'), alt: img.getAttribute('alt'), inArticle: article.contains(img),
    complete: img.complete, width: img.naturalWidth, height: img.naturalHeight}));
  const eqRefs = [...document.querySelectorAll('a[href*="#equation-"]:not(.headerlink)')].map(a => ({
    href: a.href, text: a.textContent.trim()}));
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const widgetScripts = document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]').length;
  const widgetOutputs = [...document.querySelectorAll('.cell_output')]
    .filter(o => o.querySelector('.widget-subarea'))
    .map(o => ({
      text: o.innerText,
      height: o.querySelector('.widget-subarea').getBoundingClientRect().height,
      liveControls: [...o.querySelectorAll('.widget-subarea input, .widget-subarea button, '
                                          + '.widget-subarea select, .widget-subarea textarea')]
                    .filter(c => !c.disabled).map(c => c.outerHTML.slice(0, 120)),
    }));
  return {
    text: clone.textContent,
    displayMath: displayMath.length,
    // A typeset formula has an mjx-container holding rendered mjx-math (lazy typesetting would
    // leave an empty container until the reader scrolls to it: blank in print and screenshots).
    untypesetDisplay: displayMath.filter(d => !d.querySelector('mjx-container mjx-math'))
                                 .map(d => d.id || d.textContent.trim().slice(0, 60)),
    untypesetInline: [...document.querySelectorAll('span.math')]
                     .filter(s => !s.querySelector('mjx-container mjx-math')).map(s => s.textContent.slice(0, 60)),
    images, eqRefs, ids, widgetScripts, widgetOutputs,
  };
}
"""

AXE_RUN_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: '
                                                    + (n.failureSummary || '').slice(0, 160))}));
}
"""


@pytest.fixture(scope="session")
def site_url(html_dir: Path):
    with serve(html_dir) as url:
        yield url


@pytest.fixture(scope="session")
def toc_pages() -> list[str]:
    """Every page _toc.yml names, as its HTML path."""
    return [f"{entry}.html" for entry in toc_entries()]


@pytest.fixture(scope="session")
def site_visit(html_dir, site_url, browser, build_dir):
    """Open every page once; record its problems, facts, accessibility violations and screenshot."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run scripts/vendor-assets.sh (make book does)"
    pages = site_pages(html_dir)
    chapters = set(notebook_pages(html_dir))
    shots = build_dir / "screenshots" / "site"
    shots.mkdir(parents=True, exist_ok=True)
    context = offline_context(browser, site_url, viewport={"width": 1280, "height": 900})
    visits = {}
    for name in pages:
        page = context.new_page()
        log = type(context.site_log)()
        watch(page, log)
        page.goto(urljoin(site_url, name))
        wait_until_ready(page)
        wait_for_widgets(page)
        facts = page.evaluate(PAGE_FACTS_JS)
        page.add_script_tag(path=str(AXE_JS))  # injected inline: no request
        facts["axe"] = page.evaluate(AXE_RUN_JS)
        if name in chapters:
            page.screenshot(path=str(shots / (name[:-len(".html")].replace("/", "-") + ".png")),
                            full_page=True)
        facts["problems"] = log.problems()
        visits[name] = facts
        page.close()
    # Requests to other hosts are recorded per context, not per page.
    external = context.site_log.external_requests
    context.close()
    return {"pages": visits, "chapters": sorted(chapters), "external": external}


def _report(failures: dict) -> str:
    return "\n".join(f"{page}:\n    " + "\n    ".join(map(str, items)) for page, items in failures.items())


def test_pages_are_discovered(site_visit, toc_pages):
    assert site_visit["chapters"], "no page built from a notebook: the chapters are missing"
    missing = [p for p in toc_pages if p not in site_visit["pages"]]
    assert not missing, f"pages named in _toc.yml but not built: {missing}"


def test_no_request_leaves_the_site(site_visit):
    assert not site_visit["external"], ("the site asked another host (it must work offline): "
                                        f"{sorted(set(site_visit['external']))}")


def test_pages_load_without_errors(site_visit):
    failures = {p: v["problems"] for p, v in site_visit["pages"].items() if v["problems"]}
    assert not failures, "console errors or failed requests:\n" + _report(failures)


def test_every_equation_is_typeset(site_visit):
    failures = {}
    for name, facts in site_visit["pages"].items():
        raw = [facts["text"][max(0, m.start() - 40):m.end() + 40].replace("\n", " ")
               for m in RAW_TEX.finditer(facts["text"])]
        problems = ([f"display maths not typeset: {d}" for d in facts["untypesetDisplay"]]
                    + [f"inline maths not typeset: {d}" for d in facts["untypesetInline"]]
                    + [f"raw TeX visible: ...{r}..." for r in raw])
        if problems:
            failures[name] = problems
    assert not failures, "maths left as TeX:\n" + _report(failures)
    chapters_with_maths = [c for c in site_visit["chapters"] if site_visit["pages"][c]["displayMath"]]
    assert chapters_with_maths, "no chapter has display maths: is MathJax's input being found?"


def _bad_alt(alt: str | None) -> bool:
    # myst-nb falls back to the image's file name when a cell gives no alt text.
    return not alt or not alt.strip() or re.search(r"\.(png|jpe?g|svg|gif)$|_images/", alt) is not None


def test_every_figure_loads_and_has_alt_text(site_visit):
    failures = {}
    for name, facts in site_visit["pages"].items():
        problems = [f"did not load (natural size {i['width']}x{i['height']}): {i['src']}"
                    for i in facts["images"] if not (i["complete"] and i["width"] > 0 and i["height"] > 0)]
        problems += [f"no alt text (set `mystnb: image: alt:` in the cell): {i['src']} alt={i['alt']!r}"
                     for i in facts["images"] if i["inArticle"] and _bad_alt(i["alt"])]
        if problems:
            failures[name] = problems
    assert not failures, "figures:\n" + _report(failures)


def test_equation_references_resolve(site_visit, site_url):
    ids_by_page = {urljoin(site_url, name): set(facts["ids"]) for name, facts in site_visit["pages"].items()}
    failures = {}
    for name, facts in site_visit["pages"].items():
        problems = []
        for ref in facts["eqRefs"]:
            target_page, _, anchor = ref["href"].partition("#")
            if anchor not in ids_by_page.get(target_page, set()):
                problems.append(f"{ref['text']!r} -> {ref['href']}: no such equation")
            if not re.fullmatch(r"\(\d+(\.\d+)*\)", ref["text"]):
                problems.append(f"reference text {ref['text']!r} is not an equation number")
        if problems:
            failures[name] = problems
    assert not failures, "equation references:\n" + _report(failures)


def test_equation_reference_jumps_to_its_equation(site_visit, site_url, browser):
    pages = [name for name, facts in site_visit["pages"].items()
             if any(r["href"].startswith(urljoin(site_url, name) + "#") for r in facts["eqRefs"])]
    assert pages, "no page refers to one of its own equations with {eq}"
    context = offline_context(browser, site_url, viewport={"width": 1280, "height": 900})
    try:
        for name in pages:
            page = context.new_page()
            page.goto(urljoin(site_url, name))
            wait_until_ready(page)
            link = page.locator('article a.reference[href^="#equation-"]').first
            anchor = link.get_attribute("href")[1:]
            link.click()
            page.wait_for_function("anchor => location.hash === '#' + anchor", arg=anchor)
            top = page.evaluate("anchor => document.getElementById(anchor).getBoundingClientRect().top", anchor)
            height = page.evaluate("() => window.innerHeight")
            assert 0 <= top < height, f"{name}: after clicking the reference, #{anchor} is at y={top}"
            page.close()
    finally:
        context.close()


def test_no_serious_accessibility_violations(site_visit):
    failures = {p: v["axe"] for p, v in site_visit["pages"].items() if v["axe"]}
    assert not failures, "axe-core, serious/critical:\n" + _report(failures)


def test_static_widgets_render_disabled_with_a_note(site_visit):
    failures = {}
    for name, facts in site_visit["pages"].items():
        problems = []
        outputs = facts["widgetOutputs"]
        if facts["widgetScripts"] and not outputs:
            problems.append(f"{facts['widgetScripts']} saved widget views, none rendered")
        note = static_note(page_edition(name)[0])
        for index, output in enumerate(outputs):
            if output["height"] <= 0:
                problems.append(f"widget output {index} rendered empty")
            if note not in output["text"]:
                problems.append(f"widget output {index} lacks the note {note!r}")
            if output["liveControls"]:
                problems.append(f"widget output {index} has controls that look live: {output['liveControls'][:3]}")
        if problems:
            failures[name] = problems
    assert not failures, "static widgets:\n" + _report(failures)


def test_solutions_stay_hidden_until_their_toggle_is_clicked(site_visit, site_url, browser):
    context = offline_context(browser, site_url, viewport={"width": 1280, "height": 900})
    failures, checked = {}, 0
    try:
        for name in site_visit["chapters"]:
            page = context.new_page()
            page.goto(urljoin(site_url, name))
            wait_until_ready(page)
            problems = []
            solutions = page.locator("div.solution, div.toggle")
            for index in range(solutions.count()):
                solution = solutions.nth(index)
                body = solution.locator(":scope > :not(.admonition-title)").first
                button = solution.locator("button.toggle-button").first
                if not button.count():
                    problems.append(f"solution {index} has no toggle (use `:class: dropdown`)")
                    continue
                if body.is_visible():
                    problems.append(f"solution {index} is visible before its toggle is clicked")
                button.scroll_into_view_if_needed()
                button.click()
                try:
                    body.wait_for(state="visible", timeout=BROWSER_TIMEOUT_MS)
                except Exception:
                    problems.append(f"solution {index} stays hidden after its toggle is clicked")
                checked += 1
            if problems:
                failures[name] = problems
            page.close()
    finally:
        context.close()
    assert not failures, "solutions:\n" + _report(failures)
    assert checked, "no chapter has an exercise solution"


def _title_word(html_dir: Path, page: str) -> str | None:
    """A word of the page's title to search for: its longest run of kanji or katakana (which
    the Japanese search has to cut out of the sentence itself), else its longest Latin word."""
    heading = re.search(r"<h1>(.*?)<", (html_dir / page).read_text(encoding="utf-8"), re.S).group(1)
    words = (re.findall(r"[\u30a0-\u30ff\u4e00-\u9fff]{2,}", heading)
             or re.findall(r"[A-Za-z]{5,}", heading))
    return max(words, key=len) if words else None


@pytest.mark.parametrize("code", sorted(edition_folders()))
def test_search_finds_a_chapter(code, html_dir, site_url, browser, site_visit):
    """Each edition's search (the Japanese one splits words itself) lists a chapter when asked
    for a word of its title."""
    chapters = [page for page in site_visit["chapters"] if page_edition(page)[0] == code]
    found = [(page, _title_word(html_dir, page)) for page in chapters]
    chapter, word = next(((page, word) for page, word in found if word), (None, None))
    assert chapter, f"{code}: no chapter title has a word to search for: {found}"
    search = chapter[:-len(page_edition(chapter)[1])] + "search.html"
    context = offline_context(browser, site_url)
    try:
        page = context.new_page()
        page.goto(urljoin(site_url, f"{search}?q={word}"))
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=BROWSER_TIMEOUT_MS)
        hrefs = [urljoin(page.url, h) for h in results.evaluate_all("els => els.map(a => a.getAttribute('href'))")]
        assert any(urlsplit(h).path.endswith("/" + chapter) for h in hrefs), (
            f"searching {word!r} (from {chapter}'s title) did not list {chapter}: {hrefs}")
    finally:
        context.close()


def _repository() -> dict:
    """_config.yml's repository, with the URL the build resolved (_ext/repository_url.py)."""
    import sys
    sys.path.insert(0, str(REPO_ROOT / "_ext"))
    from repository_url import resolve

    return {**yaml.safe_load((REPO_ROOT / "_config.yml").read_text())["repository"],
            "url": resolve(REPO_ROOT)[0].url}


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, f"{url}: HTTP {response.status}"
        return response.read()


def test_launch_and_download_buttons(html_dir, site_url, site_visit):
    repo = _repository()
    owner_name = urlsplit(repo["url"]).path.strip("/")
    failures = {}
    for name in site_visit["chapters"]:
        html = (html_dir / name).read_text(encoding="utf-8")
        code, within = page_edition(name)
        stem = within.removesuffix(".html")   # every edition launches the (English) notebook
        source = f"{repo.get('path_to_book', '').strip('/') + '/' if repo.get('path_to_book') else ''}{stem}.md"
        problems = []
        binder = f"https://mybinder.org/v2/gh/{owner_name}/{repo['branch']}?urlpath=lab/tree/{source}"
        if f'href="{binder}"' not in html:
            problems.append(f"no Binder link opening JupyterLab on the chapter ({binder})")
        if "initThebeSBT()" not in html:
            problems.append("no live-code (Thebe) button")
        if "colab.research.google.com" in html:
            problems.append("a Colab link (Colab cannot open MyST .md notebooks)")
        if f'href="{repo["url"]}"' not in html:
            problems.append(f"no repository link to {repo['url']}")
        downloads = dict(re.findall(r'<a href="([^"]+)"[^>]*?class="[^"]*btn-download-(notebook|source|pdf)-button', html))
        by_kind = {kind: href for href, kind in downloads.items()}
        for kind in ("notebook", "source", "pdf"):
            if kind not in by_kind:
                problems.append(f"no {kind} download link")
        if "notebook" in by_kind:
            notebook = nbformat.reads(_fetch(urljoin(urljoin(site_url, name), by_kind["notebook"])).decode(), 4)
            if not any(c.cell_type == "code" for c in notebook.cells):
                problems.append("the downloaded notebook has no code cell")
        if "source" in by_kind:
            _fetch(urljoin(urljoin(site_url, name), by_kind["source"]))
        pdf = urljoin(site_url, (edition_folders()[code] + "/" if edition_folders()[code] else "") + "book.pdf")
        if "pdf" in by_kind and urljoin(urljoin(site_url, name), by_kind["pdf"]) != pdf:
            problems.append(f"the PDF link {by_kind['pdf']} is not its edition's book.pdf ({pdf})")
        if problems:
            failures[name] = problems
    assert not failures, "launch/download buttons:\n" + _report(failures)


def test_pdf_link_resolves_when_the_pdf_is_built(build_dir, html_dir, site_url):
    built = build_dir / "latex" / "book.pdf"
    if not built.exists():
        pytest.skip(f"{built} not built (`make pdf`); the link itself is checked in test_launch_and_download_buttons")
    served = _fetch(urljoin(site_url, "book.pdf"))
    assert served[:5] == b"%PDF-", "book.pdf at the site root is not a PDF"
    assert served == built.read_bytes(), (
        f"{html_dir / 'book.pdf'} differs from {built}: the Makefile copies it after `make pdf`/`make book`")


def test_vendored_assets_are_the_locked_versions(html_dir):
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text())["packages"]
    served = json.loads((html_dir / "vendor" / "versions.json").read_text())
    locked = {name: lock[f"node_modules/{name}"]["version"] for name in served}
    assert served == locked, f"the site serves {served}, package-lock.json pins {locked}: rebuild with --all"


def test_executed_outputs_match_a_second_run(build_dir, tmp_path, monkeypatch):
    """Two executions give the same outputs: the build's executed notebooks against a second,
    fresh-kernel run of the same notebooks (as `make book` runs them: W2VLIB_STATIC=1, in the
    page's folder). Cheaper than a second clean build (benchmarks/bench_build.py does two of those
    and compares them the same way), and it covers every chapter."""
    import nbclient

    executed = build_dir / "jupyter_execute"
    notebooks = sorted(executed.rglob("*.ipynb"))
    assert notebooks, f"no executed notebooks in {executed}: run `make book` first"
    monkeypatch.setenv("W2VLIB_STATIC", "1")
    for notebook_path in notebooks:
        relative = notebook_path.relative_to(executed)
        notebook = nbformat.read(notebook_path, as_version=4)
        source_dir = REPO_ROOT / relative.parent
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3", coalesce_streams=True,
                                resources={"metadata": {"path": str(source_dir)}}).execute()
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, tmp_path / relative)
    differences = compare_executed(executed, tmp_path)
    assert not differences, ("a second run gives other outputs (unseeded randomness? wall-clock "
                             "times printed?):\n" + "\n".join(differences))


EDITION_BUTTON = re.compile(r'<a href="([^"]+)"[^>]*?\sclass="[^"]*\bbtn-edition-(\w+)-button"', re.S)


def test_every_edition_has_every_page(site_visit):
    by_edition: dict[str, set[str]] = {}
    for name in site_visit["pages"]:
        code, within = page_edition(name)
        by_edition.setdefault(code, set()).add(within)
    assert sorted(by_edition) == sorted(edition_folders()), f"editions built: {sorted(by_edition)}"
    english = by_edition.pop("en")
    for code, pages in by_edition.items():
        assert pages == english, (f"{code}: missing {sorted(english - pages)}, "
                                  f"extra {sorted(pages - english)}")


def test_every_page_switches_to_the_same_page_in_each_other_edition(html_dir, site_visit):
    """The header's language button leads to the same page in the other edition, which exists,
    and each page says which language it is in (<html lang>)."""
    failures = {}
    for name in site_visit["pages"]:
        code, within = page_edition(name)
        html = (html_dir / name).read_text(encoding="utf-8")
        problems = []
        if not re.search(rf'<html lang="{code}"', html):
            problems.append(f"<html> does not say lang=\"{code}\"")
        links = dict((other, href) for href, other in EDITION_BUTTON.findall(html))
        for other, folder in edition_folders().items():
            if other == code:
                continue
            if other not in links:
                problems.append(f"no button to the {other} edition")
                continue
            target = ((html_dir / name).parent / links[other]).resolve()
            expected = (html_dir / folder / within).resolve()
            if target != expected:
                problems.append(f"the {other} button leads to {target}, not {expected}")
            elif not target.is_file():
                problems.append(f"the {other} button leads to a missing page {target}")
        if problems:
            failures[name] = problems
    assert not failures, "language switch:\n" + _report(failures)


def test_the_language_button_opens_in_the_same_tab(site_url, browser, site_visit):
    """The theme opens header links in a new tab; _static/editions.js keeps the switch in this one."""
    context = offline_context(browser, site_url)
    try:
        page = context.new_page()
        page.goto(urljoin(site_url, site_visit["chapters"][0]))
        button = page.locator('a[class*="btn-edition-"]').first
        button.wait_for(state="attached", timeout=BROWSER_TIMEOUT_MS)
        page.wait_for_function("() => !document.querySelector('a[class*=\"btn-edition-\"]')"
                               ".hasAttribute('target')", timeout=BROWSER_TIMEOUT_MS)
        href = button.get_attribute("href")
        with page.expect_navigation(timeout=BROWSER_TIMEOUT_MS):
            button.dispatch_event("click")
        assert page.url == urljoin(urljoin(site_url, site_visit["chapters"][0]), href)
        assert page.evaluate("document.documentElement.lang") != "en"
    finally:
        context.close()


def test_translated_pages_say_the_notebooks_are_english(html_dir, site_visit):
    """Binder and the live chapters open the English notebooks: every page of another edition
    says so (its announcement, set in locales/<code>/config.yml)."""
    import sys

    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    from edition_config import edition_config

    failures = []
    for name in site_visit["pages"]:
        code, _ = page_edition(name)
        if code == "en":
            continue
        announcement = edition_config(REPO_ROOT, code)["html"]["announcement"].strip()
        assert "Binder" in announcement and "JupyterLite" in announcement, announcement
        html = (html_dir / name).read_text(encoding="utf-8")
        if announcement not in html:
            failures.append(name)
    assert not failures, f"pages without the note that the notebooks are English: {failures}"
