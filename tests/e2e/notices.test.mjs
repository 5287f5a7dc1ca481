// 公示 end to end: a clerk drafts and publishes a plan notice, the public board shows it first and
// open at 360 px, a household objects at the kiosk, the clerk answers, the public notice page shows
// objection and answer but never the household, the A4 print view (QR code, SHA-256) prints to a
// PDF that carries the hash, and the Atom feed is well-formed XML with the notice in it.
//
// The steps share one notice and run in order; a step whose predecessor failed fails at once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  launch, openPage, screenshot, url, pathOf, household, staffAccount, bodyText, fetchRaw, ARTIFACTS, SIZES,
} from './helpers.mjs';

const VILLAGE = 'taoyuan';
const here = dirname(fileURLToPath(import.meta.url));
const stamp = Date.now() % 1_000_000;

/** The zh-CN text of an i18n key, read from the app's flat `key: text` locale file. */
const zh = (() => {
  const file = join(here, '..', '..', 'src', 'i18n', 'locales', 'zh-CN.yml');
  const map = new Map();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^([A-Za-z0-9_.]+):\s*(.*)$/);
    if (m) map.set(m[1], m[2].trim());
  }
  return (key) => {
    const text = map.get(key);
    assert.ok(text, `zh-CN.yml has no text for ${key}`);
    return text;
  };
})();

let browser;
/** The clerk's signed-in context, kept from drafting to answering. */
let clerk;
const flow = {
  // `&` and `<…>` on purpose: the pages and the feed must escape them, not break on them.
  title: `村道硬化 & 路灯 <二期> 实施方案-${stamp}`,
  body: `一、建设内容：硬化村道 1.2 公里，安装路灯 40 盏。\n二、预算：¥186,000.00，由专项资金列支。\n三、工期：2026年3月至5月。`,
  objection: `路灯间距太大，三组路口没有灯，请增加两盏-${stamp}`,
  answer: `已请施工方复核，三组路口增加两盏路灯，预算不变-${stamp}`,
  who: household(VILLAGE, 5),
  id: null,
  hash: null,
};

before(async () => { browser = await launch(); });
after(async () => {
  await clerk?.context.close();
  await browser?.close();
});

/** Clicks `target` and waits for the navigation it starts; returns the final main-frame response. */
async function press(page, target) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]);
  return response;
}

function needNotice() {
  assert.ok(flow.id && flow.hash, 'no published notice: the clerk step failed');
}

const noticePath = () => `/v/${VILLAGE}/notices/${flow.id}`;

/** True when `number` stands alone in `text` (not as part of a longer run of letters/digits). */
function mentions(text, number) {
  return new RegExp(`(?<![A-Za-z0-9])${number}(?![A-Za-z0-9])`).test(text);
}

const PX_PER_PT = 96 / 72;

test('a clerk drafts and publishes a plan notice; the board lists it first and open, at 360 px', async () => {
  clerk = await openPage(browser, SIZES.desktop);
  const { page } = clerk;
  const account = staffAccount('clerk.taoyuan');
  await page.goto(url('/login'));
  await page.fill('#username', account.login);
  await page.fill('#password', account.secret);
  await press(page, 'form[action="/login"] button[type=submit]');
  assert.notEqual(new URL(page.url()).pathname, '/login', 'the clerk could not sign in');

  const form = await page.goto(url(`/staff/v/${VILLAGE}/notices/new`));
  assert.equal(form.status(), 200);
  await page.selectOption('#kind', 'plan');
  await page.fill('#title', flow.title);
  await page.fill('#body', flow.body);
  await page.fill('#subject', '');
  const created = await press(page, `form[action="/staff/v/${VILLAGE}/notices/new"] button[type=submit]`);
  assert.equal(created.status(), 200);
  const m = pathOf(page.url()).match(new RegExp(`^/staff/v/${VILLAGE}/notices/(\\d+)$`));
  assert.ok(m, `after saving the draft the clerk is at ${page.url()}`);
  const id = Number(m[1]);
  assert.equal(await page.inputValue('#title'), flow.title, 'the draft keeps the title');
  assert.equal(await page.inputValue('#kind'), 'plan', 'the draft keeps the kind');

  // A draft is nobody's business but the clerk's.
  const hidden = await fetchRaw(`/v/${VILLAGE}/notices/${id}`);
  assert.equal(hidden.status, 404, 'an unpublished draft is not public');

  const publish = page.locator(`form[action="/staff/v/${VILLAGE}/notices/${id}/publish"] button[type=submit]`);
  assert.equal((await publish.innerText()).trim(), zh('notice.publish'));
  const published = await press(page, publish);
  assert.equal(published.status(), 200);
  assert.equal(pathOf(page.url()), `/staff/v/${VILLAGE}/notices/${id}`, 'back on the notice after publishing');
  assert.equal(await page.locator(`form[action$="/${id}/publish"]`).count(), 0, 'no publish button once published');
  const hash = (await page.locator('.hash').innerText()).trim();
  assert.match(hash, /^[0-9a-f]{64}$/, `the published notice shows its SHA-256: "${hash}"`);
  flow.id = id;
  flow.hash = hash;

  const { context, page: pub } = await openPage(browser, SIZES.phone);
  try {
    const board = await pub.goto(url(`/v/${VILLAGE}/notices`));
    assert.equal(board.status(), 200);
    const first = pub.locator('ul.board > li').first();
    const firstLink = first.locator('a').first();
    assert.equal(await firstLink.getAttribute('href'), noticePath(), 'the newest notice comes first');
    assert.equal((await firstLink.innerText()).trim(), flow.title, 'the title is shown as typed, escaped once');
    const tag = first.locator('.open-tag');
    assert.equal(await tag.count(), 1, 'the notice in its period carries the open tag');
    assert.equal((await tag.innerText()).trim(), zh('notice.open_period'), 'the open tag says so in words');
    assert.match(await first.innerText(), new RegExp(zh('notice.kind.plan')), 'the kind is named');
    const width = await pub.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= SIZES.phone.width, `the board scrolls sideways at 360 px: ${width}px`);
    await screenshot(pub, 'notices-board-360');

    // The kind filter keeps it under its own kind and drops it under another.
    await pub.goto(url(`/v/${VILLAGE}/notices?kind=plan`));
    assert.equal(await pub.locator(`ul.board a[href="${noticePath()}"]`).count(), 1, 'listed under 实施方案公示');
    assert.equal(await pub.inputValue('#kind'), 'plan', 'the filter shows the chosen kind');
    await pub.goto(url(`/v/${VILLAGE}/notices?kind=fund_statement`));
    assert.equal(await pub.locator(`ul.board a[href="${noticePath()}"]`).count(), 0, 'not listed under 资金收支公示');
    assert.deepEqual(pub.offsite, [], 'no request left 127.0.0.1');
  } finally {
    await context.close();
  }
});

test('a household objects at the kiosk, the clerk answers, the public page shows both but not who', async () => {
  needNotice();
  const h = flow.who;
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    // Each kiosk page is left within seconds: the idle limit in this run is 6 s.
    await page.goto(url(`/kiosk/${VILLAGE}`));
    await page.fill('input[name=number]', h.number);
    await page.fill('input[name=pin]', h.pin);
    await press(page, 'form button[type=submit]');
    assert.equal(pathOf(page.url()), `/kiosk/${VILLAGE}/home`, `household ${h.number} did not sign in`);

    const form = await page.goto(url(`/kiosk/${VILLAGE}/notices/${flow.id}/object`));
    assert.equal(form.status(), 200);
    assert.equal(pathOf(page.url()), `/kiosk/${VILLAGE}/notices/${flow.id}/object`);
    await page.fill('#body', flow.objection);
    const submit = page.locator(`form[action="/kiosk/${VILLAGE}/notices/${flow.id}/object"] button[type=submit]`);
    const box = await submit.boundingBox();
    assert.ok(box && box.height >= 60 && box.width >= 60, `the kiosk submit button is ${box?.width}x${box?.height}`);
    const filed = await press(page, submit);
    assert.equal(filed.status(), 200,
      filed.status() === 429 ? 'over 5 objections a day for this household: run against a fresh data dir' : undefined);
    const status = page.locator('main [role=status]');
    assert.equal(await status.count(), 1, 'a confirmation is shown');
    assert.match(await status.innerText(), /异议已登记/);
    await screenshot(page, 'notices-kiosk-objection-filed');
  } finally {
    await context.close();
  }

  const { page: cp } = clerk;
  await cp.goto(url(`/staff/v/${VILLAGE}/notices/${flow.id}`));
  const article = cp.locator('article.objection', { hasText: flow.objection });
  assert.equal(await article.count(), 1, 'the clerk sees the objection');
  const textarea = article.locator('textarea[id^="answer-"]');
  assert.equal(await textarea.count(), 1, 'an unanswered objection offers an answer box');
  const objectionId = (await textarea.getAttribute('id')).slice('answer-'.length);
  assert.match(objectionId, /^\d+$/);
  await cp.fill(`#answer-${objectionId}`, flow.answer);
  const answered = await press(cp, article.locator('button[type=submit]'));
  assert.equal(answered.status(), 200);
  assert.equal(pathOf(cp.url()), `/staff/v/${VILLAGE}/notices/${flow.id}`);
  const after = cp.locator('article.objection', { hasText: flow.objection });
  assert.match(await after.locator('.answer').innerText(), new RegExp(flow.answer));
  assert.equal(await after.locator('textarea').count(), 0, 'an answered objection has no answer box');

  const { context: anon, page: pub } = await openPage(browser, SIZES.phone);
  try {
    const res = await pub.goto(url(noticePath()));
    assert.equal(res.status(), 200);
    assert.equal((await pub.locator('h1').innerText()).trim(), flow.title);
    assert.equal((await pub.locator('.hash').innerText()).trim(), flow.hash, 'the public page shows the same SHA-256');
    const objection = pub.locator('article.objection', { hasText: flow.objection });
    assert.equal(await objection.count(), 1, 'the objection text is public');
    assert.match(await objection.locator('.answer').innerText(), new RegExp(flow.answer), 'its answer is public');
    const text = await bodyText(pub);
    const html = await pub.content();
    assert.ok(!mentions(text, h.number), `the public page names household ${h.number}`);
    assert.ok(!mentions(html, h.number), `the public page's HTML carries household ${h.number}`);
    const width = await pub.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= SIZES.phone.width, `the notice page scrolls sideways at 360 px: ${width}px`);
    await screenshot(pub, 'notices-public-360');

    // Printed straight from the public page: no site chrome, no forms, black on white.
    await pub.emulateMedia({ media: 'print' });
    assert.equal(await pub.locator('header.top').count(), 1, 'the public page has a site header on screen');
    assert.equal(await pub.locator('header.top').isVisible(), false, 'the site header is hidden in print');
    assert.equal(await pub.locator('footer.foot').isVisible(), false, 'the site footer is hidden in print');
    assert.equal(await pub.locator('.actions').isVisible(), false, 'the buttons are hidden in print');
    const colours = await pub.evaluate(() => {
      const s = getComputedStyle(document.body);
      return { color: s.color, background: s.backgroundColor };
    });
    assert.deepEqual(colours, { color: 'rgb(0, 0, 0)', background: 'rgb(255, 255, 255)' });
  } finally {
    await anon.close();
  }
});

/** pdftotext from poppler-utils, installed with apt-get when missing. */
function pdftotext() {
  const found = spawnSync('sh', ['-c', 'command -v pdftotext'], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.trim();
  const install = spawnSync('sh', ['-c', 'apt-get install -y --no-install-recommends poppler-utils'], {
    encoding: 'utf8', timeout: 120_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const again = spawnSync('sh', ['-c', 'command -v pdftotext'], { encoding: 'utf8' });
  assert.equal(again.status, 0,
    `pdftotext is missing and "apt-get install -y poppler-utils" failed (exit ${install.status}): ` +
    `${(install.stderr || install.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  return again.stdout.trim();
}

test('the A4 print view carries the QR code and the hash, and prints to a PDF that shows them', async () => {
  needNotice();
  const { context, page } = await openPage(browser, SIZES.desktop);
  try {
    const res = await page.goto(url(`${noticePath()}/print`));
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('main.a4').count(), 1, 'the print view is an A4 sheet');
    assert.equal((await page.locator('.a4 h1').innerText()).trim(), flow.title);
    assert.equal((await page.locator('.hash').innerText()).trim(), flow.hash, 'the printed hash is the published one');
    const printedUrl = (await page.locator('.url').innerText()).trim();
    assert.ok(printedUrl.endsWith(noticePath()) && /^https?:\/\//.test(printedUrl),
      `the printed address is absolute and points at the notice: ${printedUrl}`);
    assert.match(await page.locator('.print-village').innerText(), /桃源村/, 'the village is named on the sheet');
    assert.deepEqual(page.offsite, [], 'the QR code is inline, nothing is fetched from elsewhere');
    await screenshot(page, 'notices-print-screen');

    await page.emulateMedia({ media: 'print' });
    const qr = page.locator('.qr svg');
    assert.equal(await qr.count(), 1, 'an inline <svg> QR code');
    const q = await qr.boundingBox();
    assert.ok(q && q.width >= 100 && q.height >= 100, `the QR code prints at ${q?.width}x${q?.height}px`);
    const hashBox = await page.locator('.hash').boundingBox();
    assert.ok(hashBox, 'the hash is printed');
    assert.ok(q.x + q.width <= hashBox.x, 'the QR code sits left of the hash');
    assert.ok(hashBox.y < q.y + q.height, 'the hash sits beside the QR code, not below it');
    const style = await page.evaluate(() => {
      const px = (sel, prop) => parseFloat(getComputedStyle(document.querySelector(sel))[prop]);
      const s = getComputedStyle(document.body);
      return {
        color: s.color,
        background: s.backgroundColor,
        body: px('.a4 .notice-body', 'fontSize'),
        title: px('.a4 h1', 'fontSize'),
        whiteSpace: getComputedStyle(document.querySelector('.a4 .notice-body')).whiteSpace,
        wordBreak: getComputedStyle(document.querySelector('.hash')).wordBreak,
      };
    });
    assert.equal(style.color, 'rgb(0, 0, 0)', 'black text');
    assert.equal(style.background, 'rgb(255, 255, 255)', 'on white');
    assert.ok(style.body >= 14 * PX_PER_PT - 0.01, `the body prints at ${style.body / PX_PER_PT}pt`);
    assert.ok(style.title >= 1.5 * style.body, `the title (${style.title}px) is not large beside the body (${style.body}px)`);
    assert.match(style.whiteSpace, /^pre-(wrap|line)$/, 'the clerk\'s line breaks are kept');
    assert.equal(style.wordBreak, 'break-all', 'the hash may break anywhere');
    for (const sel of ['header', 'nav', 'form', 'button']) {
      const visible = await page.locator(sel).evaluateAll((els) => els.filter((e) => e.offsetParent !== null).length);
      assert.equal(visible, 0, `a ${sel} shows in print`);
    }

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const pdfPath = join(ARTIFACTS, 'notice.pdf');
    writeFileSync(pdfPath, pdf);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'Chromium produced a PDF');
    assert.ok(pdf.length > 1024, `the PDF is only ${pdf.length} bytes`);

    const tool = pdftotext();
    const text = execFileSync(tool, ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, '');
    assert.ok(flat.includes(flow.hash), `the PDF text lacks the hash ${flow.hash}`);
    assert.ok(flat.includes('桃源村'), 'the PDF text names the village');
    assert.ok(flat.includes(`实施方案-${stamp}`), 'the PDF text carries the title');
    // Layout: A4 pages, 2 cm margins (56.7 pt) around every word, one sheet for a short notice.
    const layout = execFileSync(tool, ['-bbox', pdfPath, '-'], { encoding: 'utf8' });
    const pages = [...layout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">/g)];
    assert.equal(pages.length, 1, `a short notice prints on ${pages.length} pages`);
    assert.ok(Math.abs(pages[0][1] - 595.28) < 1 && Math.abs(pages[0][2] - 841.89) < 1,
      `the page is ${pages[0][1]}x${pages[0][2]} pt, not A4`);
    const words = [...layout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)]
      .map((w) => w.slice(1).map(Number));
    assert.ok(words.length > 10, 'the PDF has words');
    const margin = 2 / 2.54 * 72 - 1;
    const left = Math.min(...words.map((w) => w[0]));
    const top = Math.min(...words.map((w) => w[1]));
    const right = Math.max(...words.map((w) => w[2]));
    assert.ok(left >= margin && top >= margin && right <= 595.28 - margin,
      `text reaches into the 2 cm margin: left ${left}, top ${top}, right ${right} pt`);
  } finally {
    await context.close();
  }
});

test('the Atom feed is well-formed XML with the notice as an entry', async () => {
  needNotice();
  const res = await fetchRaw(`/v/${VILLAGE}/notices.atom`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /^application\/atom\+xml/);
  assert.ok(res.text.startsWith('<?xml'), 'starts with an XML declaration');
  assert.ok(res.text.includes('<feed xmlns="http://www.w3.org/2005/Atom">'), 'an Atom feed element');
  assert.match(res.text, /<entry>[\s\S]*?<\/entry>/, 'at least one entry');

  // A real XML parse (the browser's), then the entry for our notice.
  const { context, page } = await openPage(browser, SIZES.desktop);
  try {
    await page.goto(url(`/v/${VILLAGE}/notices`));
    const parsed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const error = doc.getElementsByTagName('parsererror')[0];
      if (error) return { error: error.textContent };
      const ns = 'http://www.w3.org/2005/Atom';
      const entries = [...doc.getElementsByTagNameNS(ns, 'entry')].map((e) => ({
        title: e.getElementsByTagNameNS(ns, 'title')[0]?.textContent,
        href: e.getElementsByTagNameNS(ns, 'link')[0]?.getAttribute('href'),
        content: e.getElementsByTagNameNS(ns, 'content')[0]?.textContent,
      }));
      return { root: doc.documentElement.namespaceURI + ' ' + doc.documentElement.localName, entries };
    }, res.text);
    assert.equal(parsed.error, undefined, `the feed is not well-formed XML: ${parsed.error}`);
    assert.equal(parsed.root, 'http://www.w3.org/2005/Atom feed');
    const entry = parsed.entries.find((e) => e.title === flow.title);
    assert.ok(entry, `no <entry> titled "${flow.title}" among: ${parsed.entries.map((e) => e.title).join(' | ')}`);
    assert.ok(entry.href?.endsWith(noticePath()), `the entry links to ${entry.href}`);
    assert.equal(entry.content?.trim(), flow.body, 'the entry carries the notice text');
  } finally {
    await context.close();
  }
});
