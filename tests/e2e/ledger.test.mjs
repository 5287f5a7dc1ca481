// 专项资金专账 end to end on the demo village: the clerk records an expense for a cleared project,
// an out-of-scope expense is refused with its reason, the supervisor verifies the recorded one,
// the public disclosure page shows it with the chain head and a QR code at 360 px, and the
// township auditor exports the CSV (BOM, hashes) and verifies the chain.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, url, pathOf, staffAccount, screenshot, bodyText, SIZES,
} from './helpers.mjs';
import { signIn as staffSignIn } from './council-helpers.mjs';

const VILLAGE = 'taoyuan';
const stamp = Date.now() % 1_000_000;
const voucher = `付-e2e-${stamp}`;

let browser;
let fundPath = null;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Signs in a demo account (an auditor's second factor kept from the suite's first sign-in). */
const signIn = (page, login) => staffSignIn(page, login, staffAccount(login).secret);

async function submit(page, form) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(`${form} button[type=submit]`).first().click(),
  ]);
}

test('the clerk records an expense and an out-of-scope one is refused with its reason', async () => {
  const { context, page } = await openPage(browser, SIZES.desktop);
  try {
    await signIn(page, `clerk.${VILLAGE}`);
    await page.goto(url(`/staff/v/${VILLAGE}/funds`));
    await page.locator(`a[href^="/staff/v/${VILLAGE}/funds/"]`).first().click();
    await page.waitForLoadState('load');
    fundPath = pathOf(page.url());
    const form = `form[action="${fundPath}/entries"]`;
    const fill = async (amount, v) => {
      await page.selectOption('#kind', 'expense');
      // A project of the demo whose plan notice cleared (the road is still in its notice).
      await page.selectOption('#project', { label: '文化广场路灯' });
      await page.fill('#voucher', v);
      await page.fill('#payee', '建材供应站');
      await page.fill('#description', '水泥（浏览器测试）');
      await page.fill('#amount', amount);
    };
    await fill('99999999', `${voucher}-x`);
    await submit(page, form);
    assert.match(await bodyText(page), /超出项目专项资金预算|资金余额不足/, 'refused with its reason');
    await fill('12.34', voucher);
    await submit(page, form);
    assert.equal(pathOf(page.url()), fundPath);
    assert.ok((await bodyText(page)).includes(voucher), 'the pending entry is listed');
  } finally {
    await context.close();
  }
});

test('another person, the supervisor, verifies it', async () => {
  assert.ok(fundPath, 'no fund: the clerk step failed');
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    await signIn(page, `supervisor.${VILLAGE}`);
    await page.goto(url(`${fundPath.replace(/\/funds\/\d+$/, '')}/ledger-review`));
    await page.locator('a[href$="/verify"]').first().click();
    await page.waitForLoadState('load');
    const card = page.locator('section.card', { hasText: voucher });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      card.locator('form[action$="/post"] button').click(),
    ]);
    assert.ok(!(await bodyText(page)).includes(voucher), 'no longer pending');
  } finally {
    await context.close();
  }
});

test('the public sees the entry, the chain head and a QR code at 360 px', async () => {
  assert.ok(fundPath, 'no fund');
  const id = fundPath.split('/').pop();
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    await page.goto(url(`/v/${VILLAGE}/funds/${id}`));
    const text = await bodyText(page);
    assert.ok(text.includes(voucher), 'the posted entry is public');
    assert.ok(text.includes('¥12.34'));
    assert.match(await page.locator('code.hash').first().innerText(), /^[0-9a-f]{64}$/);
    assert.ok(await page.locator('.qr svg').count() >= 1, 'a QR code');
    assert.ok(await page.locator('figure.chart svg').count() >= 1, 'an SVG chart');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360 + 1, `no sideways scrolling at 360 px (${width})`);
    await screenshot(page, 'ledger-public');
    assert.deepEqual(page.offsite, []);
  } finally {
    await context.close();
  }
});

test('the township auditor verifies the chain and exports the CSV', async () => {
  assert.ok(fundPath, 'no fund');
  const id = fundPath.split('/').pop();
  const { context, page } = await openPage(browser, SIZES.desktop);
  try {
    await signIn(page, 'auditor');
    await page.goto(url('/staff/ledger'));
    await page.locator(`a[href="/staff/ledger/funds/${id}"]`).click();
    await page.waitForLoadState('load');
    await page.locator(`a[href="/staff/ledger/funds/${id}?verify=1"]`).click();
    await page.waitForLoadState('load');
    assert.match(await bodyText(page), /账链完整/);
    // The download with the session's cookies, as the browser would save it.
    const response = await context.request.get(url(`/staff/ledger/funds/${id}/export.csv`));
    assert.equal(response.status(), 200);
    const bytes = await response.body();
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const text = bytes.toString('utf8');
    assert.ok(text.includes('prev_hash,hash'));
    assert.ok(text.includes(voucher));
  } finally {
    await context.close();
  }
});
