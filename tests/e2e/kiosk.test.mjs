// The shared kiosk at the village hall: sign in with 户号 + PIN, see the household page, sign
// out, and leave nothing behind for the next villager (cookie, Back button, start screen).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, screenshot, url, pathOf, household, wrongPin, cookieValue, bodyText, SIZES,
} from './helpers.mjs';

const VILLAGE = 'taoyuan';
const START = `/kiosk/${VILLAGE}`;
const HOME = `/kiosk/${VILLAGE}/home`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Height and width in CSS pixels of the element matched by `selector`. */
async function size(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is not rendered`);
  return box;
}

const runs = [
  { name: 'kiosk', viewport: SIZES.kiosk, who: 0, keyboard: false },
  { name: 'phone', viewport: SIZES.phone, who: 1, keyboard: true },
];

for (const run of runs) {
  describe(`kiosk sign-in and sign-out at ${run.viewport.width}x${run.viewport.height}`, () => {
    test('a household signs in, sees its page, signs out and leaves no trace', async () => {
      const h = household(VILLAGE, run.who);
      const { context, page } = await openPage(browser, run.viewport);
      try {
        const start = await page.goto(url(START));
        assert.equal(start.status(), 200);
        assert.equal(start.headers()['cache-control'], 'no-store');
        assert.equal(await page.locator('body.kiosk').count(), 1, 'kiosk pages wear kiosk chrome');
        // Elderly-friendly kiosk: big type and big targets.
        const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
        assert.ok(fontSize >= 20, `kiosk body text is ${fontSize}px`);
        for (const sel of ['#number', '#pin', 'form button[type=submit]']) {
          const box = await size(page, sel);
          assert.ok(box.height >= 60, `${sel} is only ${box.height}px tall at the kiosk`);
          assert.ok(box.width >= 60, `${sel} is only ${box.width}px wide at the kiosk`);
        }
        await screenshot(page, `kiosk-start-${run.name}`);

        if (run.keyboard) {
          // Operable by keyboard alone: the 户号 field has focus, Tab to the PIN, Enter submits.
          const focused = await page.evaluate(() => document.activeElement?.id);
          assert.equal(focused, 'number', 'the 户号 field is focused on arrival');
          await page.keyboard.type(h.number);
          await page.keyboard.press('Tab');
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'pin');
          const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
          assert.notEqual(outline, 'none', 'the focused field shows a focus outline');
          await page.keyboard.type(h.pin);
          await Promise.all([page.waitForURL(url(HOME)), page.keyboard.press('Enter')]);
        } else {
          await page.fill('input[name=number]', h.number);
          await page.fill('input[name=pin]', h.pin);
          await Promise.all([page.waitForURL(url(HOME)), page.click('form button[type=submit]')]);
        }
        assert.equal(pathOf(page.url()), HOME);
        assert.match(await page.locator('h1').innerText(), new RegExp(h.number));
        const signedInCookie = await cookieValue(context, 'minyi');
        assert.ok(signedInCookie, 'a session cookie exists while signed in');
        // The scrollbar-free layout holds at this width too.
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= run.viewport.width, `page scrolls sideways: ${scrollWidth}px`);
        const logout = await size(page, 'form button.big');
        assert.ok(logout.height >= 60 && logout.width >= 60, `sign-out button is ${logout.width}x${logout.height}`);
        await screenshot(page, `kiosk-home-${run.name}`);

        // The big sign-out button.
        await Promise.all([page.waitForURL(url(START)), page.click('form button.big')]);
        assert.equal(pathOf(page.url()), START);
        assert.ok(!(await bodyText(page)).includes(h.number), 'the household number is gone from the start screen');
        assert.equal(await page.inputValue('#number'), '', 'the 户号 field is empty for the next person');
        const afterCookie = await cookieValue(context, 'minyi');
        assert.notEqual(afterCookie, signedInCookie, 'the signed-in session cookie is gone');

        // Back must not bring the household page back, from cache or otherwise.
        await page.goBack().catch(() => {});
        await page.waitForLoadState('load');
        assert.ok(!(await bodyText(page)).includes(h.number), `Back showed the household at ${page.url()}`);
        await page.reload();
        assert.ok(!(await bodyText(page)).includes(h.number), `reload after Back shows the household at ${page.url()}`);
        assert.equal(await page.locator('form[action$="/logout"]').count(), 0, 'nobody is signed in after Back');

        // And the household page itself now sends the browser to the start screen.
        await page.goto(url(HOME));
        assert.equal(pathOf(page.url()), START);
        assert.ok(!(await bodyText(page)).includes(h.number));
        assert.deepEqual(page.offsite, [], 'no request left 127.0.0.1');
      } finally {
        await context.close();
      }
    });
  });
}

test('a wrong PIN shows an error and keeps the typed 户号', async () => {
  const h = household(VILLAGE, 2);
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    await page.goto(url(START));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', wrongPin(h.pin));
    const [response] = await Promise.all([
      page.waitForResponse((r) => pathOf(r.url()) === `${START}/login` && r.request().method() === 'POST'),
      page.click('form button[type=submit]'),
    ]);
    await page.waitForLoadState('load');
    assert.equal(response.status(), 422);
    const alert = page.locator('[role=alert]');
    assert.equal(await alert.count(), 1);
    assert.ok(await alert.isVisible(), 'the error message is visible');
    assert.ok((await alert.innerText()).trim().length >= 6, 'the error message says something');
    // Colour is not the only signal: the message has a border.
    const border = await alert.evaluate((el) => parseFloat(getComputedStyle(el).borderLeftWidth));
    assert.ok(border >= 2, `alert border is ${border}px`);
    assert.equal(await page.inputValue('#number'), h.number, 'the typed 户号 is kept');
    assert.equal(await page.inputValue('#pin'), '', 'the PIN is not echoed back');
    assert.ok(!(await bodyText(page)).includes(h.pin), 'the real PIN appears nowhere');
    await screenshot(page, 'kiosk-wrong-pin');
    // Still not signed in.
    await page.goto(url(HOME));
    assert.equal(pathOf(page.url()), START);
  } finally {
    await context.close();
  }
});
