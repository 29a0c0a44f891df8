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
    var hint = box.previousElementSibling;
    if (!(hint && hint.hasAttribute("data-scroll-hint-for"))) {
      hint = null;
    }
    if (box.scrollWidth > box.clientWidth + 1) {
      // Say so in words, visibly: a cut-off table is not obviously scrollable.
      if (!hint) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.id = "scroll-hint-" + i + "-" + Math.random().toString(36).slice(2, 8);
        hint.setAttribute("data-scroll-hint-for", "");
        hint.textContent = document.body.getAttribute("data-scroll-hint") || "";
        box.parentNode.insertBefore(hint, box);
      }
      box.setAttribute("aria-describedby", hint.id);
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
      if (hint) {
        hint.parentNode.removeChild(hint);
      }
      box.removeAttribute("aria-describedby");
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

// Search fields for organisation nodes (tenancy/web/widgets.py): the ARIA 1.2 combobox pattern.
// HTMX fills the listbox with the server's matches; this code opens and closes it, moves the
// active option with the arrow keys (aria-activedescendant), picks one with Enter or a click,
// and keeps the chosen id in the hidden input. Without this file the server resolves the text.
(function () {
  function parts(el) {
    var box = el.closest("[data-combobox]");
    if (!box) { return null; }
    return {
      box: box,
      input: box.querySelector("[role=combobox]"),
      hidden: box.querySelector("[data-combobox-value]"),
      list: box.querySelector("[role=listbox]"),
      status: box.querySelector("[role=status]")
    };
  }
  function options(c) {
    return Array.prototype.slice.call(c.list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }
  function open(c) {
    c.list.hidden = false;
    c.input.setAttribute("aria-expanded", "true");
  }
  function close(c) {
    c.list.hidden = true;
    c.input.setAttribute("aria-expanded", "false");
    c.input.removeAttribute("aria-activedescendant");
  }
  function activate(c, option) {
    var all = c.list.querySelectorAll("[role=option]");
    for (var i = 0; i < all.length; i++) { all[i].setAttribute("aria-selected", "false"); }
    if (option) {
      option.setAttribute("aria-selected", "true");
      c.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({block: "nearest"});
    }
  }
  function choose(c, option) {
    c.hidden.value = option.getAttribute("data-value");
    c.input.value = option.getAttribute("data-label");
    close(c);
    if (c.status) { c.status.textContent = option.getAttribute("data-label"); }
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var c = parts(event.target);
    if (!c || event.target !== c.list) { return; }
    var found = options(c).length;
    c.input.removeAttribute("aria-activedescendant");  // the old options are gone
    if (document.activeElement === c.input) { open(c); }
    if (c.status) {
      c.status.textContent = found === 1 ? "1 träff" : found + " träffar";
      if (document.documentElement.lang === "en") {
        c.status.textContent = found === 1 ? "1 match" : found + " matches";
      }
    }
  });
  document.addEventListener("input", function (event) {
    var c = event.target.matches && event.target.matches("[data-combobox] [role=combobox]") && parts(event.target);
    if (c) { c.hidden.value = ""; }
  });
  document.addEventListener("keydown", function (event) {
    var c = event.target.matches && event.target.matches("[data-combobox] [role=combobox]") && parts(event.target);
    if (!c) { return; }
    var opts = options(c);
    var current = document.getElementById(c.input.getAttribute("aria-activedescendant") || "");
    var index = opts.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!opts.length) {
        // Nothing fetched yet (nothing typed): ask for the first matches, the list opens then.
        if (window.htmx) { window.htmx.trigger(c.input, "combobox-open"); }
        return;
      }
      if (c.list.hidden) { open(c); }
      index = event.key === "ArrowDown" ? Math.min(index + 1, opts.length - 1) : Math.max(index - 1, 0);
      activate(c, opts[index]);
    } else if (event.key === "Enter" && !c.list.hidden) {
      if (current && index >= 0) {
        event.preventDefault();
        choose(c, current);
      } else {
        close(c);
      }
    } else if (event.key === "Escape" && !c.list.hidden) {
      event.preventDefault();
      close(c);
    }
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-combobox] [role=option]");
    if (option && option.getAttribute("aria-disabled") !== "true") {
      var c = parts(option);
      choose(c, option);
      c.input.focus();
      return;
    }
    var boxes = document.querySelectorAll("[data-combobox]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].contains(event.target)) { close(parts(boxes[i])); }
    }
  });
  document.addEventListener("focusout", function (event) {
    var c = event.target.matches && event.target.matches("[data-combobox] [role=combobox]") && parts(event.target);
    if (c && !c.box.contains(event.relatedTarget)) {
      setTimeout(function () { if (document.activeElement !== c.input) { close(c); } }, 150);
    }
  });
})();

document.addEventListener("DOMContentLoaded", function () {
  // A confirmation to read (a privileged role), or a page that continues a task (a new account
  // continues into its first role): move focus there, unless an error summary already has it.
  if (document.querySelector(".error-summary[tabindex='-1']")) {
    return;
  }
  var confirmBox = document.querySelector(".confirm-box[tabindex='-1']");
  var marker = document.querySelector("[data-focus]");
  var target = confirmBox || (marker && document.querySelector(marker.getAttribute("data-focus")));
  if (target) {
    target.focus();
  }
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

// The main menu's areas are native <details>: one open at a time, Escape closes the open one and
// returns focus to its summary, a click elsewhere closes it.
(function () {
  function groups() {
    return document.querySelectorAll(".main-nav details.nav-group");
  }
  document.addEventListener(
    "toggle",
    function (event) {
      var opened = event.target;
      if (!(opened.matches && opened.matches("details.nav-group")) || !opened.open) {
        return;
      }
      var all = groups();
      for (var i = 0; i < all.length; i++) {
        if (all[i] !== opened) {
          all[i].open = false;
        }
      }
    },
    true
  );
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = document.querySelector(".main-nav details.nav-group[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    var all = groups();
    for (var i = 0; i < all.length; i++) {
      if (all[i].open && !all[i].contains(event.target)) {
        all[i].open = false;
      }
    }
  });
})();
