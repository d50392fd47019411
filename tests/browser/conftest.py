"""The running server that tests/browser/run started, and one headless Chromium that checks
every page it opens: no console errors, no request to another origin, every form field named."""

import base64
import email
import email.policy
import hashlib
import hmac
import json
import os
import pathlib
import re
import struct
import subprocess
import time
import urllib.parse

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
MESSAGES = REPOSITORY / "Sources/VigilWeb/Resources/messages"
ARTIFACTS = pathlib.Path(os.environ.get("VIGIL_TEST_ARTIFACTS", REPOSITORY / "tests/browser/artifacts"))
SCREEN_WIDTHS = (360, 1280)


class Server:
    """The `vigil serve` process that tests/browser/run started for this run."""

    def __init__(self):
        try:
            self.base_url = os.environ["VIGIL_BASE_URL"].rstrip("/")
            self.data_folder = pathlib.Path(os.environ["VIGIL_DATA_DIR"])
            self.binary = os.environ["VIGIL_TEST_BINARY"]
        except KeyError as missing:
            pytest.fail(f"{missing} is not set: run these tests through tests/browser/run")
        self.origin = origin(self.base_url)
        self.outbox = self.data_folder / "mail"

    def mail_to(self, address, timeout=30):
        """The first e-mail the server wrote for `address`, parsed, waiting for the outbox worker."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.outbox.glob("*.eml")) if self.outbox.exists() else []:
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if address in str(message["To"]):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no e-mail to {address} in {self.outbox} within {timeout} s")


def origin(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def catalogue(language):
    """The interface's words in `language`, as the server shows them."""
    return json.loads((MESSAGES / f"{language}.json").read_text(encoding="utf-8"))


def totp(typed_secret, at=None, step_offset=0):
    """The RFC 6238 code (SHA-1, 30 s, 6 digits) for a base32 secret as an authenticator app shows it,
    and the time step it belongs to."""
    compact = re.sub(r"\s+", "", typed_secret).upper()
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    step = int((time.time() if at is None else at) // 30) + step_offset
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}", step


# Form controls that people cannot name: no <label>, no aria-label, no aria-labelledby with text.
# A control inside an aria-hidden subtree must be out of reach of people too (the honeypot):
# off the screen and out of the tab order.
UNNAMED_CONTROLS = """
const problems = [];
for (const control of document.querySelectorAll('input, select, textarea')) {
  if (control.type === 'hidden' || control.hidden) continue;
  const style = getComputedStyle(control);
  if (control.getClientRects().length === 0 || style.visibility === 'hidden') continue;
  const snippet = control.outerHTML.slice(0, 160);
  if (control.closest('[aria-hidden="true"]')) {
    const box = control.getBoundingClientRect();
    const offScreen = box.right <= 0 || box.bottom <= 0 || box.width * box.height <= 1;
    if (!offScreen || control.tabIndex >= 0) problems.push('hidden from screen readers but not from people: ' + snippet);
    continue;
  }
  const labelled = [...control.labels].some(label => label.textContent.trim() !== '');
  const ariaLabel = (control.getAttribute('aria-label') || '').trim() !== '';
  const labelledBy = (control.getAttribute('aria-labelledby') || '').split(/\\s+/)
    .some(id => id && document.getElementById(id) && document.getElementById(id).textContent.trim() !== '');
  if (!labelled && !ariaLabel && !labelledBy) problems.push('no label: ' + snippet);
}
return problems;
"""


class Browser:
    """One headless Chromium. Every page it lands on is checked before a test goes on."""

    def __init__(self, server):
        self.server = server
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-default-apps", "--disable-sync", "--no-first-run", "--lang=en",
                         "--window-size=1280,900"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)
        self.visited = []

    def quit(self):
        self.driver.quit()

    # Navigation: only the first page is opened by address; the rest by the links and buttons on pages.

    def open(self, url):
        self.driver.get(url)
        return self.checked()

    def click(self, element):
        """Clicks a link or button that leaves the page, and checks the page it leads to."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, 20).until(lambda driver: self._replaced(old))
        return self.checked()

    def _replaced(self, old):
        try:
            old.tag_name
            return False
        except Exception:  # the old document is gone: the new one has loaded
            return self.driver.execute_script("return document.readyState") == "complete"

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def find_all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def link(self, selector, text=None):
        """The one link matching `selector` (and showing `text`, if given)."""
        links = [a for a in self.find_all(selector) if text is None or a.text.strip() == text]
        assert links, f"no link {selector} {text or ''} on {self.driver.current_url}"
        return links[0]

    def field(self, label_text, within="main"):
        """The form control a person finds by its label's words."""
        labels = [label for label in self.find_all(f"{within} label") if " ".join(label.text.split()) == label_text]
        assert len(labels) == 1, f"{len(labels)} labels reading {label_text!r} on {self.driver.current_url}"
        control = self.driver.execute_script("return arguments[0].control", labels[0])
        assert control is not None, f"the label {label_text!r} names no control"
        return control

    def type_into(self, label_text, text, within="main"):
        control = self.field(label_text, within)
        control.clear()
        control.send_keys(text)

    @property
    def language(self):
        return self.find("html").get_attribute("lang")

    @property
    def url(self):
        return self.driver.current_url

    # What every page must be.

    def checked(self):
        self.visited.append(self.url)
        errors = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, f"console errors on {self.url}: {errors}"
        foreign = [url for url in self.requested_urls() if not self._same_origin(url)]
        assert not foreign, f"{self.url} asked other origins for {foreign}"
        unnamed = self.driver.execute_script(UNNAMED_CONTROLS)
        assert not unnamed, f"form controls without a name on {self.url}: {unnamed}"
        return self

    def requested_urls(self):
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def _same_origin(self, url):
        scheme = urllib.parse.urlsplit(url).scheme
        # data: and blob: carry their bytes with them: nothing leaves the browser.
        return scheme in ("data", "blob", "about") or origin(url) == self.server.origin

    def screenshot(self, name):
        """The whole page at each screen width, into the artefacts folder."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for width in SCREEN_WIDTHS:
            metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            metrics["height"] = min(max(height, 200), 12000)
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
            (ARTIFACTS / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture(scope="session")
def server():
    return Server()


@pytest.fixture(scope="session")
def browser(server):
    browser = Browser(server)
    yield browser
    browser.quit()


PASSWORD = "a long passphrase for the console 7"


def enrol_admin(browser, server, address):
    """Creates an admin with `vigil admin create`, as an operator does, and finishes the setup
    in the browser: a password, an authenticator, the recovery codes. The browser is signed in
    afterwards. Returns the TOTP secret and the time step of the code used to enrol."""
    words = catalogue("en")
    result = subprocess.run(
        [server.binary, "admin", "create", "--email", address, "--role", "admin"],
        env=os.environ, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    links = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith(server.base_url)]
    assert len(links) == 1, f"no setup link in:\n{result.stdout}"
    browser.open(links[0])
    browser.type_into(words["admin_new_password"], PASSWORD)
    browser.type_into(words["admin_password_again"], PASSWORD)
    browser.click(browser.find("main form button[type=submit]"))

    # Enrolling: the key as the page shows it for typing into an authenticator app.
    secret = browser.find("main .secret code").text
    code, enrolled_step = totp(secret)
    browser.type_into(words["admin_two_factor_code"], code)
    browser.click(browser.find("main form button[type=submit]"))
    assert len(browser.find_all("main .codes code")) > 0, "no recovery codes after enrolling"
    browser.click(browser.link("main a", words["admin_recovery_continue"]))
    return secret, enrolled_step
