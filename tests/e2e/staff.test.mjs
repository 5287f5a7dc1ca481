// Village staff: sign in, reach the household register, sign out; anonymous and foreign-village
// visitors are turned away with a page a person can understand.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, url, pathOf, staffAccount, screenshot, bodyText, cookieValue, SIZES,
} from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(page, login, secret) {
  await page.goto(url('/login'));
  await page.fill('#username', login);
  await page.fill('#password', secret);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/login'),
    page.click('form[action="/login"] button[type=submit]'),
  ]);
}

test('a clerk signs in, opens the household register and signs out', async () => {
  const clerk = staffAccount('clerk.taoyuan');
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    await signIn(page, clerk.login, clerk.secret);
    assert.equal(pathOf(page.url()), '/staff');
    assert.ok(await page.locator('form[action="/logout"] button').isVisible(), 'the header offers sign-out');
    const register = page.locator('a[href="/staff/v/taoyuan/households"]');
    assert.equal(await register.count(), 1, 'the dashboard links to the taoyuan register');
    assert.equal(await page.locator('a[href="/staff/v/qingxi/households"]').count(), 0,
      'no link to another village the clerk does not work for');

    await Promise.all([page.waitForURL(url('/staff/v/taoyuan/households')), register.click()]);
    const rows = page.locator('.scroll table tbody tr');
    const n = await rows.count();
    assert.ok(n >= 1, 'the register lists households');
    const numbers = await page.locator('.scroll table tbody tr td:first-child').allInnerTexts();
    assert.ok(numbers.every((t) => /^\d{2,}$/.test(t.trim())), `户号 column: ${numbers.slice(0, 5).join(' ')}`);
    // A wide table scrolls inside its box; the page itself does not scroll sideways at 360 px.
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= SIZES.phone.width, `register page is ${scrollWidth}px wide`);
    // Touch targets outside the kiosk: at least 44 px tall.
    for (const sel of ['.filters input[name=q]', '.filters button', '.actions .button']) {
      const box = await page.locator(sel).first().boundingBox();
      assert.ok(box && box.height >= 44, `${sel} is ${box?.height}px tall`);
    }
    await screenshot(page, 'staff-households-360');

    const before = await cookieValue(context, 'minyi');
    await Promise.all([page.waitForURL(url('/')), page.click('header form[action="/logout"] button')]);
    assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'signed out: no sign-out button');
    assert.notEqual(await cookieValue(context, 'minyi'), before, 'the session cookie changed');
    await page.goto(url('/staff/v/taoyuan/households'));
    assert.equal(new URL(page.url()).pathname, '/login', 'the register needs a new sign-in');
  } finally {
    await context.close();
  }
});

test('anonymous visitors to /staff are sent to the sign-in page with a way back', async () => {
  const { context, page } = await openPage(browser, SIZES.desktop);
  try {
    await page.goto(url('/staff'));
    const here = new URL(page.url());
    assert.equal(here.pathname, '/login');
    assert.equal(here.searchParams.get('next'), '/staff');
    assert.equal(await page.locator('#username').count(), 1);

    // After signing in the clerk lands where they wanted to go.
    const clerk = staffAccount('clerk.taoyuan');
    await page.fill('#username', clerk.login);
    await page.fill('#password', clerk.secret);
    await Promise.all([page.waitForURL(url('/staff')), page.click('form[action="/login"] button[type=submit]')]);
  } finally {
    await context.close();
  }
});

test('a clerk of another village gets a 403 page that explains itself', async () => {
  const other = staffAccount('clerk.qingxi');
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    await signIn(page, other.login, other.secret);
    assert.equal(pathOf(page.url()), '/staff');
    const response = await page.goto(url('/staff/v/taoyuan/households'));
    assert.equal(response.status(), 403);
    assert.match(response.headers()['content-type'] ?? '', /^text\/html/);
    assert.equal(await page.locator('.scroll table').count(), 0, 'no household rows are shown');
    const lead = (await page.locator('.error-page .lead').innerText()).trim();
    assert.ok(lead.length >= 8, `the message is "${lead}"`);
    assert.match(lead, /[\u4e00-\u9fff]/, 'the message is in Chinese, the default language');
    assert.doesNotMatch(await bodyText(page), /Forbidden|403 Forbidden/, 'not a bare status text');
    assert.ok(await page.locator('.error-page a.button').isVisible(), 'a way onward is offered');
    await screenshot(page, 'staff-forbidden-360');
  } finally {
    await context.close();
  }
});
