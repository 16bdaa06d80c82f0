/* The language button (_ext/editions.py) leads to the same page in the other edition: open it in
 * this tab, as a reader expects of a language switch (the theme opens header links in a new one).
 * Jupyter Book loads every .js file in _static/ on every page. */
(function () {
  "use strict";
  function sameTab() {
    document.querySelectorAll('a[class*="btn-edition-"]').forEach(function (link) {
      link.removeAttribute("target");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sameTab);
  else sameTab();
})();
