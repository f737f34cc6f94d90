// anjian: small behaviour shared by every page (no framework beyond htmx and Bootstrap).
(function () {
  "use strict";
  // Let htmx swap form pages answered with 422 (validation errors), so inline errors show up.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Filter forms send only the filters in use, so the pushed URL (and the export link) stays readable.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("#filter-form");
    var data = event.detail.formData;
    if (!form || !data) {
      return;
    }
    var unused = [];
    data.forEach(function (value, key) {
      if (value === "" || value === "unknown") {
        unused.push(key);
      }
    });
    unused.forEach(function (key) { data.delete(key); });
  });
  // Selects marked data-submit-on-change send their form at once (the language switch): no inline handlers, which
  // the Content-Security-Policy (script-src 'self') refuses.
  document.addEventListener("change", function (event) {
    var target = event.target.closest && event.target.closest("[data-submit-on-change]");
    if (target && target.form) {
      target.form.submit();
    }
  });
  // Buttons marked data-confirm ask first (e.g. deletions reached from a list).
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
