"""The book in more than one language: the language switch, and what translation leaves alone.

Every edition is built from the same sources (scripts/editions.py): English into the site's root,
each other one with `language: <code>` and the catalogs of `locales/<code>/LC_MESSAGES` into the
folder `w2v_editions` names for it (`_build/html/ja/`). This extension

1. puts on every page a switch to the same page in each other edition: a header button named in
   that edition's own language ("日本語" on an English page, "English" on a Japanese one), and
   `<link rel="alternate" hreflang>` for search engines;
2. keeps display maths out of the catalogs: a formula is the same in every edition (its numbering
   too), so it is neither extracted for translators nor replaced by a translation;
3. translates the captions of the table of contents ("Chapters", "Reference"): sphinx-external-toc
   inserts its toctrees after Sphinx's own translation step has run, so they are translated here,
   from the root page's catalog, which is where the gettext builder puts them;
4. lets every table of a translation's PDF break across pages: a Japanese word in a narrow column
   wraps a character a line, and a table that fits a page in English (the notation page's) no
   longer did, and ran over the footer;
5. gives the other extensions the way from a page to the site's root (`site_root`), where the live
   chapters (`live/`) are, whichever edition the page belongs to.
"""
from __future__ import annotations

import re
import unicodedata
from html import escape
from os import path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

ENGLISH = "en"


class KeepFormulas(SphinxTransform):
    """Mark display maths untranslatable, before Sphinx's i18n transform (priority 20) reads it."""

    default_priority = 10

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False


class TranslateTocCaptions(SphinxTransform):
    """Translate the toctree captions that sphinx-external-toc inserts (at priority 100, after
    Sphinx's Locale transform at 20), with the page's own catalog."""

    default_priority = 101

    def apply(self, **kwargs: Any) -> None:
        if not self.config.language or self.config.language == ENGLISH:
            return
        toctrees = [node for node in self.document.findall(addnodes.toctree) if node.get("caption")]
        if not toctrees:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        directories = [path.join(self.env.srcdir, folder) for folder in self.config.locale_dirs]
        catalog, found = init_locale(directories, self.config.language, domain)
        if not found:
            return
        for node in toctrees:
            translated = catalog.gettext(node["rawcaption"] or node["caption"])
            node["caption"] = node["rawcaption"] = translated


def breakable_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In a translation's PDF, set every table as a longtable (Sphinx's choice for tables over
    30 rows): it may break between rows. Tables inside others cannot be longtables."""
    if app.builder.format != "latex" or edition(app) == ENGLISH:
        return
    for table in doctree.findall(nodes.table):
        if not any(isinstance(parent, nodes.table) for parent in _ancestors(table)):
            table["classes"].append("longtable")
            if "colwidths-given" not in table["classes"]:
                _widths_from_content(table)


def _widths_from_content(table: nodes.table) -> None:
    """Give the columns widths from their contents: a longtable without widths sets its columns
    unwrapped (`l`), and a table of sentences runs off the page; with widths, Sphinx wraps each
    column (`\\X{w}{total}`). Widths count in half-ems (`_width`). Each column is at least as
    wide as its heading and its longest word or code (which cannot break); the room left goes
    to the columns whose cells are longer than that, in proportion to how much longer."""
    line = 86   # half-ems across the text block (11 pt type, 0.75 in margins on A4)
    for tgroup in table.findall(nodes.tgroup):
        colspecs = [node for node in tgroup.children if isinstance(node, nodes.colspec)]
        least = [2.0] * len(colspecs)
        longest = [2.0] * len(colspecs)
        for row in tgroup.findall(nodes.row):
            heading = isinstance(row.parent, nodes.thead)
            for column, entry in enumerate(row.children[:len(colspecs)]):
                text = entry.astext()
                unbroken = [text] if heading else _unbreakable(text)
                least[column] = max([least[column]] + [min(16, _width(word)) for word in unbroken])
                longest[column] = max(longest[column], _width(text))
        # Sphinx takes a column's padding (about 2) out of its width.
        least = [width + 2 for width in least]
        room = line - sum(least)
        wanted = [max(0.0, more + 2 - less) for more, less in zip(longest, least)]
        widths = [less + (room * want / sum(wanted) if room > 0 and sum(wanted) else 0)
                  for less, want in zip(least, wanted)]
        for colspec, width in zip(colspecs, widths):
            colspec["colwidth"] = max(1, round(10 * width))
    table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"] + ["colwidths-given"]


def _unbreakable(text: str) -> list[str]:
    """The runs of text a line cannot break inside: words of Latin script (a line may break
    before and after any CJK character)."""
    return [run for run in re.split(r"[\s\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]+", text) if run]


def _width(text: str) -> float:
    """In half-ems: a CJK character takes 2, a Latin letter about 1.1 (bold ones more)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1.1 for char in text)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def edition(app: Sphinx) -> str:
    """The language code of the edition being built."""
    return app.config.language or ENGLISH


def folder(app: Sphinx, code: str) -> str:
    """The folder of edition ``code`` under the site's root ("" for the root itself)."""
    return app.config.w2v_editions[code]["folder"].strip("/")


def site_root(app: Sphinx, pagename: str) -> str:
    """The relative way from page ``pagename`` up to the site's root (``""`` or ``"../…/"``)."""
    depth = pagename.count("/") + (folder(app, edition(app)).count("/") + 1
                                   if folder(app, edition(app)) else 0)
    return "../" * depth


def page_in(app: Sphinx, pagename: str, code: str) -> str:
    """The relative URL of page ``pagename`` in edition ``code``, from the same page here."""
    where = folder(app, code)
    return site_root(app, pagename) + (where + "/" if where else "") + pagename + ".html"


def add_switch(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    here = edition(app)
    others = [(code, page_in(app, pagename, code), settings["name"])
              for code, settings in app.config.w2v_editions.items() if code != here]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{code}" href="{escape(url)}">' for code, url, _ in others)
    for code, url, name in others:
        context.setdefault("header_buttons", []).append({
            "type": "link",
            "url": url,
            "text": name,
            "tooltip": name,
            "icon": "fas fa-language",
            "label": f"edition-{code}-button",
        })


def check_editions(app: Sphinx, config) -> None:
    editions = config.w2v_editions
    if ENGLISH not in editions or any(set(value) != {"folder", "name"} for value in editions.values()):
        raise ValueError("w2v_editions (_config.yml) maps each language code, 'en' among them, to "
                         "{folder: <folder under the site root>, name: <the language's own name>}; "
                         f"got {editions!r}")
    if edition(app) not in editions:
        raise ValueError(f"this build's language {edition(app)!r} is not in w2v_editions {sorted(editions)}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("w2v_editions", {ENGLISH: {"folder": "", "name": "English"}}, "html", types=[dict])
    app.connect("config-inited", check_editions)
    app.add_transform(KeepFormulas)
    app.add_transform(TranslateTocCaptions)
    app.connect("doctree-resolved", breakable_tables)
    # After sphinx-book-theme builds the header buttons (priority 501).
    app.connect("html-page-context", add_switch, priority=504)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
