"""The SPARQL query page in Chromium: offline, an example query runs into the table."""

from __future__ import annotations

from tests.browser import Opener


def test_an_example_query_fills_the_results_table(visit: Opener) -> None:
    seen = visit("/sparql")
    seen.page.click("button.example >> nth=0")
    seen.page.click("#run")
    seen.page.wait_for_selector("#results tbody tr")
    assert seen.page.locator("#results tbody tr").count() > 0
    assert "row(s)" in seen.page.inner_text("#status")
    seen.screenshot("sparql")
    seen.assert_clean()
