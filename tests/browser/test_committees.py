"""A local committee: an admin creates it in the console and gets its referral link and QR
code; a person opens the link in Armenian, signs and confirms; the committee is credited, on
its console page and in the public league."""

import re
import uuid

from selenium.webdriver.support.ui import Select

from conftest import catalogue, enrol_admin


def test_a_committee_link_credits_the_committee(browser, server):
    words = catalogue("en")
    enrol_admin(browser, server, f"admin-{uuid.uuid4().hex[:8]}@example.org")
    browser.click(browser.link('.admin-nav a[href$="/admin/committees"]'))
    browser.type_into(words["admin_committee_name"], "Comité Arménie Lyon")
    browser.type_into(words["admin_committee_city"], "Lyon")
    Select(browser.field(words["admin_committee_country"])).select_by_value("FR")
    for language in ("fr", "hy"):
        browser.find(f"#committee-language-{language}").click()
    browser.type_into(words["admin_committee_goal"], "50")
    browser.type_into(words["admin_committee_code"], "lyon")
    browser.find("#committee-shown").click()
    browser.click(browser.find("main form button[type=submit]"))
    assert browser.find("main h1").text == "Comité Arménie Lyon"
    link = browser.find("main .committee-link code").text
    assert link == server.base_url + "/c/lyon"
    qr = browser.find("main .qr img")
    assert browser.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr), "the QR code did not load"
    committee_page = browser.url

    hy = catalogue("hy")
    browser.open(server.base_url + "/hy/c/lyon")
    assert browser.language == "hy"
    assert "Comité Arménie Lyon" in browser.find("main .referral").text
    browser.screenshot("committee-referral-hy")
    address = f"lyon-{uuid.uuid4().hex[:8]}@example.org"
    browser.type_into(hy["field_name"], "Անի Հակոբյան")
    browser.type_into(hy["field_email"], address)
    Select(browser.field(hy["field_country"])).select_by_value("FR")
    browser.click(browser.find("form.sign-form button[type=submit]"))
    assert "check-email" in browser.url

    text = server.mail_to(address).get_body(preferencelist=("plain",)).get_content()
    links = re.findall(re.escape(server.base_url) + r"/hy/confirm/[^\s<>\"]+", text)
    assert links, f"no Armenian confirmation link in:\n{text}"
    browser.open(links[0])
    browser.click(browser.find("main form button[type=submit]"))

    browser.open(server.base_url + "/en/petitions/osce-moscow-mechanism")
    league = browser.find("main .league").text
    assert "Comité Arménie Lyon" in league and "1 signature" in league, league
    assert browser.find_all("main .signature-chart svg"), "no chart of signatures over time"
    assert len(browser.find_all("main .state-map .tile")) == 57, "the map does not show the 57 States"
    browser.screenshot("petition-with-committees")

    browser.open(committee_page)
    figures = browser.find("main .figures").text
    assert re.search(r"\b1\b", figures), figures
    browser.screenshot("admin-committee")

    # The console speaks Russian once asked to, as every page does.
    try:
        browser.click(browser.link('nav.languages a[hreflang="ru"]'))
        assert browser.language == "ru"
        # The switch stays on the committee's page, now in Russian.
        assert browser.find("main h1").text == "Comité Arménie Lyon"
        assert catalogue("ru")["admin_committee_title"].upper() in browser.find("main .eyebrow").text.upper()
        browser.screenshot("admin-committee-ru")
    finally:
        browser.open(server.base_url + "/en/")
