"""The NL Design System CSS bundle (build/static/nlds/nlds.css, scripts/build-css.mjs) holds
every component rule and token the site uses, and not the whole library (docs/performance.md).

A template, form or script that starts using another Utrecht class fails here until the bundle
is rebuilt (`make css`, which `make install` runs when a source changes)."""

import re
from functools import cache

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
BUNDLE = ROOT / "build" / "static" / "nlds" / "nlds.css"
COMPONENTS = ROOT / "node_modules/@utrecht/component-library-css/dist/index.css"
TOKENS = ROOT / "node_modules/@utrecht/design-tokens/dist/theme.css"
APPS = ("compass", "cms", "questionnaire", "exports")
CLASS = re.compile(r"utrecht-[a-z0-9_-]*[a-z0-9]")
VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")


@cache
def bundle() -> str:
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE.relative_to(ROOT)} is missing: run `make css` (or `make install`)")
    return BUNDLE.read_text(encoding="utf-8")


def selector(css: str, name: str) -> bool:
    return re.search(r"\." + re.escape(name) + r"(?![A-Za-z0-9_-])", css) is not None


def used_classes() -> set[str]:
    """Every Utrecht class our templates, Python files and scripts name in full."""
    names = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in (".html", ".py", ".js") and "migrations" not in path.parts:
                text = path.read_text(encoding="utf-8")
                # A class composed in a template (`utrecht-alert--{% if %}`) is in the safelist.
                names |= {m.group() for m in CLASS.finditer(text) if text[m.end()] != "{"}
    return names


def safelist() -> set[str]:
    script = (ROOT / "scripts" / "build-css.mjs").read_text(encoding="utf-8")
    block = re.search(r"SAFELIST = \[(.*?)\];", script, re.S).group(1)
    return set(re.findall(r'"([^"]+)"', block))


def test_every_utrecht_class_the_site_uses_is_in_the_bundle():
    library = COMPONENTS.read_text(encoding="utf-8")
    needed = {name for name in used_classes() | safelist() if selector(library, name)}
    assert len(needed) > 30, needed  # the check sees the site's classes
    missing = sorted(name for name in needed if not selector(bundle(), name))
    assert not missing, f"not in the CSS bundle: {missing}; rebuild it with `make css`"


def test_every_token_the_bundle_or_our_css_reads_is_defined():
    defined_in_library = set(re.findall(r"^\s*(--[A-Za-z0-9_-]+)\s*:", TOKENS.read_text(), re.M))
    ours = "".join(
        path.read_text(encoding="utf-8") for app in APPS for path in (ROOT / app).rglob("*.css")
    )
    read = set(VAR.findall(bundle())) | set(VAR.findall(ours))
    needed = read & defined_in_library
    assert len(needed) > 50
    missing = sorted(name for name in needed if not re.search(re.escape(name) + r":", bundle()))
    assert not missing, f"tokens missing from the CSS bundle: {missing[:10]}"


def test_the_bundle_is_a_fraction_of_the_library():
    library = COMPONENTS.stat().st_size + TOKENS.stat().st_size
    assert BUNDLE.stat().st_size < library * 0.4
    # A class no page uses is not shipped.
    assert not selector(bundle(), "utrecht-calendar")
    assert selector(COMPONENTS.read_text(encoding="utf-8"), "utrecht-calendar")


def test_the_bundle_names_its_source_and_license():
    assert "@utrecht/component-library-css" in bundle() and "EUPL-1.2" in bundle()


def test_the_base_template_links_the_bundle_not_the_whole_library():
    base = (ROOT / "compass" / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% static 'nlds/nlds.css' %}" in base
    assert "utrecht-components/index.css" not in base and "theme.css" not in base
