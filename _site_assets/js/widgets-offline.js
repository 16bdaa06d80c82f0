/* Glue between the ipywidgets HTML manager and the assets the site serves itself.
 * myst-nb loads this file on pages with saved widget state, after RequireJS and before the
 * HTML manager (nb_ipywidgets_js in _config.yml); html_extra_path copies it to <site>/js/.
 *
 * 1. RequireJS: the HTML manager asks RequireJS for its own files (icon fonts) under the module
 *    name "@jupyter-widgets/html-manager/dist"; map that to the site's vendor folder, or those
 *    requests 404 (or, with the default config, go to a CDN).
 * 2. MathJax: the widget manager typesets through the MathJax 2 API (MathJax.Hub.Queue), which
 *    MathJax 3 no longer has; every widget page would throw. Give each MathJax object a Hub whose
 *    Queue forwards to MathJax 3's typesetPromise once MathJax has started.
 */
(function () {
  "use strict";
  // This file is <site>/js/widgets-offline.js, so the site root is one folder up.
  var siteRoot = new URL("..", document.currentScript.src).href;
  var requireConfig = {
    paths: { "@jupyter-widgets/html-manager/dist": siteRoot + "vendor/html-manager" },
  };
  if (typeof window.require === "function" && typeof window.require.config === "function") {
    window.require.config(requireConfig);
  } else {
    // RequireJS reads a global `require` object as its configuration when it loads.
    window.require = requireConfig;
  }

  function typesetWhenReady(elements) {
    var mathjax = window.MathJax;
    if (mathjax && mathjax.startup && mathjax.startup.promise && mathjax.typesetPromise) {
      return mathjax.startup.promise.then(function () {
        return mathjax.typesetPromise(elements.length ? elements : undefined);
      });
    }
    // MathJax (deferred) has not loaded yet: it typesets the whole page when it starts, but the
    // widget may add its element later, so try again shortly.
    return new Promise(function (resolve) { setTimeout(resolve, 50); }).then(function () {
      return typesetWhenReady(elements);
    });
  }

  var hub = {
    // Queue(["Typeset", MathJax.Hub, element], ...) in MathJax 2; other queued actions are ignored.
    Queue: function () {
      var elements = [];
      for (var i = 0; i < arguments.length; i++) {
        var action = arguments[i];
        if (Array.isArray(action) && action[0] === "Typeset" && action[2]) elements.push(action[2]);
      }
      typesetWhenReady(elements).catch(function (error) { console.error("MathJax typeset failed", error); });
    },
  };

  function attachHub(mathjax) {
    if (mathjax && typeof mathjax === "object" && !Object.prototype.hasOwnProperty.call(mathjax, "Hub")) {
      // Not enumerable, so MathJax 3 does not read it as a configuration option.
      Object.defineProperty(mathjax, "Hub", { value: hub, enumerable: false, configurable: true });
    }
  }

  // Sphinx assigns the MathJax configuration object and MathJax 3 replaces it with itself when it
  // loads; catch both assignments.
  var current = window.MathJax;
  attachHub(current);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = value; attachHub(value); },
  });
})();
