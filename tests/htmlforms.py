"""Read a form off a page the way a browser would submit it, for tests that post "the real
form": every successful control with the value the page gave it (inputs, checked boxes,
textareas, the selected option)."""

from html.parser import HTMLParser

_SKIPPED = {"submit", "button", "reset", "file", "image"}


class _FormReader(HTMLParser):
    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.values: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._option: tuple[str | None, bool] | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("action") == self.action:
            self.inside = self.found = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in _SKIPPED:
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
            else:
                self.values.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._option = (a.get("value"), "selected" in a)
            self._text = []

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.values.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, selected = self._option
            self._options.append((value if value is not None else "".join(self._text), selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.values.extend((self._select, v) for v in chosen)
            self._select = None


def form_values(html: str, action: str) -> dict[str, str | list[str]]:
    """The values the form posting to `action` would send unchanged (a list for a name that
    occurs more than once). Fails when the page has no such form."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form posting to {action} on the page"
    values: dict[str, str | list[str]] = {}
    for name, value in reader.values:
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    return values
