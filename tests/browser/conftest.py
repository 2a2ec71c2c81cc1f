"""Real Chromium (Debian's package) driven by Playwright; axe-core for accessibility."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from . import gunicorn_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(__file__).resolve().parents[2] / "src/baken/core/static/vendor/axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(live_server, django_db_setup, django_db_blocker, tmp_path_factory):
    """pytest-django's in-process server, or gunicorn with production settings (opt-in)."""
    if not gunicorn_server.ENABLED:
        yield live_server
        return
    with django_db_blocker.unblock():
        server = gunicorn_server.GunicornServer(tmp_path_factory.mktemp("gunicorn"))
    yield server
    server.stop()


class _BothProcesses:
    """pytest-django's `settings`, whose every change is also sent to the gunicorn server."""

    def __init__(self, wrapped, server):
        object.__setattr__(self, "_wrapped", wrapped)
        object.__setattr__(self, "_server", server)
        object.__setattr__(self, "_changed", {})

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

    def __setattr__(self, name, value):
        setattr(self._wrapped, name, value)
        self._changed[name] = value
        self._server.override_settings(self._changed)

    def __delattr__(self, name):
        raise NotImplementedError("The gunicorn server cannot delete a setting.")


@pytest.fixture
def settings(settings, request):
    """In gunicorn mode a test's changed settings hold in the server as in this process."""
    if not gunicorn_server.ENABLED:
        yield settings
        return
    server = request.getfixturevalue("live_server")
    yield _BothProcesses(settings, server)
    server.override_settings({})


@pytest.fixture(autouse=True)
def _fresh_server_cache(request):
    if gunicorn_server.ENABLED and "live_server" in request.fixturenames:
        request.getfixturevalue("live_server").clear_cache()


# Every answer of 500 or more the browser got during a test (a failed htmx panel included,
# which the page itself may hide), and every image or stylesheet that was not found: a
# broken picture or an unstyled page is something a person sees.
SERVER_ERRORS: list[str] = []


# Map tiles a test points at on purpose, standing in for a tile server that is not there.
ABSENT_TILES = "/kaarttegels/"


def _watch(response) -> None:
    broken_asset = (
        response.status == 404
        and response.request.resource_type in ("image", "stylesheet", "script")
        and ABSENT_TILES not in response.url
    )
    if response.status >= 500 or broken_asset:
        SERVER_ERRORS.append(f"{response.status} {response.url}")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        new_context = chromium.new_context

        def watched_context(*args, **kwargs):
            if gunicorn_server.ENABLED:
                kwargs["ignore_https_errors"] = True  # the session's self-signed certificate
            context = new_context(*args, **kwargs)
            context.on("response", _watch)
            return context

        chromium.new_context = watched_context  # type: ignore[method-assign]
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def no_server_errors():
    SERVER_ERRORS.clear()
    yield
    assert not SERVER_ERRORS, SERVER_ERRORS


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) on the page and return its violations."""
    source = AXE.read_text()

    def run(page):
        # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
        page.evaluate(source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]
        ]

    return run


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, element=None):
        if element is not None:  # one part of the page, e.g. a panel
            element.screenshot(path=SCREENSHOTS / f"{name}.png")
        else:
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take
