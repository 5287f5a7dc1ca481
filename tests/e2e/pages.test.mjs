// Light pages for cheap phones and slow village connections: no JavaScript (kiosk pages: the one
// same-origin timer script, counted in the budget), small over the wire, no sideways scrolling at
// 360 px, readable type and contrast.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, url, fetchRaw, gzipBytes, contrastProblems, screenshot, SIZES,
} from './helpers.mjs';

const PAGES = ['/', '/v/taoyuan', '/kiosk/taoyuan', '/login'];
const BUDGET = 30 * 1024;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the static files are served with sensible types and caching', async () => {
  const expected = {
    '/static/minyi.css': /^text\/css/,
    '/static/print.css': /^text\/css/,
    '/static/favicon.svg': /^image\/svg\+xml/,
  };
  for (const [path, type] of Object.entries(expected)) {
    const res = await fetchRaw(path);
    assert.equal(res.status, 200, `${path} answered ${res.status}`);
    assert.match(res.headers['content-type'] ?? '', type, `${path} content-type`);
    assert.ok(res.text.length > 50, `${path} is not empty`);
    assert.doesNotMatch(res.text, /@import|url\(\s*["']?https?:/i, `${path} loads nothing from elsewhere`);
  }
  const css = (await fetchRaw('/static/minyi.css')).text;
  assert.ok(css.length < 8 * 1024, `minyi.css is ${css.length} bytes`);
  assert.match(css, /"PingFang SC"/);
  assert.match(css, /"Microsoft YaHei"/);
  assert.match(css, /"Noto Sans CJK SC"/);
  assert.doesNotMatch(css, /@font-face/, 'no web fonts');
});

for (const path of PAGES) {
  describe(`page ${path}`, () => {
    // Kiosk pages carry one same-origin script, the idle timers (static/kiosk.js); no other page has any.
    const scripts = path.startsWith('/kiosk/') ? ['/static/kiosk.js'] : [];
    test('has no script but the kiosk timers and fits the 30 KiB budget with its stylesheet', async () => {
      const html = await gzipBytes(path);
      const css = await gzipBytes('/static/minyi.css');
      const tags = [...html.res.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/gi)];
      assert.deepEqual(tags.map(([, attrs]) => (attrs.match(/src="([^"]+)"/) ?? [])[1]), scripts, 'scripts in the HTML');
      assert.ok(tags.every(([, , body]) => body.trim() === ''), 'no inline script');
      assert.doesNotMatch(html.res.text, /\son[a-z]+\s*=/i, 'no inline event handlers');
      let js = 0;
      for (const src of scripts) js += (await gzipBytes(src)).bytes;
      const total = html.bytes + css.bytes + js;
      assert.ok(total <= BUDGET, `${path}: ${html.bytes} B HTML + ${css.bytes} B CSS + ${js} B JS = ${total} B gzip > ${BUDGET}`);
      // Every stylesheet the page links is local and exists.
      for (const [, href] of html.res.text.matchAll(/<link[^>]+href="([^"]+)"/g)) {
        assert.ok(href.startsWith('/'), `${path} links ${href} from elsewhere`);
        assert.equal((await fetchRaw(href)).status, 200, `${href} is missing`);
      }
    });

    test('renders at 360 px without sideways scrolling, other script or tiny text', async () => {
      const { context, page } = await openPage(browser, SIZES.phone);
      try {
        const res = await page.goto(url(path));
        assert.equal(res.status(), 200);
        const srcs = await page.locator('script').evaluateAll((els) => els.map((e) => e.getAttribute('src')));
        assert.deepEqual(srcs, scripts, 'no <script> elements but the kiosk timers');
        const { scrollWidth, fontSize, lineHeight } = await page.evaluate(() => {
          const s = getComputedStyle(document.body);
          return {
            scrollWidth: document.documentElement.scrollWidth,
            fontSize: parseFloat(s.fontSize),
            lineHeight: parseFloat(s.lineHeight),
          };
        });
        assert.ok(scrollWidth <= 360, `${path} is ${scrollWidth}px wide at 360`);
        assert.ok(fontSize >= 18, `body text is ${fontSize}px`);
        assert.ok(lineHeight / fontSize >= 1.3, `line height is ${lineHeight}/${fontSize}`);
        const smallest = await page.evaluate(() => {
          let min = Infinity;
          for (const el of document.querySelectorAll('main p, main a, main label, main li, main td, main th, main button, main input'))
            if (el.getBoundingClientRect().width > 0) min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
          return min;
        });
        assert.ok(smallest >= 16, `some text in main is only ${smallest}px`);
        const contrast = await contrastProblems(page, 4.5);
        assert.deepEqual(contrast, [], 'text contrast at least 4.5:1');
        // Keyboard: from the top of the page (not the autofocused field) the first Tab lands on
        // the skip link, which then shows on screen.
        await page.evaluate(() => {
          document.body.tabIndex = -1;
          document.body.focus();
          document.body.removeAttribute('tabindex');
        });
        await page.keyboard.press('Tab');
        const skip = await page.evaluate(() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          return { cls: el.className, top: box.top, outline: getComputedStyle(el).outlineStyle };
        });
        assert.equal(skip.cls, 'skip', 'the first Tab reaches the skip link');
        assert.ok(skip.top >= 0, 'the focused skip link is visible');
        assert.notEqual(skip.outline, 'none', 'the focused link has an outline');
        assert.deepEqual(page.offsite, [], 'no request left 127.0.0.1');
        await screenshot(page, `page-360${path.replaceAll('/', '-').replace(/-$/, '') || '-home'}`);
      } finally {
        await context.close();
      }
    });
  });
}
