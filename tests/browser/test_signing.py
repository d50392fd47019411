"""A person signs the petition in each language the campaign offers, confirms through the link
the server e-mailed, and sees the count rise by one."""

import re
import uuid

import pytest
from selenium.webdriver.support.ui import Select

from conftest import catalogue

LANGUAGES = ("en", "hy", "fr", "ru")


def switch_language(browser, server, language):
    """Opens the home page and follows the language switcher's link to `language`."""
    browser.open(server.base_url + "/")
    browser.click(browser.link(f'nav.languages a[hreflang="{language}"]'))
    assert browser.language == language, f"<html lang> is {browser.language!r} after choosing {language}"


def shown_count(browser):
    return int(float(browser.find("progress[data-progress-bar]").get_attribute("value")))


def test_the_campaign_offers_exactly_english_armenian_french_and_russian(browser, server):
    browser.open(server.base_url + "/")
    offered = sorted(a.get_attribute("hreflang") for a in browser.find_all("nav.languages a[hreflang]"))
    assert offered == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_person_signs_confirms_and_sees_the_count_rise(browser, server, language):
    words = catalogue(language)
    switch_language(browser, server, language)
    browser.screenshot(f"petition-{language}")
    before = shown_count(browser)

    address = f"signer-{language}-{uuid.uuid4().hex[:8]}@example.org"
    browser.type_into(words["field_name"], f"Test Signer {language.upper()}")
    browser.type_into(words["field_email"], address)
    Select(browser.field(words["field_country"])).select_by_value("FR")
    browser.type_into(words["field_city"], "Lyon")
    honeypot = browser.find('form.sign-form input[name="website"]')
    assert honeypot.get_attribute("tabindex") == "-1"
    assert browser.driver.execute_script("return arguments[0].closest('[aria-hidden=\"true\"]') !== null", honeypot)
    assert not honeypot.is_displayed() or honeypot.rect["x"] + honeypot.rect["width"] <= 0, "the honeypot is on screen"

    browser.click(browser.find("form.sign-form button[type=submit]"))
    assert "check-email" in browser.url, f"signing led to {browser.url}"
    assert browser.language == language
    browser.screenshot(f"check-email-{language}")

    message = server.mail_to(address)
    text = message.get_body(preferencelist=("plain",)).get_content()
    # The link carries the signer's language, so it opens in that language on any browser.
    links = re.findall(re.escape(server.base_url) + f"/{language}/confirm/" + r"[^\s<>\"]+", text)
    assert links, f"no confirmation link in {language} in the e-mail:\n{text}"
    browser.open(links[0])
    assert browser.language == language
    browser.screenshot(f"confirm-{language}")

    browser.click(browser.find("main form button[type=submit]"))
    assert browser.language == language
    browser.screenshot(f"thanks-{language}")
    receipt_check = browser.link("main a", words["receipt_check"]).get_attribute("href")

    browser.click(browser.link("main a", words["back_to_petition"]))
    assert browser.language == language
    assert shown_count(browser) == before + 1

    if language == "en":
        browser.open(receipt_check)
        assert browser.field(catalogue("en")["verify_field_leaf_hash"]).get_attribute("value"), "the receipt link fills in the entry"
        browser.screenshot("verify")
        browser.click(browser.find("main form button[type=submit]"))
        verdict = browser.find("main .verdict")
        assert "verdict--fail" not in verdict.get_attribute("class"), f"the receipt does not check out: {verdict.text}"
        browser.screenshot("verify-result")
