/* Accessibility fixes for markup the themes emit (found by the axe-core scan in tests/test_site.py).
 * Jupyter Book loads every .js file in _static/ on every page. */
(function () {
  "use strict";
  function fix() {
    // WCAG 2.5.3 "label in name": the search field's aria-label ("Search") hides its visible text
    // ("Search Ctrl+K"); without it the button is named by what it shows.
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label");
    });
    // The colour-mode button is named by its aria-label; its icons are decoration, not a second,
    // different name (with Font Awesome's script, which _templates/layout.html drops, they would be
    // <svg role="img"> with a <title>).
    document.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("role");
      icon.removeAttribute("aria-labelledby");
      icon.removeAttribute("title");
      icon.querySelectorAll("title").forEach(function (title) { title.remove(); });
    });
    // docutils marks bibliography entries role="doc-biblioentry" (deprecated in DPUB-ARIA 1.1)
    // inside role="list": make them list items, which the list role requires.
    document.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }
  // ipywidgets sliders (noUiSlider) leave their handle, the focusable role="slider", unnamed; the
  // visible description beside it is a separate <label>. Name each handle after it, as the
  // widget manager draws them (after page load).
  function nameSliderHandles() {
    document.querySelectorAll(".widget-slider .noUi-handle:not([aria-label])").forEach(function (handle) {
      var label = handle.closest(".widget-slider").querySelector(".widget-label");
      var text = label ? label.textContent.trim() : "";
      handle.setAttribute("aria-label", text || "value");
    });
  }
  // Run once the page is parsed, and once more on load.
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(fix, 0);
    // The theme may redraw the icons later: fix them whenever the button's content changes.
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      new MutationObserver(fix).observe(button, { childList: true, subtree: true });
    });
    if (document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]')) {
      new MutationObserver(nameSliderHandles).observe(document.body, { childList: true, subtree: true });
    }
  });
  window.addEventListener("load", fix);
})();
