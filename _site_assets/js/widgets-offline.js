/* Glue between the ipywidgets HTML manager and the assets the site serves itself.
 * myst-nb loads this file on pages with saved widget state, after RequireJS (nb_ipywidgets_js in
 * _config.yml); html_extra_path copies it to <site>/js/.
 *
 * 1. RequireJS: the HTML manager asks RequireJS for its own files (icon fonts) under the module
 *    names "@jupyter-widgets/..."; map them to the site's vendor folder, or those requests 404
 *    (or, with the default config, go to a CDN).
 * 2. The HTML manager (3.6 MB of script) is loaded once the page has loaded, not before: the text
 *    and the formulas (typeset at build time, _ext/prerender_math.py) come first, the widget panels
 *    (drawn disabled on the static site) a moment later.
 * 3. MathJax: the widget manager typesets through the MathJax 2 API (MathJax.Hub.Queue), which
 *    MathJax 3 no longer has, and the page itself loads no MathJax (its formulas are typeset
 *    already). Give each MathJax object a Hub whose Queue loads MathJax 3 on first use and forwards
 *    to its typesetPromise.
 */
(function () {
  "use strict";
  // This file is <site>/js/widgets-offline.js, so the site root is one folder up.
  var siteRoot = new URL("..", document.currentScript.src).href;
  var requireConfig = {
    paths: {
      "@jupyter-widgets/html-manager/dist": siteRoot + "vendor/html-manager",
      // The bundle defines @jupyter-widgets/base, /controls, ... itself, and each finds its icon
      // fonts beside the URL RequireJS gives its name: make that the vendor folder too, or the
      // fonts are looked for under <page folder>/@jupyter-widgets/ and 404.
      "@jupyter-widgets": siteRoot + "vendor/html-manager",
    },
  };
  if (typeof window.require === "function" && typeof window.require.config === "function") {
    window.require.config(requireConfig);
  } else {
    // RequireJS reads a global `require` object as its configuration when it loads.
    window.require = requireConfig;
  }

  function loadScript(src, attributes) {
    var script = document.createElement("script");
    script.src = src;
    Object.keys(attributes || {}).forEach(function (name) { script.setAttribute(name, attributes[name]); });
    document.head.appendChild(script);
  }

  function loadMathJax() {
    if (!document.querySelector('script[src*="vendor/mathjax/"]')) {
      loadScript(siteRoot + "vendor/mathjax/tex-mml-chtml.js");
    }
  }

  function typesetWhenReady(elements) {
    var mathjax = window.MathJax;
    if (mathjax && mathjax.startup && mathjax.startup.promise && mathjax.typesetPromise) {
      return mathjax.startup.promise.then(function () {
        return mathjax.typesetPromise(elements.length ? elements : undefined);
      });
    }
    loadMathJax();
    // MathJax is still loading: try again shortly.
    return new Promise(function (resolve) { setTimeout(resolve, 50); }).then(function () {
      return typesetWhenReady(elements);
    });
  }

  // TeX delimiters MathJax looks for: $...$ (which ipywidgets turns on), $$, \(...\) and \[...\].
  var TEX_DELIMITER = /\$|\\\(|\\\[/;

  var hub = {
    // Queue(["Typeset", MathJax.Hub, element], ...) in MathJax 2; other queued actions are ignored.
    // The widgets ask for every label they draw; only one that holds TeX is worth loading MathJax.
    Queue: function () {
      var elements = [];
      for (var i = 0; i < arguments.length; i++) {
        var action = arguments[i];
        if (Array.isArray(action) && action[0] === "Typeset" && action[2] &&
            TEX_DELIMITER.test(action[2].textContent || "")) {
          elements.push(action[2]);
        }
      }
      if (!elements.length) return;
      typesetWhenReady(elements).catch(function (error) { console.error("MathJax typeset failed", error); });
    },
  };

  function attachHub(mathjax) {
    if (mathjax && typeof mathjax === "object" && !Object.prototype.hasOwnProperty.call(mathjax, "Hub")) {
      // Not enumerable, so MathJax 3 does not read it as a configuration option.
      Object.defineProperty(mathjax, "Hub", { value: hub, enumerable: false, configurable: true });
    }
  }

  // Widgets typeset only when window.MathJax exists, so give them one to find before MathJax is
  // loaded: a configuration that typesets nothing on start-up (the page's formulas are typeset
  // already), only what a widget asks for. MathJax 3 replaces it with itself when it loads (as it
  // does Sphinx's configuration object); catch every assignment.
  var current = window.MathJax || { startup: { typeset: false } };
  attachHub(current);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = value; attachHub(value); },
  });

  function loadWidgetManager() {
    // embed-amd.js renders the saved widget views at once when the document has loaded; it reads
    // data-jupyter-widgets-cdn for modules its bundle lacks (none here): keep that local too.
    loadScript(siteRoot + "vendor/html-manager/embed-amd.js",
               { "data-jupyter-widgets-cdn": siteRoot + "vendor/npm/" });
  }
  if (document.readyState === "complete") {
    loadWidgetManager();
  } else {
    window.addEventListener("load", loadWidgetManager);
  }
})();
