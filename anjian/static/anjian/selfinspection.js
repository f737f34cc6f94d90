// The self-inspection fill page (issue 8 item 2): a failed item's note becomes required, so the browser asks for
// it before sending; the server checks the same (anjian.hazards.services_checklists). Works without this file.
(function () {
  "use strict";
  var form = document.getElementById("selfinspection-form");
  if (!form) {
    return;
  }
  var message = form.getAttribute("data-note-required") || "";
  function sync(card) {
    var failed = card.querySelector(".si-result-fail");
    var note = card.querySelector(".si-note");
    if (!failed || !note) {
      return;
    }
    note.required = failed.checked;
    note.setCustomValidity("");
  }
  var cards = form.querySelectorAll(".si-card");
  cards.forEach(function (card) {
    sync(card);
    card.addEventListener("change", function () { sync(card); });
  });
  form.addEventListener("invalid", function (event) {
    if (event.target.classList.contains("si-note") && event.target.validity.valueMissing) {
      event.target.setCustomValidity(message);
    }
  }, true);
  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("si-note")) {
      event.target.setCustomValidity("");
    }
  });
  var errors = document.getElementById("si-errors");
  var firstBad = form.querySelector(".si-card.border-danger");
  if (errors && firstBad) {
    firstBad.scrollIntoView({ block: "center" });
  }
})();
