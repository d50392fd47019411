"""Paper and partner signatures: a coordinator sends a batch of paper signatures with its scan
and chain of custody; the admin, a second person, reviews it against the sheet and accepts it,
and it counts on paper on the public page. A partner site registered in the console pushes a
signature through the OSDI API with its token, and is refused once the token is revoked."""

import datetime
import json
import struct
import tempfile
import urllib.error
import urllib.request
import uuid
import zlib
from pathlib import Path

from selenium.webdriver.support.ui import Select

from conftest import PASSWORD, Browser, catalogue, enrol_admin


def png(width=40, height=20):
    """A small grey PNG, standing in for a photograph of a sheet."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xc8" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def push(server, token, email):
    body = {
        "person": {"given_name": "Lusine", "family_name": "Avetisyan", "email_addresses": [{"address": email}],
                   "postal_addresses": [{"country": "DE", "locality": "Berlin"}]},
        "add_tags": ["petition-widget"],
    }
    request = urllib.request.Request(
        server.base_url + "/api/v1/petitions/osce-moscow-mechanism/signatures", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "OSDI-API-Token": token}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_paper_batch_is_reviewed_by_a_second_person_and_counts(browser, server):
    words = catalogue("en")
    enrol_admin(browser, server, f"admin-{uuid.uuid4().hex[:8]}@example.org")
    browser.click(browser.link('.admin-nav a[href$="/admin/committees"]'))
    browser.type_into(words["admin_committee_name"], "Armenian Committee of Marseille")
    browser.type_into(words["admin_committee_city"], "Marseille")
    Select(browser.field(words["admin_committee_country"])).select_by_value("FR")
    browser.find("#committee-language-fr").click()
    browser.click(browser.find("main form button[type=submit]"))
    committee_id = browser.url.rstrip("/").split("/")[-1].split("?")[0]

    browser.click(browser.link('.admin-nav a[href$="/admin/staff"]'))
    coordinator_address = f"marseille-{uuid.uuid4().hex[:8]}@example.org"
    browser.type_into(words["admin_email"], coordinator_address)
    Select(browser.field(words["admin_role"])).select_by_value("coordinator")
    Select(browser.field(words["admin_staff_committee"])).select_by_value(committee_id)
    browser.click(browser.find("main form.inline-form button[type=submit]"))
    setup_link = browser.find("main .panel--attention code").text

    coordinator = Browser(server)
    folder = Path(tempfile.mkdtemp())
    try:
        coordinator.open(setup_link)
        coordinator.type_into(words["admin_new_password"], PASSWORD)
        coordinator.type_into(words["admin_password_again"], PASSWORD)
        coordinator.click(coordinator.find("main form button[type=submit]"))
        coordinator.click(coordinator.link('.admin-nav a[href$="/admin/paper"]'))

        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        sheet = folder / "marseille.csv"
        sheet.write_text(
            "name,country,city,date,email\n"
            f"Armen Hovhannisyan,FR,Marseille,{today},\n"
            f"Սոնա Մկրտչյան,FR,Marseille,{today},sona-{uuid.uuid4().hex[:6]}@example.org\n"
            f"Марина Саркисова,RU,Москва,{today},\n", encoding="utf-8")
        scan = folder / "sheet-1.png"
        scan.write_bytes(png())
        coordinator.find("#paper-sheet").send_keys(str(sheet))
        coordinator.find("#paper-scans").send_keys(str(scan))
        coordinator.type_into(words["admin_paper_collected_by"], "Armen Hovhannisyan")
        coordinator.type_into(words["admin_paper_received_by"], "Committee of Marseille")
        for field in ("#paper-collected-on", "#paper-received-on"):
            coordinator.driver.execute_script("arguments[0].value = arguments[1]", coordinator.find(field), today)
        coordinator.click(coordinator.find("main form button[type=submit]"))
        assert words["admin_paper_status_submitted"].upper() in coordinator.find("main h1").text.upper()
        assert "Сона" not in coordinator.find("main table").text and "Սոնա Մկրտչյան" in coordinator.find("main table").text
        assert not coordinator.find_all("main form[action$='/review']"), "the coordinator must not review their own batch"
        coordinator.screenshot("admin-paper-batch-submitted")
        batch_page = coordinator.url.split("?")[0]
    finally:
        coordinator.quit()

    browser.open(batch_page)
    browser.screenshot("admin-paper-batch-review")
    browser.click(browser.find("main form[action$='/review'] button[value=accept]"))
    assert words["admin_paper_status_accepted"].upper() in browser.find("main h1").text.upper()
    assert "3" in browser.find("main h1 + p").text

    browser.open(server.base_url + "/en/petitions/osce-moscow-mechanism")
    parts = browser.find("main .progress__parts").text
    assert "3 signed on paper" in parts, parts
    browser.screenshot("petition-with-paper")


def test_a_partner_pushes_with_its_token_until_it_is_revoked(browser, server):
    words = catalogue("en")
    enrol_admin(browser, server, f"admin-{uuid.uuid4().hex[:8]}@example.org")
    browser.click(browser.link('.admin-nav a[href$="/admin/partners"]'))
    browser.type_into(words["admin_partner_name"], f"Armenian Cause {uuid.uuid4().hex[:4]}")
    browser.type_into(words["admin_partner_website"], "https://armeniancause.example")
    browser.type_into(words["admin_partner_contact"], "tech@armeniancause.example")
    browser.click(browser.find("main form[action='/admin/partners'] button[type=submit]"))
    token = browser.find("main [data-partner-token]").text
    assert token.startswith("vigil_partner_")
    browser.screenshot("admin-partners-token")

    status, answer = push(server, token, f"lusine-{uuid.uuid4().hex[:6]}@example.org")
    assert status == 202 and answer["status"] == "pending_confirmation", answer

    browser.open(server.base_url + "/admin/partners")
    browser.click(browser.find("main form[action$='/revoke'] button"))
    status, answer = push(server, token, f"lusine-{uuid.uuid4().hex[:6]}@example.org")
    assert status == 401, answer
