/* Typeset TeX into MathJax CHTML markup at build time, for _ext/prerender_math.py.
 *
 * The same MathJax as the site's runtime copy (both are mathjax-full, from package-lock.json: the
 * browser gets its es5/ bundles), run in Node, so a reader's browser only lays out finished markup.
 *
 * Protocol: one JSON request per line on stdin, one JSON reply per line on stdout.
 *   request  {"formulas": [{"tex": "x^2", "display": false}, ...], "fontURL": "../vendor/..."}
 *   reply    {"html": ["<mjx-container ...>", ...], "css": "..."}   (one entry per formula)
 *            {"error": "TeX error message", "index": 3}               (the first formula that failed)
 * Each request is one page: it gets a fresh MathJax document, so "css" holds the styles of exactly
 * the characters that page uses.
 */
"use strict";

const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
// Assistive MathML: a hidden MathML copy of each formula, which screen readers read.
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

// Every TeX package the browser's autoloader could reach, minus "noundefined" (which would draw an
// unknown macro in red instead of failing the build) and "bussproofs" (proof trees, which need a
// second layout pass that a DOM-less document cannot do).
const PACKAGES = AllPackages.filter((name) => !["noundefined", "bussproofs"].includes(name));

// In a browser MathJax measures the surrounding font and scales each formula so that its x-height
// matches the text's. Without a browser, assume the x-height of common sans-serif UI fonts (Segoe UI
// 0.50 em, San Francisco and Roboto 0.53, DejaVu Sans 0.55): 0.53 em, so formulas are drawn at
// 0.53 / 0.442 (the x-height of MathJax's TeX fonts) = 120 %.
const X_HEIGHT = 0.53;
const METRICS = { em: 16, ex: 16 * X_HEIGHT, scale: X_HEIGHT / 0.442 };

class FormulaError extends Error {}

function typesetPage(formulas, fontURL) {
  const tex = new TeX({
    packages: PACKAGES,
    // An error in the TeX fails the build, instead of becoming a red box on the page.
    formatError: (_jax, error) => { throw new FormulaError(error.message); },
  });
  const chtml = new CHTML({ fontURL });
  const document = mathjax.document("", { InputJax: tex, OutputJax: chtml });
  const html = formulas.map((formula, index) => {
    try {
      return adaptor.outerHTML(document.convert(formula.tex, { display: formula.display, ...METRICS }));
    } catch (error) {
      error.index = index;
      throw error;
    }
  });
  return { html, css: adaptor.textContent(chtml.styleSheet(document)) };
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let reply;
  try {
    const request = JSON.parse(line);
    reply = typesetPage(request.formulas, request.fontURL);
  } catch (error) {
    reply = { error: error.message, index: error.index === undefined ? null : error.index };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
