/* Cashier hosted checkout: progressive enhancement only; every page works without it.
   Driven by data- attributes (no inline script, CSP script-src 'self'). */
(function () {
  'use strict';
  var d = document;
  function all(sel, root) { return Array.prototype.slice.call((root || d).querySelectorAll(sel)); }
  function safe(u) {
    try {
      var x = new URL(u, location.href);
      return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
    } catch (e) { return null; }
  }

  // Card fields: hidden (and not required, not submitted) while a wallet is chosen.
  all('form[data-checkout]').forEach(function (form) {
    var box = form.querySelector('[data-card-fields]');
    var radios = all('input[name=method]', form);
    if (!box) return;
    function sync() {
      var wallet = radios.some(function (r) { return r.checked && !r.hasAttribute('data-card'); });
      box.hidden = wallet;
      all('input', box).forEach(function (i) { i.required = !wallet; i.disabled = wallet; });
    }
    radios.forEach(function (r) { r.addEventListener('change', sync); });
    sync();
  });

  // The card's brand, shown as the buyer types (the same issuer ranges as
  // the gateway's processor::card::brand_of; the server shows it too after
  // a refused submit).
  var num = d.getElementById('card_number'), shown = d.querySelector('[data-card-brand]');
  if (num && shown) {
    var brandOf = function (v) {
      var n = v.replace(/\D/g, ''), p = function (k) { return Number(n.slice(0, k)); };
      if (n.length < 4) return '';
      if (n[0] === '4') return 'Visa';
      if ((p(2) >= 51 && p(2) <= 55) || (p(4) >= 2221 && p(4) <= 2720)) return 'Mastercard';
      if (p(2) === 34 || p(2) === 37) return 'American Express';
      if (p(4) === 6011 || (p(3) >= 644 && p(3) <= 649) || p(2) === 65) return 'Discover';
      if (p(2) === 62) return 'UnionPay';
      if (p(4) >= 3528 && p(4) <= 3589) return 'JCB';
      if ((p(3) >= 300 && p(3) <= 305) || p(4) === 3095 || p(2) === 36 || p(2) === 38 || p(2) === 39) return 'Diners Club';
      return '';
    };
    num.addEventListener('input', function () {
      var b = brandOf(num.value);
      if (shown.textContent !== b) shown.textContent = b;
    });
  }

  // Mobile wallets: once the buyer went to the app and comes back to this
  // page (back button, app switch), show the status check. The page is not
  // cached (no-store), so "went to the app" is remembered for this tab.
  all('[data-app-link]').forEach(function (a) {
    var key = 'cashier-app:' + location.pathname, left = false;
    var back = function () {
      var u = safe(a.getAttribute('data-app-link'));
      if (u && u !== location.href) location.replace(u);
    };
    try { if (sessionStorage.getItem(key)) { back(); return; } } catch (e) { /* storage off */ }
    a.addEventListener('click', function () {
      left = true;
      try { sessionStorage.setItem(key, '1'); } catch (e) { /* storage off */ }
    });
    window.addEventListener('pageshow', function (e) { if (e.persisted && left) back(); });
    d.addEventListener('visibilitychange', function () { if (left && d.visibilityState === 'visible') back(); });
  });

  // Double-submit guard (the server is idempotent too). Buttons are not disabled:
  // that would drop the clicked button's name/value from the submission.
  all('form[data-once]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (form.getAttribute('data-sent')) { e.preventDefault(); return; }
      form.setAttribute('data-sent', '1');
      form.classList.add('busy');
    });
  });
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) all('form[data-sent]').forEach(function (f) { f.removeAttribute('data-sent'); f.classList.remove('busy'); });
  });

  // Live countdown to the session expiry; at zero, no more paying.
  var exp = d.querySelector('[data-expires]');
  if (exp) {
    var end = Number(exp.getAttribute('data-expires'));
    var label = d.querySelector('[data-left-label]');
    var tick = function () {
      var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left / 60) % 60, s = left % 60;
      exp.textContent = (h ? h + ':' + (m < 10 ? '0' : '') : '') + m + ':' + (s < 10 ? '0' : '') + s;
      if (left > 0) return setTimeout(tick, 1000 - (Date.now() % 1000));
      all('[data-pay]').forEach(function (b) { b.disabled = true; });
      all('[data-expired]').forEach(function (el) { el.hidden = false; });
    };
    if (end > 0) {
      if (label) label.textContent = label.getAttribute('data-left-label');
      tick();
    }
  }

  // Poll the status endpoint; leave the page once the payment is no longer pending.
  var poll = d.querySelector('[data-poll]');
  if (poll) {
    var url = poll.getAttribute('data-poll');
    var check = function () {
      fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (j && j.state && j.state !== 'pending') {
            var to = j.redirect && safe(j.redirect);
            if (to) location.assign(to); else location.reload();
          } else setTimeout(check, 1500);
        }, function () { setTimeout(check, 1500); });
    };
    setTimeout(check, 1500);
  }

  // Automatic return to the merchant, never sooner than 3 s.
  var rd = d.querySelector('[data-redirect]');
  if (rd) {
    var target = safe(rd.getAttribute('data-redirect'));
    var left = Math.max(3, parseInt(rd.getAttribute('data-redirect-after'), 10) || 3);
    var out = rd.querySelector('[data-secs]');
    var step = function () {
      if (out && left > 0) out.textContent = String(left);
      if (left <= 0) { if (target) location.assign(target); return; }
      left -= 1;
      setTimeout(step, 1000);
    };
    step();
  }
})();
