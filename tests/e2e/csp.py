"""Collect Content-Security-Policy violations in the browser (issue 20, item 4).

Two sources, so nothing slips through: the `securitypolicyviolation` event of every document
(an init script forwards it to the console with a marker) and Chromium's own console message
("Refused to ... because it violates the following Content Security Policy directive").
"""

MARKER = "CSP-VIOLATION "
VIOLATION_LISTENER_JS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP-VIOLATION " + JSON.stringify({
    directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample, page: document.location.pathname,
  }));
});
"""


class ViolationLog:
    """Every CSP violation (and, separately, every console error) one browser context saw."""

    def __init__(self, context):
        self.violations: list[str] = []
        self.console_errors: list[str] = []
        context.add_init_script(VIOLATION_LISTENER_JS)
        context.on("console", self._console)

    def _console(self, message):
        text = message.text
        if text.startswith(MARKER):
            self.violations.append(text[len(MARKER) :])
        elif "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.violations.append(text)
        elif message.type == "error":
            self.console_errors.append(text)

    def take(self) -> list[str]:
        found, self.violations = self.violations, []
        return found
