"""An administrator created on the command line sets a password, enrols an authenticator,
signs in again with password and TOTP code, and posts an update that the public then sees."""

import uuid

from conftest import PASSWORD, catalogue, enrol_admin, totp


def test_an_admin_signs_in_with_a_totp_code_and_posts_an_update(browser, server):
    words = catalogue("en")
    address = f"admin-{uuid.uuid4().hex[:8]}@example.org"
    secret, enrolled_step = enrol_admin(browser, server, address)

    browser.click(browser.find("form.admin-account button[type=submit]"))
    browser.type_into(words["admin_email"], address)
    browser.type_into(words["admin_password"], PASSWORD)
    browser.click(browser.find("main form button[type=submit]"))
    # A code counts once. Within the same 30 s, use the next step's code, as a phone whose
    # clock runs a little ahead would: the server accepts one step either side.
    code, step = totp(secret)
    if step <= enrolled_step:
        code, step = totp(secret, step_offset=enrolled_step + 1 - step)
    browser.type_into(words["admin_code_label"], code)
    browser.click(browser.find("main form button[type=submit]"))
    assert browser.find("form.admin-account").text.find(address) >= 0, "the console does not name who signed in"
    browser.screenshot("admin-dashboard")

    # The outgoing e-mail page says how long sent and failed messages stay.
    browser.click(browser.link('.admin-nav a[href$="/admin/outbox"]'))
    assert words["admin_outbox_history.other"].replace("{count}", "7") in browser.find("main").text
    browser.screenshot("admin-outbox")

    title = f"Delegation received {uuid.uuid4().hex[:6]}"
    browser.click(browser.link('.admin-nav a[href$="/admin/updates"]'))
    browser.type_into(words["admin_text_title"], title)
    browser.type_into(words["admin_update_body"], "The delegation **received** the petition today.")
    browser.click(browser.find("#new-update ~ form button[type=submit]"))
    drafts = [article for article in browser.find_all("main article") if article.find_element("css selector", "h2").text == title]
    assert len(drafts) == 1, f"the update {title!r} is not listed in the console"
    browser.click(drafts[0].find_element("css selector", 'form[action$="/publish"] button'))
    browser.screenshot("admin-updates")

    browser.click(browser.link("footer a", words["footer_updates"]))
    assert title in browser.find("main").text, "the published update is not on the public updates page"
    assert any(strong.text == "received" for strong in browser.find_all("main strong")), "the Markdown was not rendered"
    browser.screenshot("updates")
