/* The Wagtail admin under our Content Security Policy (docs/security.md).
 *
 * Wagtail's date/time widgets and inline panels start themselves with an inline <script>,
 * which the policy forbids. Our overrides of those templates (cms/templates/wagtailadmin/)
 * leave a hidden <span data-csp-init="..." data-csp-options="{json}"> instead; this script
 * makes the same call for every such span, also for spans added later (a new inline form,
 * a modal).
 */
(function () {
  "use strict";
  var constructors = { InlinePanel: true, MultipleChooserPanel: true };

  function start(span) {
    if (span.dataset.cspDone) return;
    span.dataset.cspDone = "1";
    var name = span.dataset.cspInit;
    var init = window[name];
    var options = JSON.parse(span.dataset.cspOptions || "{}");
    if (typeof init !== "function") {
      console.error("admin_csp.js: " + name + " is not loaded");
      return;
    }
    if (constructors[name]) {
      new init(options);
    } else {
      init(span.dataset.cspId, options);
    }
  }

  function startAll(root) {
    if (root.matches && root.matches("span[data-csp-init]")) start(root);
    if (root.querySelectorAll) root.querySelectorAll("span[data-csp-init]").forEach(start);
  }

  function run() {
    startAll(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(startAll);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
