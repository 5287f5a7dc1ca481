// Simplified Chinese by default, English on request; the choice is remembered in a cookie.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, url, pathOf, cookieValue, bodyText, fetchRaw, SIZES } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const lang = (page) => page.locator('html').getAttribute('lang');
const hasHan = (text) => /[\u4e00-\u9fff]/.test(text);

test('Chinese by default, English on request, remembered, and back to 中文', async () => {
  // An English-speaking browser still gets Chinese first: the villages' language is the default.
  const { context, page } = await openPage(browser, SIZES.phone, { locale: 'en-US' });
  try {
    await page.goto(url('/'));
    assert.equal(await lang(page), 'zh-CN');
    const zhText = await bodyText(page);
    assert.ok(zhText.includes('村'), 'the directory speaks of villages in Chinese');
    assert.equal(await cookieValue(context, 'minyi_lang'), undefined, 'no language cookie before a choice');

    const english = page.locator('header a[hreflang=en]');
    assert.equal((await english.innerText()).trim(), 'English');
    await Promise.all([page.waitForURL(url('/')), english.click()]);
    assert.equal(await lang(page), 'en');
    assert.equal(await cookieValue(context, 'minyi_lang'), 'en');
    const title = await page.title();
    assert.match(title, /[A-Za-z]{3,}/, `English title: ${title}`);
    assert.ok(!hasHan(await page.locator('h1').innerText()), 'the heading is no longer Chinese');
    assert.match(await page.locator('main').innerText(), /\b(village|Village|villages|Villages)\b/);

    // The choice persists on the next page.
    await Promise.all([page.waitForURL(url('/v/taoyuan')), page.click('a[href="/v/taoyuan"]')]);
    assert.equal(await lang(page), 'en');
    assert.match(await page.locator('main').innerText(), /household/i);
    // And on a fresh page load of another kind (the staff sign-in).
    await page.goto(url('/login'));
    assert.equal(await lang(page), 'en');
    assert.ok(!hasHan(await page.locator('label[for=username]').innerText()));

    // Switching back returns to the page we were on, in Chinese.
    const chinese = page.locator('header a[hreflang=zh-CN]');
    assert.equal((await chinese.innerText()).trim(), '中文');
    await Promise.all([page.waitForURL(url('/login')), chinese.click()]);
    assert.equal(pathOf(page.url()), '/login');
    assert.equal(await lang(page), 'zh-CN');
    assert.equal(await cookieValue(context, 'minyi_lang'), 'zh-CN');
    assert.ok(hasHan(await page.locator('label[for=username]').innerText()));
    await page.goto(url('/'));
    assert.equal(await lang(page), 'zh-CN');
  } finally {
    await context.close();
  }
});

test('the language link keeps a visitor on the same page and refuses to send them elsewhere', async () => {
  const { context, page } = await openPage(browser, SIZES.desktop);
  try {
    await page.goto(url('/v/qingxi'));
    await Promise.all([page.waitForURL(url('/v/qingxi')), page.click('header a[hreflang=en]')]);
    assert.equal(await lang(page), 'en');
    // An open redirect would let a link to Minyi bounce a villager to any site.
    for (const next of ['https://example.com/', '//example.com/', '/\\example.com/']) {
      const res = await fetchRaw(`/lang/zh-CN?next=${encodeURIComponent(next)}`);
      assert.equal(res.status, 303);
      const target = new URL(res.headers.location ?? '', url('/'));
      assert.equal(target.host, new URL(url('/')).host, `next=${next} redirected to ${res.headers.location}`);
    }
  } finally {
    await context.close();
  }
});
