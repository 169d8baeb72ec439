// educluster site (hand-written): the search index (about 1.7 MB, most of a page's weight)
// loads when the reader turns to search, not with every page. mkdocs-material 9.8 requests
// search/search_index.json with an XMLHttpRequest as its script starts; this script, loaded
// in <head> before the theme's (site/overrides/main.html), holds that one request back until
// the search box gets focus or is clicked (also by the keys / and s, which focus it), or the
// address asks for a search (?q=). Nothing else is changed. Decision 0025 says why.
(function () {
  "use strict";
  var wanted = false, held = [];
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  function release() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (go) { go(); });
  }
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.ecUrl = String(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!wanted && INDEX.test(xhr.ecUrl || "")) {
      held.push(function () { send.apply(xhr, args); });
      return undefined;
    }
    return send.apply(xhr, args);
  };
  function searchy(e) {
    return e.target && e.target.closest && e.target.closest(".md-search, label[for='__search']");
  }
  document.addEventListener("focusin", function (e) { if (searchy(e)) release(); }, true);
  document.addEventListener("pointerdown", function (e) { if (searchy(e)) release(); }, true);
  document.addEventListener("click", function (e) { if (searchy(e)) release(); }, true);
  if (/[?&]q=/.test(location.search)) release();
})();
