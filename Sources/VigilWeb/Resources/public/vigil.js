// Refreshes the signature count while the page is open. The page works without it.
(function () {
  var headline = document.querySelector("[data-progress-headline]");
  var bar = document.querySelector("[data-progress-bar]");
  var link = document.querySelector("link[rel=alternate][type='application/json']");
  if (!headline || !bar || !link || !window.fetch) return;
  var format = new Intl.NumberFormat(document.documentElement.lang);
  var last = Number(bar.value);
  function refresh() {
    fetch(link.href, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c || c.total_signature_count === last) return;
        last = c.total_signature_count;
        bar.value = c.total_signature_count;
        headline.textContent = headline.textContent.replace(/^[\d\s.,\u00a0\u202f]+/, format.format(last) + " ");
      })
      .catch(function () {});
  }
  setInterval(function () { if (!document.hidden) refresh(); }, 30000);
})();
