"""Submit a rendered form the way a browser does (used by the round-trip tests over HTTP).

A browser sends the value of every named input, the checked boxes and radios, the selected
option of a select (the first one when none is selected) and the text of a textarea. A
`type="date"` input whose value is not an ISO date (yyyy-mm-dd) shows nothing and sends an
empty string: that is the rule the date defect of issue 13 broke. Line breaks of a text
area are sent as CR LF.
"""

import re
from html.parser import HTMLParser

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.date_inputs: list[tuple[str, str]] = []
        self._select = None
        self._options: list[tuple[str, bool]] = []
        self._option_value = None
        self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside and attrs.get("form") != self.form_id:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value") or ""
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            if kind == "date":
                self.date_inputs.append((name, value))
                value = value if ISO_DATE.match(value) else ""
            self.fields.append((name, value))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option_value = attrs.get("value")
            self._options.append([attrs.get("value"), "selected" in attrs, ""])
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data
        elif self._select is not None and self._options and self._options[-1][0] is None:
            self._options[-1][2] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [o for o in self._options if o[1]] or self._options[:1]
            for value, _selected, text in chosen:
                self.fields.append((self._select, value if value is not None else text))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The parser keeps the newline after <textarea>, which a browser drops.
            # A browser sends a text area's line breaks as CR LF.
            text = self._text.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
            self.fields.append((self._textarea, text))
            self._textarea = None


def form_data(html: str, form_id: str = "step-form"):
    """Return (the POST a browser sends for the form as rendered, the date inputs seen)."""
    parser = _FormParser(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data, parser.date_inputs
