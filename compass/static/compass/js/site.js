// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen-reader and keyboard users hear what to fix.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) {
    summary.focus();
  }
});
