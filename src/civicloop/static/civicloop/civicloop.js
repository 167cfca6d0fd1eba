// The pages' own behaviour, kept in a static file so the Content-Security-Policy can forbid inline scripts
// (no <script> blocks, no on…= attributes, no javascript: links in templates; docs/decisions.md, issue 21).
(function () {
  "use strict";

  // Let htmx swap error fragments (4xx answers carrying HX-Retarget) instead of dropping them.
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.status >= 400 && e.detail.xhr.getResponseHeader("HX-Retarget")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // <select data-submit-on-change>: submit its form on change (the language switch).
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-submit-on-change]") && e.target.form) {
      e.target.form.submit();
    }
  });

  // <input data-filter-select="ID">: typing hides the options of select#ID (and groups left empty) that do not
  // contain the text — a long unit list found by name; selected options always stay.
  document.addEventListener("input", function (e) {
    var id = e.target.getAttribute && e.target.getAttribute("data-filter-select");
    var select = id && document.getElementById(id);
    if (!select) return;
    var text = e.target.value.trim();
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var shown = 0;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        var keep = !text || option.selected || option.textContent.indexOf(text) !== -1;
        option.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      group.hidden = shown === 0;
    });
  });

  // <a data-history-back>: go back one page; its href stays the fallback without JavaScript.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-history-back]");
    if (link && window.history.length > 1) {
      e.preventDefault();
      window.history.back();
    }
  });
})();
