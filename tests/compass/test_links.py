"""compass.links: only http(s) addresses and paths of this site are ever shown as links."""

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from compass.links import is_safe_link, safe_url


@pytest.mark.parametrize(
    "url",
    ["https://www.nji.nl/", "http://example.org/a?b=c#d", "/jaarcycli/1/", "/"],
)
def test_http_addresses_and_site_paths_are_safe(url):
    assert is_safe_link(url) and safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "  javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil",
        "ftp://example.org/",
        "",
        None,
        42,
    ],
)
def test_everything_else_is_not_a_link(url):
    assert not is_safe_link(url) and safe_url(url) == ""


@given(
    st.text(max_size=3).filter(lambda p: not p.startswith("/")),
    st.sampled_from(["javascript:", "data:", "vbscript:"]),
)
def test_no_leading_characters_make_a_script_link_safe(prefix, scheme):
    assert not is_safe_link(prefix + scheme + "alert(1)")


def test_the_template_filter_empties_unsafe_links():
    template = Template("{% load links %}[{{ a|safe_url }}][{{ b|safe_url }}]")
    html = template.render(Context({"a": "javascript:alert(1)", "b": "https://www.nji.nl/"}))
    assert html == "[][https://www.nji.nl/]"
