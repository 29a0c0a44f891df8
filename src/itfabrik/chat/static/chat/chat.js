// The chat, live: new messages arrive by server-sent events and are added to the log region
// (role=log, aria-live=polite: a screen reader reads each new one without moving focus).
// Sending posts the form in the background; the message then comes back by the stream, once.
// Without this script the page still works: the form posts and the page shows the history.
(function () {
  "use strict";
  var log = document.getElementById("chat-log");
  if (!log || !window.EventSource) return;
  var list = log.querySelector("ol");
  var form = document.getElementById("chat-form");
  var errorBox = document.getElementById("chat-error");
  var you = log.getAttribute("data-you") || "";
  var seen = {};
  Array.prototype.forEach.call(log.querySelectorAll("[data-id]"), function (li) {
    seen[li.getAttribute("data-id")] = true;
  });

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function render(msg) {
    if (seen[msg.id]) return;
    seen[msg.id] = true;
    var li = document.createElement("li");
    li.className = "chat-msg chat-" + msg.kind + (msg.mine ? " chat-mine" : "");
    li.setAttribute("data-id", msg.id);
    var time = document.createElement("time");
    time.setAttribute("datetime", msg.at);
    time.textContent = msg.time;
    var body = document.createElement("span");
    body.className = "chat-body";
    body.textContent = msg.body;
    if (msg.kind === "text") {
      var meta = document.createElement("span");
      meta.className = "chat-meta";
      var author = document.createElement("span");
      author.className = "chat-author";
      author.textContent = msg.mine ? you : msg.author;
      meta.appendChild(author);
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(time);
      li.appendChild(meta);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(body);
    } else {
      li.appendChild(body);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(time);
    }
    list.appendChild(li);
    scrollToEnd();
  }

  scrollToEnd();
  if (log.getAttribute("data-ended")) return;

  // The first connection names the last message the page showed; on every reconnect the
  // browser itself sends Last-Event-ID, which the server prefers.
  var url = log.getAttribute("data-stream") + "?efter=" + encodeURIComponent(log.getAttribute("data-last-id") || "0");
  var source = new EventSource(url);
  source.addEventListener("message", function (event) {
    var msg;
    try { msg = JSON.parse(event.data); } catch (e) { return; }
    render(msg);
    if (msg.kind === "ended") {
      source.close();
      if (form) {
        Array.prototype.forEach.call(document.querySelectorAll("#chat-form textarea, #chat-form button, .chat-end button"), function (el) {
          el.disabled = true;
        });
      }
    }
  });

  if (!form || !window.fetch || !window.FormData) return;
  var textarea = form.querySelector("textarea");
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok) {
        textarea.value = "";
        errorBox.textContent = "";
        textarea.removeAttribute("aria-invalid");
        return null;
      }
      return response.json().then(function (data) {
        errorBox.textContent = data.error || "";
        textarea.setAttribute("aria-invalid", "true");
      });
    }).catch(function () {
      // The network is gone: post the ordinary way, so the message is not lost.
      form.submit();
    }).then(function () {
      button.disabled = false;
      textarea.focus();
    });
  });
})();
