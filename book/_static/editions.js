// The book's editions (book/_ext/editions.py).
//
// The version switcher lists the editions from switcher.json. A page read
// from disk (file://) may not fetch it: the browser forbids it. There the
// switcher reads the same list from _static/switcher.js, which the page
// has loaded, given to the theme as a data: address; its links lead to
// the editions online.
//
// The theme's banner on an old edition speaks of "documentation" and a
// "stable version"; a book has editions, so its words are changed here.
(function () {
  "use strict";
  if (window.location.protocol === "file:") {
    if (window.MathsForMLEditions) {
      DOCUMENTATION_OPTIONS.theme_switcher_json_url =
        "data:application/json;charset=utf-8," +
        encodeURIComponent(JSON.stringify(window.MathsForMLEditions));
    } else {
      // No list to read: no switcher, rather than a failed fetch.
      delete DOCUMENTATION_OPTIONS.theme_switcher_json_url;
    }
  }

  function reword(banner) {
    var message = banner.querySelector(".sidebar-message");
    var bold = message && message.querySelector("strong");
    var button = banner.querySelector(".pst-button-link-to-stable-version");
    if (!bold || !button || banner.dataset.reworded) return;
    banner.dataset.reworded = "true";
    message.firstChild.textContent = "This is ";
    var version = DOCUMENTATION_OPTIONS.VERSION;
    if (bold.innerText.indexOf("old version") !== -1) {
      bold.innerText = "an old edition of the book (v" + version + ")";
    }
    button.innerText = "Read this page in the latest edition";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var banner = document.getElementById("bd-header-version-warning");
    if (!banner) return;
    new MutationObserver(function () {
      reword(banner);
    }).observe(banner, { childList: true, subtree: true });
  });
})();
