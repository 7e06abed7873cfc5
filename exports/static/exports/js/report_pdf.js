// The "PDF is being made" page: ask every 1.5 s whether the file is ready, then download it.
// The status URL names one render (?opdracht=<id>); asking it reads one row, never the report.
// Without JavaScript the "Try again" link does the same by hand.
(function () {
  "use strict";
  var root = document.getElementById("pdf-pending");
  if (!root || !window.fetch) return;
  var statusUrl = root.getAttribute("data-status-url");
  var pdfUrl = root.getAttribute("data-pdf-url");
  var tries = 0;
  function check() {
    tries += 1;
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { status: "pending" }; })
      .then(function (data) {
        if (data.status === "ready") {
          var text = document.getElementById("pdf-ready-text");
          document.getElementById("pdf-status").textContent = text.content.textContent;
          window.location.href = pdfUrl;
        } else if (data.status === "failed" || data.status === "superseded") {
          window.location.href = pdfUrl; // shows the message why, or finds the newer request
        } else if (tries < 80) {
          window.setTimeout(check, 1500);
        }
      })
      .catch(function () { if (tries < 80) window.setTimeout(check, 3000); });
  }
  window.setTimeout(check, 1000);
})();
