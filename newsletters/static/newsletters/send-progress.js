// The newsletter send's progress page: poll the send's JSON every 2 seconds and update the
// progress bar and counts until the send is done. Without JavaScript the page refreshes
// itself (<noscript> meta refresh); this file only enhances it.
(function () {
  "use strict";

  var root = document.querySelector("[data-send-progress-url]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-send-progress-url");
  var bar = root.querySelector("[data-progress-bar]");
  var INTERVAL_MS = 2000;

  function show(name, value) {
    root.querySelectorAll('[data-count="' + name + '"]').forEach(function (element) {
      element.textContent = String(value);
    });
  }

  function update(data) {
    ["sent", "total", "queued", "failed", "unknown", "skipped"].forEach(function (name) {
      show(name, data[name]);
    });
    show("status", data.status_label);
    if (bar) {
      bar.max = Math.max(data.total, 1);
      bar.value = data.processed;
      bar.textContent = data.sent + " / " + data.total;
    }
    root.setAttribute("data-send-done", data.done ? "true" : "false");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        update(data);
        if (!data.done) {
          window.setTimeout(poll, INTERVAL_MS);
        } else if (data.unknown > 0) {
          // The page offers to resend unknown messages once the send is done.
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL_MS * 5);
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
