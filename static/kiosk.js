// The kiosk's idle timers, counting from the last input instead of the page load (issue 10).
// Without this script the stylesheet /kiosk/{v}/idle.css shows the same warning and cover,
// counted from the page load, which is also what the server counts from. With it:
//  - any input (typing, touching, a key) starts the timers again and hides the warning;
//  - the warning's 继续 button does the same;
//  - while a signed-in household keeps typing, the page posts to /kiosk/{v}/alive (CSRF token
//    included) at most every few seconds, so the server's idle limit counts from the last input
//    too and the typed ballot is still signed in when it is submitted;
//  - if the server says the session has ended, the page is covered at once.
// Same origin only (the kiosk pages' CSP allows this one script), no inline code.
(function () {
  'use strict';
  var body = document.body;
  var after = Number(body.getAttribute('data-idle-secs'));
  if (!(after > 0)) return;
  // The same rule as src/collection/handover.rs `warn_after`: a minute before, or half-way.
  var warnAt = after - Math.min(Math.floor(after / 2), 60);
  // Pings at most every quarter of the limit (and every 15 s at most): the server's limit then
  // never ends before the warning has been shown (src/web/session.rs refreshes as often).
  var pingEvery = Math.max(1, Math.min(15, Math.floor(after / 4)));
  var alive = body.getAttribute('data-alive');
  var csrf = body.getAttribute('data-csrf');
  var warning = document.querySelector('.idle-warning');
  var over = document.querySelector('.idle-over');
  var more = document.querySelector('.idle-continue');
  if (!warning || !over) return;

  var now = function () { return Date.now() / 1000; };
  var lastInput = now();
  var lastPing = now(); // the page load was a request
  var pending = false; // input since the last ping
  var ended = false;

  body.classList.add('js-timers');
  if (more) more.hidden = false;

  function end() {
    ended = true;
    warning.classList.remove('on');
    over.classList.add('on');
  }

  function ping() {
    if (!alive || !csrf || ended || !window.fetch) return;
    pending = false;
    lastPing = now();
    fetch(alive, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'csrf=' + encodeURIComponent(csrf),
    }).then(function (res) {
      if (res.status === 401) end();
    }, function () { /* offline: the timers still warn before the limit */ });
  }

  function input() {
    if (ended) return;
    lastInput = now();
    warning.classList.remove('on');
    pending = true;
    if (lastInput - lastPing >= pingEvery) ping();
  }

  ['input', 'keydown', 'pointerdown', 'change', 'touchstart'].forEach(function (name) {
    document.addEventListener(name, input, { capture: true, passive: true });
  });
  if (more) {
    more.addEventListener('click', function () { input(); ping(); });
  }

  setInterval(function () {
    if (ended) return;
    var t = now();
    // Input that came too soon after the last ping is sent once the interval has passed.
    if (pending && t - lastPing >= pingEvery) ping();
    var idle = t - lastInput;
    if (idle >= after) end();
    else if (idle >= warnAt) warning.classList.add('on');
  }, 250);
}());
