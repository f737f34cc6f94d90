// anjian: the accept page of a public report (issue 8 item 6). A town has thousands of enterprises and hazards: their
// selects become drop-downs you can type into (Tom Select, vendored). A static file: the CSP allows no inline script.
// Without JavaScript the plain selects still work.
(function () {
  "use strict";
  function enhance() {
    if (typeof window.TomSelect === "undefined") {
      return;
    }
    document.querySelectorAll("select[data-searchable]").forEach(function (select) {
      if (!select.tomselect) {
        // Only the first matches are drawn while typing: drawing thousands of options at once is slow on a phone.
        new window.TomSelect(select, {maxOptions: 200, allowEmptyOption: true});
      }
    });
  }
  document.addEventListener("DOMContentLoaded", enhance);
})();
