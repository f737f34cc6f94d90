// anjian: searchable drop-downs in list filter forms (Tom Select, vendored under vendor/tom-select).
// Every <select multiple> of a filter form, and every single select longer than LONG options (the region filter
// lists some 650 villages), becomes a drop-down you can type into, instead of a list box to Ctrl-click through.
// A static file on purpose: the Content-Security-Policy forbids inline scripts. Runs on page load and again on
// content htmx swaps in or restores from its history cache. Without JavaScript the plain selects still work.
(function () {
  "use strict";
  var LONG = 15;

  function texts(form) {
    return {
      any: form.getAttribute("data-any") || "",
      none: form.getAttribute("data-no-results") || "",
      remove: form.getAttribute("data-remove") || "",
    };
  }

  // A select copied back from htmx's history cache carries Tom Select's classes and wrapper but not the instance.
  function reset(select) {
    var next = select.nextElementSibling;
    if (next && next.classList.contains("ts-wrapper")) {
      next.remove();
    }
    select.classList.remove("tomselected", "ts-hidden-accessible");
    select.removeAttribute("tabindex");
  }

  function enhance(select, words) {
    if (select.tomselect) {
      return;
    }
    reset(select);
    var multiple = select.multiple;
    var instance = new TomSelect(select, {
      plugins: multiple ? {remove_button: {title: words.remove}} : [],
      maxOptions: null,
      allowEmptyOption: !multiple,
      closeAfterSelect: !multiple,
      hidePlaceholder: multiple,
      placeholder: multiple ? words.any : undefined,
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = words.none;
          return div;
        },
      },
    });
    // Typing a search is not a filter change: only picking an option (the select's own change) reloads the list.
    if (instance.control_input) {
      instance.control_input.addEventListener("change", function (event) { event.stopPropagation(); });
    }
  }

  function enhanceAll() {
    if (typeof window.TomSelect === "undefined") {
      return;
    }
    document.querySelectorAll("form[data-searchable-selects]").forEach(function (form) {
      var words = texts(form);
      form.querySelectorAll("select").forEach(function (select) {
        if (select.multiple || select.options.length > LONG) {
          enhance(select, words);
        }
      });
    });
  }

  // Back/forward restores a page from htmx's cache, with the filter form as it was when the page was left (or as
  // first rendered): show the filters of the restored address instead, so the form says what the list shows.
  function syncFromAddress() {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-searchable-selects]").forEach(function (form) {
      form.querySelectorAll("select[name]").forEach(function (select) {
        var values = params.getAll(select.name);
        Array.prototype.forEach.call(select.options, function (option) {
          var on = values.indexOf(option.value) !== -1 || (!values.length && !select.multiple && option.value === "");
          option.selected = on;
          option.toggleAttribute("selected", on);
        });
        if (select.tomselect) {
          select.tomselect.sync();  // an instance htmx:load made from the cached form: read the select again
        }
      });
      form.querySelectorAll("input[name]:not([type=hidden])").forEach(function (input) {
        input.value = params.get(input.name) || "";
      });
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(enhanceAll);
    document.addEventListener("htmx:historyRestore", function () {
      syncFromAddress();
      enhanceAll();
    });
  } else {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  }
})();
