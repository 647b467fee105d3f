// The search page's Pagefind UI (macros/templates/pages/search.md), in a file rather than an
// inline <script>: the site's Content-Security-Policy (script-src 'self') runs no inline script.
window.addEventListener("DOMContentLoaded", function () {
  var ui = new PagefindUI({ element: "#search", showSubResults: false, showImages: false, resetStyles: false });
  var query = new URLSearchParams(location.search).get("q");
  if (query) { ui.triggerSearch(query); }
  var input = document.querySelector("#search input");
  if (input && !query) { input.focus(); }
});
