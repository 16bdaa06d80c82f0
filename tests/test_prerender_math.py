"""_ext/prerender_math.py: formulas typeset at build time (MathJax in Node), and the site it makes."""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "_ext"))
import prerender_math  # noqa: E402
from prerender_math import Formula, MathJaxProcess, formula_of, is_mathjax_script, prerender  # noqa: E402

INLINE, DISPLAY = (r"\(", r"\)"), (r"\[", r"\]")
FONT_URL = "../vendor/mathjax/output/chtml/fonts/woff-v2"

# As Sphinx's MathJax visitors write them: inline, and a numbered display formula.
PAGE = ('<p>Take <span class="math notranslate nohighlight">\\(x &lt; y\\)</span> and</p>\n'
        '<div class="math notranslate nohighlight" id="equation-eq-a">\n'
        '<span class="eqno">(1.1)<a class="headerlink" href="#equation-eq-a" title="Link">#</a></span>'
        '\\[y = \\frac{a}{b}\\]</div>\n')


@pytest.fixture(scope="module")
def mathjax_node():
    """Node and mathjax-full are installed (a failure, not a skip, when they are not)."""
    assert shutil.which("node"), "node is missing: run scripts/system-deps.sh node"
    assert (REPO_ROOT / "node_modules" / "mathjax-full").is_dir(), \
        "node_modules/mathjax-full is missing: run scripts/vendor-assets.sh (make book does)"


@pytest.fixture(scope="module")
def mathjax(mathjax_node):
    process = MathJaxProcess()
    yield process
    process.close()


# --- reading the TeX out of Sphinx's markup -----------------------------------------------------

def test_formula_of_strips_the_delimiters_and_unescapes_html():
    assert formula_of("span", r"\(x &lt; y &amp; z\)", INLINE, DISPLAY) == Formula("x < y & z", display=False)
    assert formula_of("div", "\n\\[a\\]\n", INLINE, DISPLAY) == Formula("a", display=True)


def test_formula_of_keeps_a_display_environment_written_without_delimiters():
    tex = r"\begin{align}a &= b\end{align}"
    assert formula_of("div", tex, INLINE, DISPLAY) == Formula(tex, display=True)


def test_formula_of_rejects_inline_maths_without_delimiters():
    with pytest.raises(ValueError, match="delimiters"):
        formula_of("span", "x", INLINE, DISPLAY)


def test_prerender_replaces_only_the_tex():
    seen = []

    def fake_typeset(formulas):
        seen.extend(formulas)
        return [f"<mjx-container>{i}</mjx-container>" for i in range(len(formulas))], "CSS"

    body, css, count = prerender(PAGE, fake_typeset, INLINE, DISPLAY)
    assert (count, css) == (2, "CSS")
    assert seen == [Formula("x < y", False), Formula(r"y = \frac{a}{b}", True)]
    assert '<span class="math notranslate nohighlight"><mjx-container>0</mjx-container></span>' in body
    # The equation's id, number and link stay; only the TeX goes.
    assert ('<div class="math notranslate nohighlight" id="equation-eq-a">\n<span class="eqno">(1.1)'
            '<a class="headerlink" href="#equation-eq-a" title="Link">#</a></span>'
            '<mjx-container>1</mjx-container></div>') in body
    assert "\\frac" not in body and "<p>Take " in body


def test_prerender_typesets_an_amsmath_block():
    page = ('<div class="amsmath math notranslate nohighlight">\n'
            '\\[\\begin{equation*}\na &amp;= b\n\\end{equation*}\\]</div>')
    seen = []

    def fake_typeset(formulas):
        seen.extend(formulas)
        return ["<mjx-container>0</mjx-container>"], "CSS"

    body, _, count = prerender(page, fake_typeset, INLINE, DISPLAY)
    assert count == 1 and seen == [Formula("\\begin{equation*}\na &= b\n\\end{equation*}", True)]
    assert body == '<div class="amsmath math notranslate nohighlight"><mjx-container>0</mjx-container></div>'


def test_prerender_leaves_a_page_without_maths_alone():
    page = "<p>No maths here, only $5.</p>"
    assert prerender(page, lambda formulas: pytest.fail("nothing to typeset"), INLINE, DISPLAY) == (page, "", 0)


def test_is_mathjax_script_finds_the_loader_and_the_configuration():
    class Script(str):
        def __new__(cls, filename, **attributes):
            script = super().__new__(cls, filename)
            script.filename, script.attributes = filename, attributes
            return script

    path = "../vendor/mathjax/tex-mml-chtml.js"
    assert is_mathjax_script(Script("_static/" + path, defer="defer"), path)
    assert is_mathjax_script(Script("", body='window.MathJax = {"options": {}}'), path)
    assert not is_mathjax_script(Script("_static/doctools.js"), path)


# --- the real MathJax, in Node --------------------------------------------------------------------

def test_mathjax_typesets_inline_and_display_maths(mathjax):
    markups, css = mathjax.typeset([Formula("x^2", False), Formula(r"\frac{a}{b}", True)], FONT_URL)
    assert len(markups) == 2
    assert all(m.startswith('<mjx-container class="MathJax" jax="CHTML"') for m in markups)
    assert 'display="true"' in markups[1] and 'display="true"' not in markups[0]
    # A hidden MathML copy for screen readers.
    assert all("<mjx-assistive-mml" in m and "<math" in m for m in markups)
    assert "<mfrac>" in markups[1]
    # The page's styles load the fonts from the site, not a CDN.
    font_urls = re.findall(r"url\(\"?([^)\"]+)", css)
    assert font_urls and all(url.startswith(FONT_URL + "/") for url in font_urls)


def test_the_warm_up_answer_is_not_taken_for_a_page(mathjax_node):
    process = MathJaxProcess()
    process.start()  # sends prerender_math.WARM_UP without waiting for the answer
    try:
        markups, _ = process.typeset([Formula("q", False)], FONT_URL)
        assert len(markups) == 1 and "<mi>q</mi>" in markups[0]
        # Otherwise a warm-up answer taken for this page's would have the right length.
        assert len(prerender_math.WARM_UP) != 1
    finally:
        process.close()


def test_mathjax_styles_cover_the_characters_of_each_page_only(mathjax):
    _, css_x = mathjax.typeset([Formula("x", False)], FONT_URL)
    _, css_sum = mathjax.typeset([Formula(r"\sum", True)], FONT_URL)
    # Characters are styled by code point: x is U+1D465 (math italic), the large sum U+2211.
    assert "mjx-c1D465" in css_x and "mjx-c2211" not in css_x
    assert "mjx-c2211" in css_sum and "mjx-c1D465" not in css_sum


@pytest.mark.parametrize("tex, message", [
    (r"\frac{a}", "Missing argument"),
    (r"\notamacro x", "Undefined control sequence"),
    (r"\left( x", r"missing \\right"),
])
def test_a_tex_error_names_the_formula(mathjax, tex, message):
    with pytest.raises(ValueError, match=message) as error:
        mathjax.typeset([Formula("y", False), Formula(tex, True)], FONT_URL)
    assert repr(tex) in str(error.value)
    # The process is still usable after an error.
    markups, _ = mathjax.typeset([Formula("z", False)], FONT_URL)
    assert "mjx-container" in markups[0]


def test_build_time_and_runtime_mathjax_are_one_package(mathjax_node):
    # mathjax-full alone: its es5/ folder is what the site serves (the `mathjax` package would be a
    # second, byte-identical copy of it), its js/ what Node typesets with.
    packages = json.loads((REPO_ROOT / "package-lock.json").read_text())["packages"]
    assert "node_modules/mathjax" not in packages, "package-lock.json still installs `mathjax`"
    served = REPO_ROOT / "_site_assets" / "vendor" / "mathjax" / "tex-mml-chtml.js"
    bundled = REPO_ROOT / "node_modules" / "mathjax-full" / "es5" / "tex-mml-chtml.js"
    assert served.read_bytes() == bundled.read_bytes(), f"{served} is not mathjax-full's: run make book"


# --- the built site ---------------------------------------------------------------------------------

MATH_ELEMENT = re.compile(r'<(span|div) class="(?:amsmath )?math notranslate nohighlight"[^>]*>(.*?)</\1>',
                          re.DOTALL)


def _site_pages(build_dir: Path) -> list[Path]:
    html = build_dir / "html"
    assert (html / "index.html").exists(), f"no site in {html}: run `make book` first"
    return [p for p in sorted(html.rglob("*.html"))
            if p.relative_to(html).parts[0] not in {"_static", "_sources", "_images", "vendor", "live"}]


@pytest.mark.book
def test_every_page_arrives_typeset_and_loads_no_mathjax(build_dir):
    pages = _site_pages(build_dir)
    typeset_pages, failures = 0, []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(build_dir / "html").as_posix()
        elements = MATH_ELEMENT.findall(text)
        raw = [body[:60] for _, body in elements if "<mjx-container" not in body]
        if raw:
            failures.append(f"{name}: {len(raw)} formulas left as TeX, e.g. {raw[0]!r}")
        if re.search(r"<script[^>]*tex-mml-chtml|window\.MathJax\s*=", text):
            failures.append(f"{name}: still loads MathJax")
        if elements:
            typeset_pages += 1
            styles = re.search(r'<style id="mjx-prerendered-styles">(.*?)</style>', text, re.DOTALL)
            if not styles:
                failures.append(f"{name}: typeset maths but no styles for it")
                continue
            for url in set(re.findall(r"url\(\"?([^)\"]+)", styles.group(1))):
                if not (path.parent / url).resolve().is_file():
                    failures.append(f"{name}: font {url} is not in the site")
    assert not failures, "\n".join(failures)
    assert typeset_pages >= 5, f"only {typeset_pages} pages have maths: is Sphinx's maths markup still found?"
