"""The public pages about the detainees, reached by their links."""

from conftest import catalogue


def test_the_detainee_list_and_a_profile(browser, server):
    words = catalogue("en")
    browser.open(server.base_url + "/")
    browser.click(browser.link(".site-nav a", words["nav_detainees"]))
    browser.screenshot("detainees")
    profiles = browser.find_all('main .card__name a')
    assert len(profiles) >= 23, f"{len(profiles)} profile links on the detainee list"
    name = profiles[0].text.strip()
    browser.click(profiles[0])
    assert name and name in browser.find("main h1").text
    browser.screenshot("detainee")

