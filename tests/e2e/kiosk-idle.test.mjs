// A kiosk left alone returns to its start screen by itself and signs the household out.
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

test(`an untouched kiosk goes back to the start screen after ${IDLE_SECS} s and signs out`, async () => {
  const h = household(VILLAGE, 3);
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    await page.goto(url(START));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', h.pin);
    await Promise.all([page.waitForURL(url(HOME)), page.click('form button[type=submit]')]);
    const signedInAt = Date.now();
    assert.match(await page.locator('h1').innerText(), new RegExp(h.number));
    const refresh = await page.locator('meta[http-equiv=refresh]').getAttribute('content');
    assert.match(refresh ?? '', new RegExp(`^${IDLE_SECS};\\s*url=${START}$`), `meta refresh is "${refresh}"`);
    const session = (await context.cookies(url('/'))).find((c) => c.name === 'minyi');
    assert.ok(session, 'signed in with a session cookie');

    // Touch nothing: the page must leave by itself, not before the idle time.
    await page.waitForURL(url(START), { timeout: (IDLE_SECS + 6) * 1000 });
    const waited = (Date.now() - signedInAt) / 1000;
    assert.ok(waited >= IDLE_SECS - 1, `went back after only ${waited.toFixed(1)} s`);
    await page.waitForLoadState('load');
    assert.ok(!(await bodyText(page)).includes(h.number), 'the household number is gone');
    await screenshot(page, 'kiosk-after-idle');

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
