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

// Length limits are the server's (it answers with the limit named); the browser does not cut
// text. A long field (a text area) shows how much of its limit is used, and any field says when
// it is over. The visible count changes as one types; screen readers hear it after a pause.
function formatCount(text, n, max) {
  var lang = document.documentElement.lang || undefined;
  return text.replace("{n}", n.toLocaleString(lang)).replace("{max}", max.toLocaleString(lang));
}
function updateCounter(el) {
  var max = parseInt(el.getAttribute("data-maxlength"), 10);
  var counter = document.getElementById(el.id + "_counter");
  if (!max || !counter) {
    return;
  }
  var n = el.value.length;
  var over = n > max;
  counter.hidden = !over && el.tagName !== "TEXTAREA";
  counter.classList.toggle("over", over);
  counter.textContent = over
    ? formatCount(el.getAttribute("data-over-text"), n - max, max)
    : formatCount(el.getAttribute("data-count-text"), n, max);
  clearTimeout(el._announce);
  el._announce = setTimeout(function () {
    var live = document.getElementById(el.id + "_counter_live");
    if (live) {
      live.textContent = counter.hidden ? "" : counter.textContent;
    }
  }, 1000);
}
function addCounters(root) {
  var fields = (root || document).querySelectorAll("[data-maxlength]");
  for (var i = 0; i < fields.length; i++) {
    var el = fields[i];
    if (!el.id || document.getElementById(el.id + "_counter")) {
      continue;
    }
    var counter = document.createElement("p");
    counter.id = el.id + "_counter";
    counter.className = "char-count";
    counter.setAttribute("aria-hidden", "true");
    var live = document.createElement("p");
    live.id = el.id + "_counter_live";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    el.insertAdjacentElement("afterend", live);
    el.insertAdjacentElement("afterend", counter);
    updateCounter(el);
  }
}
document.addEventListener("DOMContentLoaded", function () { addCounters(document); });
document.addEventListener("htmx:afterSwap", function (event) { addCounters(event.target); });
document.addEventListener("input", function (event) {
  var el = event.target;
  if (el && el.hasAttribute && el.hasAttribute("data-maxlength")) {
    updateCounter(el);
  }
});
