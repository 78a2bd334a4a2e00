"use strict";
(function () {
  function status(button, text) {
    var out = document.getElementById(button.getAttribute("data-status"));
    if (out) { out.textContent = text; }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) { return; }
    var code = document.getElementById(button.getAttribute("data-target"));
    if (!code) { return; }
    var text = code.textContent;
    var selectIt = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status(button, "Selected: press Ctrl+C to copy.");
    };
    try {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () {
          status(button, "Copied.");
        }, selectIt);
      } else {
        selectIt();
      }
    } catch (e) {
      selectIt();
    }
  });
  // The findings table: sort by a column, filter by text and by least severity. Rows are
  // moved and hidden, never rewritten, so logged text stays text.
  var table = document.getElementById("findings-table");
  if (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var filter = document.getElementById("finding-filter");
    var least = document.getElementById("finding-severity");
    var count = document.getElementById("finding-count");
    var key = function (row, column) {
      var cell = row.cells[column];
      return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    };
    var apply = function () {
      var words = filter.value.toLowerCase().trim();
      var floor = Number(least.value);
      var shown = 0;
      rows.forEach(function (row) {
        var visible = Number(row.getAttribute("data-rank")) >= floor &&
          (!words || row.textContent.toLowerCase().indexOf(words) !== -1);
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = "Showing " + shown + " of " + rows.length + ".";
    };
    table.querySelectorAll("button.sort").forEach(function (button) {
      button.addEventListener("click", function () {
        var column = Number(button.getAttribute("data-column"));
        var numeric = button.getAttribute("data-kind") === "number";
        var header = button.parentNode;
        var descending = header.getAttribute("aria-sort") !== "descending";
        table.querySelectorAll("th").forEach(function (th) { th.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        rows.sort(function (a, b) {
          var x = key(a, column), y = key(b, column);
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    filter.addEventListener("input", apply);
    least.addEventListener("change", apply);
    apply();
  }
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
