// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", function (event) {
  // After a filtered list is swapped in, tell screen-reader users how many rows it has now.
  var status = document.getElementById("list-status");
  var summary = event.target.querySelector("[data-summary]");
  if (status && summary) {
    status.textContent = summary.getAttribute("data-summary");
  }
});
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form && !window.htmx) {
    el.form.submit();
  }
});
document.addEventListener("DOMContentLoaded", function () {
  // A form came back with errors: move focus to the summary, whose links lead to each field
  // (screen readers read it out; keyboard users continue from there).
  var summary = document.querySelector(".error-summary[tabindex='-1']");
  if (summary) {
    summary.focus();
  }
});

// A wide table scrolls inside its own box (.table-scroll) on a small screen. When it does, make
// the box reachable by keyboard (so it can be scrolled with the arrow keys) and give it the
// table's name, so that a screen reader says what the focused region is.
function markScrollableTables(root) {
  var boxes = (root || document).querySelectorAll(".table-scroll");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    var table = box.querySelector("table");
    if (!table) {
      continue;
    }
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var labelledby = table.getAttribute("aria-labelledby");
      var caption = table.querySelector("caption");
      if (labelledby) {
        box.setAttribute("aria-labelledby", labelledby);
      } else if (caption) {
        box.setAttribute("aria-label", caption.textContent.trim());
      }
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-labelledby");
      box.removeAttribute("aria-label");
    }
  }
}
document.addEventListener("DOMContentLoaded", function () { markScrollableTables(document); });
document.addEventListener("htmx:afterSwap", function (event) { markScrollableTables(event.target); });
var resizeTimer = null;
window.addEventListener("resize", function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () { markScrollableTables(document); }, 150);
});
