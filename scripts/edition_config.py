"""The book's editions: one set of sources, one Jupyter Book configuration per language.

The English edition is `_config.yml` itself. Every other edition has a folder `locales/<code>/`
holding its translation catalogs (`LC_MESSAGES/**/*.po`, kept by sphinx-intl: `make catalogs`) and
`config.yml`, the few settings in which it differs (its language, title, PDF fonts, ...). Its
configuration is `_config.yml` with `config.yml` merged on top (`edition_config`), written to
`<output>/_config.yml`; the edition is built with `--config` that file and `--path-output` that
folder, so it has its own execution cache (its outputs carry w2vlib's words in its language: the
kernels run with W2VLIB_LANG=<code>), doctrees and HTML, and the HTML is then copied into the
English site as `_build/html/<code>/` (`publish_edition`).

    python scripts/edition_config.py config ja OUTPUT_FOLDER   # write OUTPUT_FOLDER/_config.yml
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ENGLISH = "en"


def editions(book_root: Path) -> list[str]:
    """Every edition's language code, English first: `en`, then each `locales/<code>/config.yml`."""
    return [ENGLISH] + sorted(path.parent.name for path in (book_root / "locales").glob("*/config.yml"))


def merged(base: Any, overrides: Any) -> Any:
    """``base`` with ``overrides`` on top: mappings are merged key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(overrides, dict):
        result = dict(base)
        for key, value in overrides.items():
            result[key] = merged(base.get(key), value)
        return result
    return overrides


def edition_config(book_root: Path, code: str, overrides: dict | None = None) -> dict:
    """The Jupyter Book configuration of edition ``code`` (plus ``overrides``), ready to be written
    anywhere: `local_extensions` paths, which Jupyter Book reads relative to the configuration file,
    are made absolute (every other path is relative to the book's root, as before)."""
    config = yaml.safe_load((book_root / "_config.yml").read_text(encoding="utf-8")) or {}
    if code != ENGLISH:
        edition_file = book_root / "locales" / code / "config.yml"
        if not edition_file.is_file():
            raise ValueError(f"no edition {code!r}: {edition_file} is missing; "
                             f"the editions are {editions(book_root)}")
        config = merged(config, yaml.safe_load(edition_file.read_text(encoding="utf-8")) or {})
        language = (config.get("sphinx", {}).get("config", {}) or {}).get("language")
        if language != code:
            raise ValueError(f"{edition_file} must set sphinx.config.language to {code!r}, "
                             f"not {language!r}")
    config = merged(config, overrides or {})
    extensions = config.get("sphinx", {}).get("local_extensions") or {}
    for name, folder in extensions.items():
        extensions[name] = str((book_root / folder).resolve())
    return config


def write_edition_config(book_root: Path, code: str, output: Path, overrides: dict | None = None) -> Path:
    """Write edition ``code``'s configuration to ``output/_config.yml`` (only when it changed, so
    that an unchanged edition is not rebuilt) and return its path."""
    path = output / "_config.yml"
    text = ("# Written by scripts/edition_config.py from _config.yml and locales/<code>/config.yml: "
            "edit those.\n" + yaml.safe_dump(edition_config(book_root, code, overrides),
                                            allow_unicode=True, sort_keys=False, width=100))
    output.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def edition_output(path_output: Path, code: str) -> Path:
    """The --path-output of edition ``code``'s build, for the book's --path-output ``path_output``."""
    return path_output / "_build" / code


def publish_edition(path_output: Path, code: str) -> Path:
    """Copy edition ``code``'s HTML into the English site's folder ``<code>/`` (replacing it)."""
    built = edition_output(path_output, code) / "_build" / "html"
    published = path_output / "_build" / "html" / code
    if published.exists():
        shutil.rmtree(published)
    shutil.copytree(built, published)
    return published


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "config":
        sys.exit(__doc__)
    print(write_edition_config(Path.cwd(), sys.argv[2], Path(sys.argv[3])))
