// anjian: the chemical inputs of the hazard unit form (issue 9 item 2). Typing a name, alias, pinyin initials or CAS
// asks the catalogue API (GET /api/v1/chemicals/?search=) and offers its best matches in the shared <datalist>;
// picking one fills the row's hidden catalogue id, so two catalogue rows of one name stay apart. Without JavaScript
// the typed text is resolved on the server (an exact name, alias or CAS; otherwise the nearest names are shown).
// A static file on purpose: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var list = document.getElementById("chemical-options");
  if (!list) {
    return;
  }
  var found = {};
  var timer = null;

  function label(item) {
    return item.name;
  }

  function fill(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = label(item);
      option.textContent = (item.cas ? item.cas + " " : "") + (item.aliases || []).join("、");
      list.appendChild(option);
      found[label(item)] = item.id;
    });
  }

  function search(input) {
    var query = input.value.trim();
    if (!query) {
      return;
    }
    var url = input.getAttribute("data-search-url") + "?search=" + encodeURIComponent(query);
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {results: []}; })
      .then(function (body) { fill(body.results || []); })
      .catch(function () { /* the server resolves the typed text instead */ });
  }

  function hiddenOf(input) {
    var row = input.closest("[data-chemical-row]");
    return row ? row.querySelector("input[type=hidden][name$='-chemical']") : null;
  }

  document.querySelectorAll("input[data-chemical-search]").forEach(function (input) {
    input.addEventListener("input", function () {
      var hidden = hiddenOf(input);
      if (hidden) {
        hidden.value = found[input.value] !== undefined ? found[input.value] : "";
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { search(input); }, 250);
    });
  });
})();
