// The matter pickers (kiosk, appointment groups): typing in a search box marked
// data-filter-list="<list id>" keeps the list's rows whose data-search contains the text;
// the element named by data-filter-none shows when nothing matches (the form's ?q= does the
// same without script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter-list]").forEach(function (input) {
      var list = document.getElementById(input.dataset.filterList);
      if (!list) { return; }
      var none = document.getElementById(input.dataset.filterNone || "");
      var rows = Array.prototype.slice.call(list.querySelectorAll("li[data-search]"));
      function filter() {
        var needle = input.value.trim().toLowerCase();
        var shown = 0;
        rows.forEach(function (row) {
          var match = !needle || row.dataset.search.indexOf(needle) !== -1;
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        if (none) { none.hidden = shown > 0; }
      }
      input.addEventListener("input", filter);
      if (input.form) {
        input.form.addEventListener("submit", function (event) {
          event.preventDefault();
          filter();
          input.blur();
        });
      }
      filter();
    });
  });
})();
