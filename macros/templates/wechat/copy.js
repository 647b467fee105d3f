// The 复制到公众号 button of the preview's 公众号 edition (macros/channels/wechat.py). A file, not an
// inline script: the site's Content-Security-Policy will allow scripts from its own origin only.
// Rich HTML goes to the clipboard with the Clipboard API (text/html and text/plain); where that
// is missing or refused (an old browser, a preview not opened on localhost), the edition is
// selected and copied with the older copy command, or left selected for Ctrl+C.
// The preview shows pictures from itself; what is copied has their published addresses
// (data-wechat-src), the ones WeChat fetches.
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

  // the edition as it goes to WeChat, built in a document without a window, so that setting
  // the published addresses loads nothing
  function publishedHtml() {
    var inert = document.implementation.createHTMLDocument("");
    var copy = inert.importNode(edition, true);
    var pictures = copy.querySelectorAll("img[data-wechat-src]");
    for (var i = 0; i < pictures.length; i++) {
      pictures[i].setAttribute("src", pictures[i].getAttribute("data-wechat-src"));
      pictures[i].removeAttribute("data-wechat-src");
    }
    return copy.innerHTML;
  }

  function plainText() {
    return edition.innerText;
  }

  function wholeEditionSelected() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount !== 1) {
      return false;
    }
    var range = selection.getRangeAt(0);
    return range.startContainer === edition && range.startOffset === 0 &&
      range.endContainer === edition && range.endOffset === edition.childNodes.length;
  }

  // Ctrl+C or the copy command on the selected edition copies the published edition too
  document.addEventListener("copy", function (event) {
    if (wholeEditionSelected() && event.clipboardData) {
      event.clipboardData.setData("text/html", publishedHtml());
      event.clipboardData.setData("text/plain", plainText());
      event.preventDefault();
    }
  });

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
      ? "已复制（全文已选中）。请到公众号图文编辑器的正文里粘贴。"
      : "浏览器不允许自动复制：全文已选中，请按 Ctrl+C（苹果电脑 ⌘+C）复制，再到公众号编辑器粘贴。");
  }

  button.addEventListener("click", function () {
    if (!window.isSecureContext || !navigator.clipboard || !navigator.clipboard.write ||
        typeof window.ClipboardItem === "undefined") {
      fallback();
      return;
    }
    var item = new window.ClipboardItem({
      "text/html": new Blob([publishedHtml()], { type: "text/html" }),
      "text/plain": new Blob([plainText()], { type: "text/plain" })
    });
    navigator.clipboard.write([item]).then(function () {
      say("已复制。请到公众号图文编辑器的正文里粘贴（Ctrl+V，苹果电脑 ⌘+V）。");
    }, fallback);
  });
})();
