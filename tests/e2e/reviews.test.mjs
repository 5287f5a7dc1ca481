// 监督评议 end to end on the demo village: a household rates every item of the open review at the
// kiosk (a form with a missing rating first, then "check your answers", then confirm), the kiosk
// hands over to the next person (nothing of the household opens any more), the public results
// of the published review show the numbers, the SVG charts and the flagged item with its
// re-consultation; axe-core finds no serious or critical problem on any of these pages.
//
// Last, households rate one of the period's projects poorly on their phones, the clerk closes and
// publishes the open review, and the project's public page carries the flag.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, openPage, screenshot, url, pathOf, household, staffAccount, SIZES } from './helpers.mjs';

const VILLAGE = 'taoyuan';
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Serious and critical axe-core violations of the page as it is now. */
async function axe(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function press(page, target) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]);
  return response;
}

test('a household rates every item at the kiosk and the kiosk is handed over', async () => {
  // axe-core is injected through the DevTools protocol; the app's CSP allows no script.
  const { context, page } = await openPage(browser, SIZES.kiosk, { bypassCSP: true });
  try {
    const h = household(VILLAGE, 60);
    await page.goto(url(`/kiosk/${VILLAGE}`));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', h.pin);
    await press(page, 'form button[type=submit]');
    assert.equal(pathOf(page.url()), `/kiosk/${VILLAGE}/home`);
    await press(page, `a[href="/kiosk/${VILLAGE}/review"]`);
    assert.equal(pathOf(page.url()), `/kiosk/${VILLAGE}/review`);
    const items = await page.locator('fieldset.item').count();
    assert.ok(items >= 3, `the open review has its items (free items and the flagged one): ${items}`);
    assert.deepEqual(await axe(page), [], 'axe on the review form');
    await screenshot(page, 'review-kiosk-form');

    // Only the first item rated: the form comes back with the error summary and the choice kept.
    await page.locator('fieldset.item').first().locator('input[value=basic]').check();
    const refused = await press(page, 'button[value=preview]');
    assert.equal(refused.status(), 422);
    assert.ok(await page.locator('.alert[role=alert]').isVisible());
    assert.ok(await page.locator('fieldset.item').first().locator('input[value=basic]').isChecked());
    assert.deepEqual(await axe(page), [], 'axe on the form with errors');

    for (let i = 0; i < items; i += 1) {
      const value = i === 1 ? 'unknown' : 'satisfied';
      await page.locator('fieldset.item').nth(i).locator(`input[value=${value}]`).check();
    }
    await page.locator('fieldset.item').first().locator('textarea').fill('公开栏字太小');
    const preview = await press(page, 'button[value=preview]');
    assert.equal(preview.status(), 200);
    assert.match(await page.locator('dl.answers').innerText(), /不了解/);
    assert.deepEqual(await axe(page), [], 'axe on check your answers');
    await screenshot(page, 'review-kiosk-preview');

    await press(page, 'button[value=confirm]');
    assert.equal(pathOf(page.url()), `/kiosk/${VILLAGE}/review/done`);
    const thanks = await page.locator('main').innerText();
    assert.ok(!thanks.includes(h.number), 'the thank-you page names no household');
    assert.ok(!thanks.includes('公开栏字太小'), 'and shows no answer');
    assert.deepEqual(await axe(page), [], 'axe on the thank-you page');

    // The next person: nothing of the household opens, the review form included.
    for (const path of [`/kiosk/${VILLAGE}/home`, `/kiosk/${VILLAGE}/review`]) {
      await page.goto(url(path));
      assert.equal(pathOf(page.url()), `/kiosk/${VILLAGE}`, `${path} after the hand-over`);
    }
  } finally {
    await context.close();
  }
});

test('the published results show numbers, charts and the flagged item with its re-consultation', async () => {
  const { context, page } = await openPage(browser, SIZES.phone, { bypassCSP: true });
  try {
    await page.goto(url(`/v/${VILLAGE}/reviews`));
    await press(page, `a[href^="/v/${VILLAGE}/reviews/"]`);
    const text = await page.locator('main').innerText();
    assert.match(text, /参与 \d+ 户 \/ 名册 \d+ 户/);
    assert.match(text, /满意率低于三分之一/);
    assert.match(text, /已进一步征求意见/);
    assert.ok((await page.locator('svg.chart').count()) >= 3, 'one chart per item');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no sideways scrolling at 360 px: ${width}`);
    assert.deepEqual(await axe(page), [], 'axe on the public results');
    await screenshot(page, 'review-results-phone');
  } finally {
    await context.close();
  }
});

/** The demo project the households judge poorly in the open review. */
const PROJECT = '水塘护栏';

test('a project rated under one third is flagged on its public page once the review closes', async () => {
  for (const index of [61, 62, 63]) {
    const { context, page } = await openPage(browser, SIZES.phone);
    try {
      const h = household(VILLAGE, index);
      await page.goto(url(`/v/${VILLAGE}/login`));
      await page.fill('input[name=number]', h.number);
      await page.fill('input[name=pin]', h.pin);
      await press(page, 'form button[type=submit]');
      // The last household answers in English: the review, its preview and the thanks page are
      // checked by axe-core in that language too.
      if (index === 63) await context.addCookies([{ name: 'minyi_lang', value: 'en', url: url('/') }]);
      await page.goto(url(`/v/${VILLAGE}/review`));
      if (index === 63) assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      const items = page.locator('fieldset.item');
      const count = await items.count();
      let found = false;
      for (let i = 0; i < count; i += 1) {
        const poor = (await items.nth(i).locator('legend').innerText()).includes(PROJECT);
        found ||= poor;
        await items.nth(i).locator(`input[value=${poor ? 'dissatisfied' : 'satisfied'}]`).check();
      }
      assert.ok(found, `${PROJECT} is an item of the open review`);
      assert.equal((await press(page, 'button[value=preview]')).status(), 200);
      await press(page, 'button[value=confirm]');
      assert.equal(pathOf(page.url()), `/v/${VILLAGE}/review/done`);
    } finally {
      await context.close();
    }
  }
  const { context, page } = await openPage(browser, SIZES.desktop, { bypassCSP: true });
  try {
    const clerk = staffAccount(`clerk.${VILLAGE}`);
    await page.goto(url('/login'));
    await page.fill('#username', clerk.login);
    await page.fill('#password', clerk.secret);
    await press(page, 'form[action="/login"] button[type=submit]');
    await page.goto(url(`/staff/v/${VILLAGE}/reviews`));
    await press(page, page.locator('tr', { hasText: '下半年' }).locator('a').first());
    await press(page, 'button[name=action][value=close]');
    await press(page, 'button[name=action][value=publish]');
    await page.goto(url(`/v/${VILLAGE}/projects`));
    await press(page, page.locator('main a', { hasText: PROJECT }).first());
    const text = await page.locator('main').innerText();
    assert.match(text, /满意率低于三分之一/, `the flag on ${PROJECT}'s page`);
    assert.match(text, /待进一步征求意见/);
    assert.ok(await page.locator('#ratings').isVisible(), 'the ratings of the published review');
    assert.deepEqual(await axe(page), [], 'axe on the project page with its flag');
    await screenshot(page, 'review-flag-on-project');
  } finally {
    await context.close();
  }
});
