#!/usr/bin/env bash
# Install the browser assets the website serves itself, so that no page needs a CDN:
# MathJax 3, RequireJS and the ipywidgets HTML manager (plus axe-core, used by the browser tests),
# and Pyodide's runtime for the live chapters (into lite/pyodide, see lite/README.md).
# Versions come from package-lock.json (exact, with integrity hashes) via `npm ci`.
# The files a page loads are copied into _site_assets/vendor/ (_site_assets is named in _config.yml's
# html_extra_path, so Sphinx copies them to _build/html/vendor/; not under _static/: Jupyter Book
# would add a <script> tag for every .js file there).
# Usage: scripts/vendor-assets.sh   (run by `make book`; re-run whenever package-lock.json changes)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/system-deps.sh node
# --ignore-scripts: we only need the published files, never a package's install hook.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

modules=node_modules
out=_site_assets/vendor
rm -rf "$out"
mkdir -p "$out/mathjax" "$out/requirejs" "$out/html-manager"

# MathJax: the combined TeX+MathML/CHTML component and the pieces it loads on demand
# (TeX extensions via autoload, CHTML fonts, the context menu and its accessibility parts), from
# mathjax-full's es5/ folder: the same package _ext/prerender_math.js typesets with at build time.
mathjax=$modules/mathjax-full/es5
cp "$mathjax/tex-mml-chtml.js" "$out/mathjax/"
cp -r "$mathjax/input" "$mathjax/output" "$mathjax/a11y" "$mathjax/sre" "$mathjax/ui" \
      "$mathjax/adaptors" "$out/mathjax/"
rm -rf "$out/mathjax/output/svg" "$out/mathjax/output/svg.js"   # the site renders CHTML only
cp "$modules/mathjax-full/LICENSE" "$out/mathjax/"

cp "$modules/requirejs/require.js" "$out/requirejs/"
cp "$modules/requirejs/README.md" "$out/requirejs/" 2>/dev/null || true   # carries its MIT licence note

# The HTML manager bundle renders the saved widget state; its icon fonts sit beside it.
manager=$modules/@jupyter-widgets/html-manager/dist
cp "$manager/embed-amd.js" "$manager/libembed-amd.js" "$out/html-manager/"
find "$manager" -maxdepth 1 -regextype posix-extended -regex '.*\.(woff2?|ttf|eot|svg)$' \
     -exec cp {} "$out/html-manager/" \;
cp "$modules/@jupyter-widgets/html-manager/LICENSE" "$out/html-manager/" 2>/dev/null || true

# Pyodide's runtime (WebAssembly CPython, its standard library, and pyodide-lock.json with the
# sha256 of every official package) for the live chapters: scripts/build-lite.py stages it with the
# package wheels it checks against that lock. Outside _site_assets: Sphinx does not copy it.
pyodide_out=lite/pyodide
rm -rf "$pyodide_out"
mkdir -p "$pyodide_out"
for file in pyodide.js pyodide.mjs pyodide.asm.js pyodide.asm.wasm python_stdlib.zip \
            pyodide-lock.json package.json README.md; do
  cp "$modules/pyodide/$file" "$pyodide_out/"
done

# Record what was installed, for people and for the tests.
node -e '
  const lock = require("./package-lock.json").packages;
  const want = ["mathjax-full", "requirejs", "@jupyter-widgets/html-manager", "axe-core", "pyodide"];
  const versions = Object.fromEntries(want.map(n => [n, lock["node_modules/" + n].version]));
  require("fs").writeFileSync(process.argv[1], JSON.stringify(versions, null, 2) + "\n");
' "$out/versions.json"
echo "vendored into $out: $(tr -d '\n ' < "$out/versions.json")"
