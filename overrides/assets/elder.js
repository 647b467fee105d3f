/* 长者模式 (DEVELOPING.md#elder): large text, wide lines, strong contrast, large tap targets.
   Loaded as a blocking file in <head> (no inline script: the site's CSP allows only 'self'),
   so html.qc-elder is set before the first paint and large text never flashes small. */
(function () {
  var KEY = "qc.elder", root = document.documentElement;

  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } // storage off: normal text
  }

  function apply(on) {
    root.classList.toggle("qc-elder", on);
    var buttons = document.querySelectorAll("[data-qc-elder]");
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
  }

  apply(stored());
  document.addEventListener("DOMContentLoaded", function () { apply(root.classList.contains("qc-elder")); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-qc-elder]");
    if (!button) return;
    var on = !root.classList.contains("qc-elder");
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* kept for this page only */ }
    apply(on);
  });
  window.addEventListener("storage", function (event) { // another tab switched it
    if (event.key === KEY) apply(event.newValue === "1");
  });
})();
