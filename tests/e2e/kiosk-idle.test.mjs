// A kiosk left alone hides the household by itself and the server signs it out, without meta
// refresh (axe-core: critical) and without script: a same-origin stylesheet shows a warning
// first and then covers the page with a "back to the start screen" panel. The limit counts from
// the last request, so a villager who keeps the ballot moving never loses it unwarned.
// run.sh starts the server with --kiosk-idle-secs 6.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, url, pathOf, household, bodyText, fetchRaw, sleep, screenshot, SIZES,
} from './helpers.mjs';

const VILLAGE = 'taoyuan';
const START = `/kiosk/${VILLAGE}`;
const HOME = `/kiosk/${VILLAGE}/home`;
const IDLE_SECS = Number(process.env.MINYI_E2E_KIOSK_IDLE_SECS || 6);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const visible = (page, selector) => page.locator(selector).evaluate((el) => getComputedStyle(el).visibility === 'visible');

test(`an untouched kiosk warns, hides the household after ${IDLE_SECS} s and signs out`, async () => {
  const h = household(VILLAGE, 3);
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    await page.goto(url(START));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', h.pin);
    await Promise.all([page.waitForURL(url(HOME)), page.click('form button[type=submit]')]);
    const signedInAt = Date.now();
    assert.match(await page.locator('h1').innerText(), new RegExp(h.number));
    assert.equal(await page.locator('meta[http-equiv=refresh]').count(), 0, 'no meta refresh');
    assert.equal(await page.locator('script').count(), 0, 'no script needed');
    const session = (await context.cookies(url('/'))).find((c) => c.name === 'minyi');
    assert.ok(session, 'signed in with a session cookie');
    assert.equal(await visible(page, '.idle-warning'), false, 'no warning at first');
    assert.equal(await visible(page, '.idle-over'), false, 'the page is not covered at first');

    // Touch nothing: first the warning, then the panel that hides the household.
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.idle-warning')).visibility === 'visible',
      null, { timeout: IDLE_SECS * 1000 });
    const warnedAfter = (Date.now() - signedInAt) / 1000;
    assert.ok(warnedAfter < IDLE_SECS, `warned after ${warnedAfter.toFixed(1)} s`);
    assert.equal(await visible(page, '.idle-over'), false, 'warned before the page is covered');
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.idle-over')).visibility === 'visible',
      null, { timeout: (IDLE_SECS + 6) * 1000 });
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

test('a villager who keeps the ballot moving keeps it: each request starts the timers again', async () => {
  const h = household(VILLAGE, 3);
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    await page.goto(url(START));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', h.pin);
    await Promise.all([page.waitForURL(url(HOME)), page.click('form button[type=submit]')]);
    // Wait into the warning, then press a button: a fresh page, timers from zero, still signed in.
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.idle-warning')).visibility === 'visible',
      null, { timeout: IDLE_SECS * 1000 });
    await page.goto(url(HOME));
    assert.equal(pathOf(page.url()), HOME, 'still signed in after acting on the warning');
    assert.equal(await visible(page, '.idle-warning'), false, 'the warning starts again from zero');
    assert.match(await page.locator('h1').innerText(), new RegExp(h.number));
  } finally {
    await context.close();
  }
});
