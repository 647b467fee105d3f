// The editors' desk: run before sveltia-cms.js. Sveltia CMS fetches its interface strings,
// other than English, from unpkg.com, and once an hour asks unpkg.com for a newer version.
// Readers and editors are in mainland China and /admin/'s CSP allows no other host, so:
// - the strings come from this folder (locales/zh-CN.json, copied from the pinned package);
// - the version check is answered here, with nothing (the version is pinned in package.json);
// - the interface is in Chinese unless the editor has chosen another language in its settings.
(function () {
  "use strict";
  var CDN = "https://unpkg.com/@sveltia/cms";
  var here = new URL(".", document.currentScript.src);
  var original = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.indexOf(CDN) === 0) {
      var locale = /\/locales\/([A-Za-z-]+)\.json$/.exec(url);
      if (locale) return original(new URL("locales/" + locale[1] + ".json", here), init);
      return Promise.resolve(new Response("{}", { status: 404 }));
    }
    return original(input, init);
  };
  try {
    var prefs = JSON.parse(localStorage.getItem("sveltia-cms.prefs") || "{}") || {};
    if (!prefs.locale) {
      prefs.locale = "zh-CN";
      localStorage.setItem("sveltia-cms.prefs", JSON.stringify(prefs));
    }
  } catch (error) { /* private mode: the browser's language decides */ }
})();
