// Solves the sign form's proof-of-work challenge while the site is under attack, so the
// signature is handled at once. Without this script the form still works: the signature is
// kept for staff to review. The tests run this same file under node against the server's
// challenges, so the two cannot drift apart.
(function (root) {
  "use strict";

  // Leading zero bits of a digest.
  function leadingZeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      return bits + Math.clz32(bytes[i]) - 24;
    }
    return bits;
  }

  // The difficulty is the challenge's first field: "<bits>.<seconds>.<nonce>.<mac>".
  function difficulty(challenge) {
    return parseInt(challenge.split(".")[0], 10);
  }

  // The first counter for which SHA-256(challenge ":" counter) starts with the challenge's
  // number of zero bits. Digests are asked for in batches, and the page gets the main thread
  // back every few dozen milliseconds, so it never freezes.
  async function solve(challenge, subtle) {
    var bits = difficulty(challenge);
    if (!(bits >= 0 && bits <= 32)) throw new Error("not a challenge");
    var encoder = new TextEncoder();
    var batch = 256;
    var since = Date.now();
    for (var start = 0; ; start += batch) {
      var digests = [];
      for (var i = 0; i < batch; i++) {
        digests.push(subtle.digest("SHA-256", encoder.encode(challenge + ":" + (start + i))));
      }
      var results = await Promise.all(digests);
      for (i = 0; i < batch; i++) {
        if (leadingZeroBits(new Uint8Array(results[i])) >= bits) return start + i;
      }
      if (Date.now() - since > 40) {
        await new Promise(function (resume) { setTimeout(resume, 0); });
        since = Date.now();
      }
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { solve: solve, leadingZeroBits: leadingZeroBits };
    return;
  }

  var form = document.querySelector("form[data-proof-of-work]");
  var subtle = root.crypto && root.crypto.subtle;
  if (!form || !subtle || !window.Promise || !window.TextEncoder) return;
  var challenge = form.elements.pow_challenge;
  var counter = form.elements.pow_counter;
  var status = form.querySelector("[data-proof-of-work-status]");
  var button = form.querySelector("button[type=submit]");
  var solving = null;
  var waiting = false;

  // Starts as soon as the signer begins to fill the form, so the answer is usually ready
  // before they press the button.
  function start() {
    if (!solving) {
      solving = solve(challenge.value, subtle).then(
        function (found) { counter.value = String(found); },
        function () {}
      );
    }
    return solving;
  }

  form.addEventListener("focusin", start, { once: true });
  form.addEventListener("submit", function (event) {
    if (counter.value) return;
    event.preventDefault();
    // Enter pressed again while solving must not send the form twice.
    if (waiting) return;
    waiting = true;
    if (button) button.disabled = true;
    if (status) status.textContent = form.getAttribute("data-proof-of-work-checking");
    // Sent even if solving failed: the server keeps such a signature for review.
    start().then(function () { form.submit(); });
  });
})(typeof globalThis !== "undefined" ? globalThis : self);
