// The version switcher lists the book's editions from switcher.json. A page
// read from disk (file://) may not fetch it: the browser forbids it and
// reports an error. There the switcher is left out; every edition is
// online, and the page itself says which edition it is in its "Cite this
// chapter" block.
if (window.location.protocol === "file:") {
  delete DOCUMENTATION_OPTIONS.theme_switcher_json_url;
  document.documentElement.classList.add("read-from-disk");
}
