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
