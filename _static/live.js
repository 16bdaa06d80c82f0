/* "Run live in your browser" beside every static panel of a live chapter (see _ext/live_links.py).
 * A page whose chapter runs in JupyterLite carries <meta name="w2v-live-url">; the static panels
 * (drawn by the widget manager after the page loads) say they are a static copy
 * (.w2v-static-note). Beside each such note this adds a button that opens the chapter live, as
 * the launch menu's first entry does. Browsers without WebAssembly cannot run Pyodide: for them
 * nothing is added and the launch menu's entry is hidden; the static figures stay.
 * Jupyter Book loads every .js file in _static/ on every page. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="w2v-live-url"]');
  if (!meta) return;
  var url = meta.getAttribute("content");
  // The button's words, in the page's language (_ext/live_links.py).
  function said(name) {
    var tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.getAttribute("content") : "";
  }
  var wasm = typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function";

  function hideMenuEntry() {
    document.querySelectorAll(".btn-launch-live-button").forEach(function (entry) {
      (entry.closest("li") || entry).style.display = "none";
    });
  }

  function addButtons() {
    document.querySelectorAll(".w2v-static-note").forEach(function (note) {
      if (note.querySelector(".w2v-live-button")) return;
      var link = document.createElement("a");
      link.className = "w2v-live-button";
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = said("w2v-live-label");
      link.title = said("w2v-live-title");
      note.appendChild(link);
    });
  }

  function start() {
    if (!wasm) { hideMenuEntry(); return; }
    addButtons();
    // The widget manager draws the panels after the page has loaded.
    new MutationObserver(addButtons).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
