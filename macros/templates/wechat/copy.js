// The 复制到公众号 button of the preview's 公众号 edition (macros/wechat.py). A file, not an
// inline script: the site's Content-Security-Policy will allow scripts from its own origin only.
// Rich HTML goes to the clipboard with the Clipboard API (text/html and text/plain); where that
// is missing or refused (an old browser, a page not served over https or localhost), the
// edition is selected and copied with the older copy command, or left selected for Ctrl+C.
(function () {
  "use strict";
  var button = document.getElementById("qc-wechat-copy");
  var edition = document.getElementById("qc-wechat-edition");
  var status = document.getElementById("qc-wechat-status");
  if (!button || !edition || !status) {
    return;
  }

  function say(text) {
    status.textContent = text;
  }

  function selectEdition() {
    var range = document.createRange();
    range.selectNodeContents(edition);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallback() {
    selectEdition();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(copied
      ? "已复制（已选中全文）。请到公众号图文编辑器的正文里粘贴。"
      : "浏览器不允许自动复制：全文已选中，请按 Ctrl+C（苹果电脑 ⌘+C）复制，再到公众号编辑器粘贴。");
  }

  button.addEventListener("click", function () {
    var html = edition.innerHTML;
    var text = edition.innerText;
    if (!window.isSecureContext || !navigator.clipboard || !navigator.clipboard.write ||
        typeof window.ClipboardItem === "undefined") {
      fallback();
      return;
    }
    var item = new window.ClipboardItem({
      "text/html": new Blob([html], { type: "text/html" }),
      "text/plain": new Blob([text], { type: "text/plain" })
    });
    navigator.clipboard.write([item]).then(function () {
      say("已复制。请到公众号图文编辑器的正文里粘贴（Ctrl+V，苹果电脑 ⌘+V）。");
    }, fallback);
  });
})();
