// Accessibility of every page of the demo, in Chinese and in English (issue 10, point 14). For
// each language the test walks the site as a stranger, a household on its phone, a household at
// the kiosk, as the village's clerk, supervisor (监事会) and council member, and as the township's
// administrator and auditor: from each start
// page it follows every same-origin link, one page per route shape (ids and query values aside),
// and axe-core checks each page against WCAG 2.1 A and AA (the gate in axe.mjs, which fails the
// test on any violation). Then it compares what it reached with the routes the server registers
// (the GET routes in src/, the staff table of tests/api/authz.rs): a page route nobody reached
// fails the test, unless it is listed below with the reason it is checked elsewhere or is no page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openPage, url, BASE, household, staffAccount, SIZES } from './helpers.mjs';
import { signIn, press } from './council-helpers.mjs';
import { checkedCount } from './axe.mjs';

const VILLAGE = 'taoyuan';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * GET routes that are no HTML page, or whose pages the walk cannot reach by a link; each says
 * where its page is checked instead (those tests run under the same axe gate).
 */
const ELSEWHERE = new Map([
  ['/lang/{code}', 'a redirect setting the language cookie'],
  ['/kiosk/{village}/idle.css', 'a stylesheet'],
  ['/kiosk/{village}/logout', 'signs out and redirects'],
  ['/kiosk/{village}/login', 'the start screen posts here; GET redirects to it'],
  ['/v/{village}/notices.atom', 'an Atom feed'],
  ['/v/{village}/attachments/{id}', 'a stored photo or PDF'],
  ['/v/{village}/rounds/{round}/roll.txt', 'plain text'],
  ['/v/{village}/reviews/{review}/answers.csv', 'CSV'],
  ['/v/{village}/reviews/{review}/counts.csv', 'CSV'],
  ['/v/{village}/reviews/{review}/counts.json', 'JSON'],
  ['/staff/audit/export.csv', 'CSV'],
  ['/staff/ledger/funds/{fund}/export.csv', 'CSV'],
  ['/staff/v/{village}/funds/{fund}/vouchers/{attachment}', 'a stored voucher file'],
  ['/staff/ledger/funds/{fund}/vouchers/{attachment}', 'a stored voucher file (the auditor opens it from the fund page)'],
  ['/login/2fa', 'a step of an enrolled account\'s sign-in, no link: the administrator\'s and auditor\'s sign-ins in English below (in Chinese: council.test.mjs, ledger.test.mjs)'],
  ['/staff/2fa', 'enrolment at the administrator\'s and auditor\'s first sign-in (below, in Chinese), also linked from every dashboard'],
  ['/staff/password', 'a first sign-in\'s password change (council.test.mjs, staff.test.mjs)'],
  ['/kiosk/{village}/ballot/confirm', 'a GET goes back to the ballot; the confirm page answers the POST (ballot.test.mjs, in both languages)'],
  ['/v/{village}/ballot/confirm', 'a GET goes back to the ballot; the confirm page answers the POST (ballot.test.mjs, in both languages)'],
  ['/kiosk/{village}/review/confirm', 'answers the POST (reviews.test.mjs)'],
  ['/v/{village}/review/confirm', 'answers the POST (reviews.test.mjs, both languages)'],
  ['/kiosk/{village}/review/done', 'after a confirmed review (reviews.test.mjs)'],
  ['/v/{village}/review/done', 'after a confirmed review (reviews.test.mjs, both languages)'],
  ['/kiosk/{village}/ballot', 'the demo has no open round (ballot.test.mjs opens one, both languages)'],
  ['/v/{village}/ballot', 'the demo has no open round (ballot.test.mjs opens one, both languages)'],
  ['/staff/v/{village}/rounds/{round}/paper', 'needs an open round (ballot.test.mjs, both languages)'],
  ['/staff/v/{village}/rounds/{round}/sites/{site}/forms', 'blank ballots of an open round\'s site (ballot.test.mjs, both languages)'],
  ['/kiosk/{village}/receipt', 'after a confirmed ballot (ballot.test.mjs, both languages; kiosk.test.mjs)'],
  ['/v/{village}/receipt', 'after a confirmed ballot (ballot.test.mjs, both languages)'],
]);

/** Links the walk never follows: they change state on GET, or lead to no page. */
const SKIP = /\/logout|\/lang\/|\.(csv|json|txt|atom|css|svg|png|pdf)(\?|$)|\/attachments\/|\/vouchers\/|\/static\/|\/idle\.css/;

/** A route's shape: numeric ids and query values aside. */
function shapeOf(href) {
  const u = new URL(href);
  const path = u.pathname.split('/').map((s) => (/^\d+$/.test(s) ? '#' : s)).join('/');
  const keys = [...u.searchParams.keys()].sort().join('&');
  return keys ? `${path}?${keys}` : path;
}

/** Walks from `starts`, one page per shape not seen yet in `seen`; returns the paths visited. */
async function walk(page, starts, seen, { limit = 80, within = () => true } = {}) {
  // The start pages are opened whoever saw their shape before: what they link to depends on who asks.
  const queue = starts.map((href) => ({ href, start: true }));
  const visited = [];
  const tried = new Set(); // this walk's shapes, refused or not: each opened once
  while (queue.length > 0 && visited.length < limit) {
    const { href: next, start } = queue.shift();
    const shape = shapeOf(next);
    if ((seen.has(shape) || tried.has(shape)) && !start) continue;
    seen.add(shape);
    tried.add(shape);
    const response = await page.goto(next);
    if (!response || !(response.headers()['content-type'] || '').startsWith('text/html')) continue;
    const here = new URL(page.url());
    if (here.pathname !== new URL(next).pathname) {
      // Redirected (to a sign-in, say): the route itself was not seen; someone else may reach it.
      seen.delete(shape);
      if (seen.has(shapeOf(page.url())) && !start) continue;
      seen.add(shapeOf(page.url()));
    }
    if (response.status() === 403) seen.delete(shape); // another role may open it
    // An error page is checked by axe all the same, but does not count as the route reached.
    if (response.status() < 400) visited.push(here.pathname);
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const link of links) {
      const target = new URL(link);
      target.hash = '';
      if (target.origin !== BASE || SKIP.test(target.pathname) || !within(target.pathname)) continue;
      if (!seen.has(shapeOf(target.href))) queue.push({ href: target.href, start: false });
    }
  }
  console.log(`# walked ${visited.length} pages from ${starts.map((s) => new URL(s).pathname).join(' ')}`);
  return visited;
}

/** Sets the page language for the whole context (the cookie the language links set). */
async function speak(context, lang) {
  await context.addCookies([{ name: 'minyi_lang', value: lang, url: BASE }]);
}

/** Every GET route pattern: the staff table of tests/api/authz.rs and the full paths in src/. */
function routes() {
  const all = new Set();
  const authz = readFileSync(join(ROOT, 'tests', 'api', 'authz.rs'), 'utf8');
  for (const m of authz.matchAll(/route\(\s*Method::Get,\s*"([^"]*)"/g)) all.add(m[1]);
  const files = [];
  const collect = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) collect(p);
      else if (p.endsWith('.rs')) files.push(p);
    }
  };
  collect(join(ROOT, 'src'));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/"(\/(?:v|kiosk|login|lang)[^"]*|\/)"\s*,\s*web::get\(\)/g)) all.add(m[1]);
  }
  return [...all];
}

const toRegex = (pattern) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const reached = new Map([['zh-CN', new Set()], ['en', new Set()]]);

for (const lang of ['zh-CN', 'en']) {
  test(`every public, household, kiosk and staff page passes axe-core in ${lang}`, async () => {
    const before = checkedCount();
    const seen = new Set();
    const mark = (paths) => paths.forEach((p) => reached.get(lang).add(p));

    // A stranger: the township, the village and everything public linked from there.
    {
      const { context, page } = await openPage(browser, SIZES.phone);
      await speak(context, lang);
      mark(await walk(page, [url('/'), url(`/v/${VILLAGE}`), url('/login'), url(`/v/${VILLAGE}/login`),
        url(`/kiosk/${VILLAGE}`)], seen, { within: (p) => !p.startsWith('/staff') }));
      await context.close();
    }
    // A household on its phone.
    {
      const h = household(VILLAGE, lang === 'en' ? 71 : 70);
      const { context, page } = await openPage(browser, SIZES.phone);
      await speak(context, lang);
      await page.goto(url(`/v/${VILLAGE}/login`));
      await page.fill('input[name=number]', h.number);
      await page.fill('input[name=pin]', h.pin);
      await press(page, 'form button[type=submit]');
      mark(await walk(page, [url(`/v/${VILLAGE}/me`), url(`/v/${VILLAGE}/ballot`), url(`/v/${VILLAGE}/review`)],
        seen, { within: (p) => p.startsWith(`/v/${VILLAGE}`) }));
      await context.close();
    }
    // A household at the kiosk (a sign-in returns the kiosk to Chinese: the language is set after).
    {
      const h = household(VILLAGE, lang === 'en' ? 73 : 72);
      const { context, page } = await openPage(browser, SIZES.kiosk);
      await page.goto(url(`/kiosk/${VILLAGE}`));
      await page.fill('input[name=number]', h.number);
      await page.fill('input[name=pin]', h.pin);
      await press(page, 'form button[type=submit]');
      await speak(context, lang);
      mark(await walk(page, [url(`/kiosk/${VILLAGE}/home`), url(`/kiosk/${VILLAGE}/ballot`),
        url(`/kiosk/${VILLAGE}/review`), url(`/kiosk/${VILLAGE}/notices`)],
      seen, { within: (p) => p.startsWith(`/kiosk/${VILLAGE}`) }));
      await context.close();
    }
    // The village's staff, each role for the pages the others do not open. A meeting the clerk
    // lists is opened by address by the council member (its members' page is linked from nowhere
    // a member walks to when no meeting is open).
    const probes = new Set();
    for (const login of [`clerk2.${VILLAGE}`, `supervisor.${VILLAGE}`, `council9.${VILLAGE}`]) {
      const { context, page } = await openPage(browser, SIZES.desktop);
      await signIn(page, login, staffAccount(login).secret);
      await speak(context, lang);
      const walked = await walk(page, [url('/staff'), ...[...probes].map(url)], seen,
        { limit: 120, within: (p) => p.startsWith('/staff') });
      mark(walked);
      for (const p of walked) {
        const meeting = p.match(/^\/staff\/v\/([^/]+)\/meetings\/(\d+)$/);
        if (meeting) probes.add(`/staff/v/${meeting[1]}/council/${meeting[2]}`);
      }
      await context.close();
    }
    // The township's administrator and auditor (accounts, sign-in locks, audit log, ledgers),
    // in this language from their sign-in on (a first one changes the password and enrols a
    // second factor; what it chose is kept for later sign-ins, see council-helpers.mjs).
    for (const [login, starts] of [['admin', ['/staff', '/staff/accounts', '/staff/locks', '/staff/audit']],
      ['auditor', ['/staff', '/staff/ledger', '/staff/audit']]]) {
      const { context, page } = await openPage(browser, SIZES.desktop);
      await speak(context, lang);
      await signIn(page, login, staffAccount(login).secret);
      mark(await walk(page, starts.map(url), seen, { limit: 120, within: (p) => p.startsWith('/staff') }));
      await context.close();
    }
    assert.ok(checkedCount() - before >= 40, `axe checked only ${checkedCount() - before} pages`);
  });
}

test('the walk reached every page route in both languages, or the route is checked elsewhere', () => {
  for (const [lang, paths] of reached) {
    const missed = routes()
      .filter((pattern) => !ELSEWHERE.has(pattern))
      .filter((pattern) => ![...paths].some((p) => toRegex(pattern).test(p)));
    assert.deepEqual(missed, [], `no page reached in ${lang} for these routes`);
  }
});
