"""The Moscow Mechanism tracker, reached from the site's navigation."""

from conftest import catalogue


def test_the_mechanism_tracker(browser, server):
    words = catalogue("en")
    browser.open(server.base_url + "/")
    browser.click(browser.link(".site-nav a", words["nav_mechanism"]))
    browser.screenshot("mechanism")
    states = browser.find_all("main .mechanism__state")
    assert len(states) == 57, f"{len(states)} participating States on the tracker"
    tiles = browser.find_all("main .state-map .tile")
    assert len(tiles) == 57, f"{len(tiles)} tiles on the map"
    meters = browser.find_all("main progress.progress__bar")
    assert len(meters) == 2, f"{len(meters)} threshold meters"
