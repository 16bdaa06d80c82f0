#!/usr/bin/env bash
# Make sure the Debian tools a target needs are present. As root, install what is missing
# with apt-get; otherwise stop and name every missing tool and the package that provides it.
# Usage: scripts/system-deps.sh GROUP...   (groups: node, browser, sitefont, pdf)
set -euo pipefail

declare -A need=()   # command or file -> Debian package
for group in "$@"; do
  case "$group" in
    node)    need[node]=nodejs; need[npm]=npm ;;
    browser) need[/usr/bin/chromium]=chromium ;;
    sitefont) need[/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf]=fonts-ipaexfont-gothic ;;
    pdf)     need[xelatex]=texlive-xetex; need[latexmk]=latexmk
             need[pdftotext]=poppler-utils; need[pdftoppm]=poppler-utils; need[pdfimages]=poppler-utils
             need[/usr/share/texlive/texmf-dist/tex/latex/capt-of/capt-of.sty]=texlive-latex-extra
             need[/usr/share/texlive/texmf-dist/tex/xelatex/xecjk/xeCJK.sty]=texlive-lang-cjk
             need[/usr/share/texlive/texmf-dist/tex/latex/ctex/ctexhook.sty]=texlive-lang-chinese
             need[/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf]=fonts-ipaexfont-mincho
             need[/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf]=fonts-ipaexfont-gothic
             need[/usr/share/fonts/opentype/freefont/FreeSerif.otf]=fonts-freefont-otf
             need[/usr/share/texlive/texmf-dist/tex/latex/unicode-math/unicode-math.sty]=texlive-latex-recommended
             need[/usr/share/texlive/texmf-dist/fonts/type1/urw/times/utmr8a.pfb]=texlive-fonts-recommended
             # Jupyter Book's LaTeX class loads pgfplots; unicode-math sets formulas in Latin Modern Math.
             need[/usr/share/texlive/texmf-dist/tex/latex/pgfplots/pgfplots.sty]=texlive-pictures
             need[/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf]=fonts-lmodern
             need[makeindex]=texlive-binaries ;;
    *) echo "system-deps.sh: unknown group '$group' (use node, browser, sitefont, pdf)" >&2; exit 2 ;;
  esac
done

missing=()
for tool in "${!need[@]}"; do
  if [[ "$tool" == /* ]]; then [[ -e "$tool" ]] || missing+=("$tool"); else command -v "$tool" >/dev/null || missing+=("$tool"); fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

packages=$(for tool in "${missing[@]}"; do echo "${need[$tool]}"; done | sort -u | tr '\n' ' ')
if [[ $(id -u) -ne 0 ]]; then
  echo "Missing: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install --no-install-recommends $packages" >&2
  exit 1
fi
echo "Installing Debian packages: $packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
