// 监督评议 end to end on the demo village: a household rates every item of the open review at the
// kiosk (a form with a missing rating first, then "check your answers", then confirm), the kiosk
// hands over to the next person (nothing of the household opens any more), the public results
// of the published review show the numbers, the SVG charts and the flagged item with its
// re-consultation; axe-core finds no serious or critical problem on any of these pages.
//
// The flagged item on the project's public page is wired by the lead after merging the projects
// part (`reviews::project::project_flags` + templates/reviews/project_flag.html).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, openPage, screenshot, url, pathOf, household, SIZES } from './helpers.mjs';

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
