// A kiosk left alone hides the household by itself and the server signs it out, without meta
// refresh (axe-core: critical). Without script a same-origin stylesheet shows a warning first
// and then covers the page with a "back to the start screen" panel, counted from the last
// request. With the kiosk's small same-origin script (static/kiosk.js) the timers count from the
// last input, the warning has a 继续 button, and typing keeps the server's session alive through
// POST /kiosk/{v}/alive: a slow typist's ballot is still signed in when it is submitted. A
// ballot sent after the server's limit anyway (Enter under the cover) is not saved, and the
// start screen says so once, in large type, naming nobody.
// run.sh starts the server with --kiosk-idle-secs 6 (and the ballot form's limit, 6 s too).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, url, pathOf, household, bodyText, fetchRaw, sleep, screenshot, staffAccount, SIZES,
} from './helpers.mjs';
import { press } from './council-helpers.mjs';

const VILLAGE = 'taoyuan';
const START = `/kiosk/${VILLAGE}`;
const HOME = `/kiosk/${VILLAGE}/home`;
const IDLE_SECS = Number(process.env.MINYI_E2E_KIOSK_IDLE_SECS || 6);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const visible = (page, selector) => page.locator(selector).evaluate((el) => getComputedStyle(el).visibility === 'visible');

/** Polls from here (page.waitForFunction needs the page's own script, off in some tests). */
async function waitVisible(page, selector, timeout) {
  const until = Date.now() + timeout;
  while (!(await visible(page, selector))) {
    if (Date.now() > until) throw new Error(`${selector} not visible after ${timeout} ms`);
    await sleep(100);
  }
}

test(`without script, an untouched kiosk warns, hides the household after ${IDLE_SECS} s and signs out`, async () => {
  const h = household(VILLAGE, 3);
  const { context, page } = await openPage(browser, SIZES.kiosk, { javaScriptEnabled: false });
  try {
    await page.goto(url(START));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', h.pin);
    await Promise.all([page.waitForURL(url(HOME)), page.click('form button[type=submit]')]);
    const signedInAt = Date.now();
    assert.match(await page.locator('h1').innerText(), new RegExp(h.number));
    assert.equal(await page.locator('meta[http-equiv=refresh]').count(), 0, 'no meta refresh');
    const scripts = await page.locator('script').evaluateAll((els) => els.map((e) => e.getAttribute('src')));
    assert.deepEqual(scripts, ['/static/kiosk.js'], 'one same-origin script at most, and the page works without it');
    const session = (await context.cookies(url('/'))).find((c) => c.name === 'minyi');
    assert.ok(session, 'signed in with a session cookie');
    assert.equal(await visible(page, '.idle-warning'), false, 'no warning at first');
    assert.equal(await visible(page, '.idle-over'), false, 'the page is not covered at first');

    // Touch nothing: first the warning, then the panel that hides the household.
    await waitVisible(page, '.idle-warning', IDLE_SECS * 1000);
    const warnedAfter = (Date.now() - signedInAt) / 1000;
    assert.ok(warnedAfter < IDLE_SECS, `warned after ${warnedAfter.toFixed(1)} s`);
    assert.equal(await visible(page, '.idle-over'), false, 'warned before the page is covered');
    await waitVisible(page, '.idle-over', (IDLE_SECS + 6) * 1000);
    const coveredAfter = (Date.now() - signedInAt) / 1000;
    assert.ok(coveredAfter >= IDLE_SECS - 1, `covered after only ${coveredAfter.toFixed(1)} s`);
    const panel = await page.locator('.idle-over').boundingBox();
    const viewport = page.viewportSize();
    assert.ok(panel.width >= viewport.width && panel.height >= viewport.height, 'the panel covers the whole screen');
    await screenshot(page, 'kiosk-after-idle');

    // Its one button returns to the start screen, signed out.
    await Promise.all([page.waitForURL(url(START)), page.click('.idle-over a')]);
    assert.ok(!(await bodyText(page)).includes(h.number), 'the household number is gone');
    await page.goto(url(HOME));
    assert.equal(pathOf(page.url()), START, 'the household page sends the browser to the start screen');

    // The server forgets idle kiosk sessions as well: the cookie the browser held while
    // signed in no longer opens the household page once the idle time has passed.
    const idleFor = IDLE_SECS + 1.5 - (Date.now() - signedInAt) / 1000;
    if (idleFor > 0) await sleep(idleFor * 1000);
    const replay = await fetchRaw(HOME, { Cookie: `minyi=${session.value}` });
    assert.equal(replay.status, 303, `stale kiosk cookie got ${replay.status}`);
    assert.equal(replay.headers.location, START);
  } finally {
    await context.close();
  }
});

test('without script, a villager who keeps the ballot moving keeps it: each request starts the timers again', async () => {
  const h = household(VILLAGE, 3);
  const { context, page } = await openPage(browser, SIZES.kiosk, { javaScriptEnabled: false });
  try {
    await page.goto(url(START));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', h.pin);
    await Promise.all([page.waitForURL(url(HOME)), page.click('form button[type=submit]')]);
    // Wait into the warning, then press a button: a fresh page, timers from zero, still signed in.
    await waitVisible(page, '.idle-warning', IDLE_SECS * 1000);
    await page.goto(url(HOME));
    assert.equal(pathOf(page.url()), HOME, 'still signed in after acting on the warning');
    assert.equal(await visible(page, '.idle-warning'), false, 'the warning starts again from zero');
    assert.match(await page.locator('h1').innerText(), new RegExp(h.number));
  } finally {
    await context.close();
  }
});

// The slow typist: a round open in 青溪村 (its own village, so no other test's round is touched).
const SLOW_VILLAGE = 'qingxi';
let clerk;

async function openRound() {
  clerk = await openPage(browser, SIZES.desktop);
  const { page } = clerk;
  const account = staffAccount(`clerk.${SLOW_VILLAGE}`);
  await page.goto(url('/login'));
  await page.fill('#username', account.login);
  await page.fill('#password', account.secret);
  await press(page, 'form[action="/login"] button[type=submit]');
  await page.goto(url(`/staff/v/${SLOW_VILLAGE}/rounds/new`));
  await press(page, 'form[action$="/rounds/new"] button[type=submit]');
  await press(page, 'form[action$="/state"] button[name=action][value=open]');
  assert.equal(await page.locator('button[name=action][value=close]').count(), 1, 'the round is open');
}

async function closeRound() {
  if (!clerk) return;
  const close = clerk.page.locator('form[action$="/state"] button[name=action][value=close]');
  if (await close.count() === 1) await press(clerk.page, close);
  await clerk.context.close();
}

async function kioskBallot(page, h) {
  const base = `/kiosk/${SLOW_VILLAGE}`;
  await page.goto(url(base));
  await page.fill('input[name=number]', h.number);
  await page.fill('input[name=pin]', h.pin);
  await press(page, 'form button[type=submit]');
  assert.equal(pathOf(page.url()), `${base}/home`);
  await page.goto(url(`${base}/ballot`));
  assert.equal(pathOf(page.url()), `${base}/ballot`);
}

test(`a slow typist is never warned while typing and the ballot typed over ${2 * IDLE_SECS} s is kept`, async () => {
  await openRound();
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    await kioskBallot(page, household(SLOW_VILLAGE, 5));
    const category = await page.locator('#category-1 option:not([value=""])').first().getAttribute('value');
    await page.selectOption('#category-1', category);
    // One character a second for twice the limit: no request leaves the page but the keep-alive.
    const title = '村口路灯需要维修更换灯泡';
    const started = Date.now();
    let warned = false;
    let covered = false;
    for (let i = 0; Date.now() - started < 2 * IDLE_SECS * 1000; i += 1) {
      await page.locator('#title-1').pressSequentially(title[i % title.length]);
      await sleep(1000);
      warned ||= await visible(page, '.idle-warning');
      covered ||= await visible(page, '.idle-over');
    }
    assert.equal(warned, false, 'no warning while the person types');
    assert.equal(covered, false, 'the page is not covered while the person types');
    const typed = await page.inputValue('#title-1');
    const preview = await press(page, 'form.ballot button[name=step][value=preview]');
    assert.equal(preview.status(), 200);
    assert.equal(pathOf(page.url()), `/kiosk/${SLOW_VILLAGE}/ballot`, 'still signed in: the preview, not the start screen');
    assert.ok((await bodyText(page)).includes(typed), 'the preview shows the typed suggestion');
  } finally {
    await context.close();
  }
});

/** Types a one-line ballot, waits until the server's kiosk limit has passed, sends it with Enter. */
async function sendAfterTheLimit(page) {
  const category = await page.locator('#category-1 option:not([value=""])').first().getAttribute('value');
  await page.selectOption('#category-1', category);
  await page.fill('#title-1', '村西水渠清淤');
  const typedAt = Date.now();
  // The page is covered by now, but Enter in the focused field still sends the form.
  await sleep((IDLE_SECS + 2) * 1000 - (Date.now() - typedAt));
  await Promise.all([page.waitForURL(url(`/kiosk/${SLOW_VILLAGE}`)), page.locator('#title-1').press('Enter')]);
}

const LOST = '户票没有保存';

test('a ballot sent after the server\'s limit is not saved and the start screen says so, once and to nobody else', async () => {
  const h = household(SLOW_VILLAGE, 7);
  const { context, page } = await openPage(browser, SIZES.kiosk, { javaScriptEnabled: false });
  try {
    await kioskBallot(page, h);
    await sendAfterTheLimit(page);
    const lost = page.locator('p.alert.lost-submit');
    assert.match(await lost.innerText(), new RegExp(LOST), 'the start screen says the ballot was not saved');
    const size = await lost.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 30, `large type: ${size}px`);
    const text = await bodyText(page);
    assert.ok(!text.includes(h.number) && !text.includes('村西水渠清淤'), 'nothing of the household shows');
    await screenshot(page, 'kiosk-lost-submit');
    // Said once; a fresh visitor never sees it.
    await page.goto(url(`/kiosk/${SLOW_VILLAGE}`));
    assert.equal(await lost.count(), 0, 'the next look at the start screen is the plain one');
    const fresh = await openPage(browser, SIZES.kiosk);
    await fresh.page.goto(url(`/kiosk/${SLOW_VILLAGE}`));
    assert.equal(await fresh.page.locator('p.alert.lost-submit').count(), 0);
    await fresh.context.close();
    // Nothing was saved: signed in again, the ballot form is empty.
    await kioskBallot(page, h);
    assert.equal(await page.inputValue('#title-1'), '', 'no ballot was written');
    assert.equal(await page.locator('input[name=expected_version]').getAttribute('value'), '0', 'not a revision');
  } finally {
    await context.close();
  }
  // With the script on and its warning ignored, the same, and the page passes axe-core.
  const on = await openPage(browser, SIZES.kiosk);
  try {
    await kioskBallot(on.page, household(SLOW_VILLAGE, 8));
    await sendAfterTheLimit(on.page);
    assert.match(await on.page.locator('p.alert.lost-submit').innerText(), new RegExp(LOST));
  } finally {
    await on.context.close();
  }
});

test('the warning\'s 继续 keeps the page and the server session; stopping afterwards still warns first', async () => {
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    await kioskBallot(page, household(SLOW_VILLAGE, 6));
    const loaded = Date.now();
    await page.waitForFunction(() => document.querySelector('.idle-warning').classList.contains('on'),
      null, { timeout: IDLE_SECS * 1000 });
    const more = page.locator('.idle-warning button.idle-continue');
    assert.ok(await more.isVisible(), 'the warning offers 继续');
    await more.click();
    assert.equal(await visible(page, '.idle-warning'), false, '继续 hides the warning');
    // Past the limit counted from the page load: neither covered nor signed out.
    await sleep(Math.max(0, (IDLE_SECS + 1) * 1000 - (Date.now() - loaded)));
    assert.equal(await visible(page, '.idle-over'), false, 'not covered after 继续');
    const category = await page.locator('#category-1 option:not([value=""])').first().getAttribute('value');
    await page.selectOption('#category-1', category);
    await page.fill('#title-1', '修缮祠堂屋顶');
    const preview = await press(page, 'form.ballot button[name=step][value=preview]');
    assert.equal(preview.status(), 200);
    assert.equal(pathOf(page.url()), `/kiosk/${SLOW_VILLAGE}/ballot`, 'the server kept the session');
    // Then nobody touches it: the warning comes before the cover, as ever.
    const from = Date.now();
    await page.waitForFunction(() => document.querySelector('.idle-warning').classList.contains('on'),
      null, { timeout: IDLE_SECS * 1000 });
    assert.equal(await visible(page, '.idle-over'), false, 'warned before covered');
    await page.waitForFunction(() => document.querySelector('.idle-over').classList.contains('on'),
      null, { timeout: (IDLE_SECS + 3) * 1000 });
    assert.ok(Date.now() - from >= (IDLE_SECS - 1) * 1000, 'covered only at the limit');
  } finally {
    await context.close();
    await closeRound();
  }
});
