// Keyboard shortcuts of the queue and the ticket page (progressive enhancement: every target is
// also a link or a field). Only plain keys outside fields, never with Ctrl/Alt/Meta, so screen
// readers' own commands (which use modifiers or their browse mode) keep working.
(function () {
  "use strict";
  var script = document.currentScript;
  var queueUrl = script && script.dataset.queue;
  var newUrl = script && script.dataset.new;
  var pending = null;

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#queue tbody th a"));
  }

  function move(step) {
    var links = rows();
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), links.length - 1);
    links[next].focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    var key = event.key;
    if (pending === "g") {
      pending = null;
      if (key === "q" && queueUrl) {
        event.preventDefault();
        window.location.href = queueUrl;
      }
      return;
    }
    if (key === "g") {
      pending = "g";
      window.setTimeout(function () { pending = null; }, 1500);
      return;
    }
    var target = null;
    if (key === "n" && newUrl) {
      event.preventDefault();
      window.location.href = newUrl;
    } else if (key === "/") {
      target = document.getElementById("id_q");
    } else if (key === "r") {
      target = document.getElementById("id_body");
    } else if (key === "j") {
      event.preventDefault();
      move(1);
    } else if (key === "k") {
      event.preventDefault();
      move(-1);
    } else if (key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) {
        help.open = true;
        help.querySelector("summary").focus();
      }
    }
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });
})();
