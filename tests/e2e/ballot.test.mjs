// 一户一票 end to end: a clerk opens a collection round (double entry of paper ballots on), one
// household votes at the kiosk (and a replayed confirmation is refused), another on its phone
// (after a form with mistakes), two clerks type a third household's paper ballot, the clerk
// closes the round and anyone can check the receipts, the turnout and the CSV / JSON downloads.
//
// The steps share one round and run in order; a step whose predecessor failed fails at once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  launch, openPage, screenshot, url, pathOf, household, staffAccount, bodyText, SIZES,
} from './helpers.mjs';

const VILLAGE = 'taoyuan';
const RECEIPT_CODE = /^[A-Z0-9]{4}-[A-Z0-9]{4}$/;
const here = dirname(fileURLToPath(import.meta.url));

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
/** The clerk's signed-in context, kept for opening, paper entry and closing. */
let clerk;
/** Shared between the steps. */
const flow = {
  roundId: null,
  roundPath: null,
  categories: [],
  kiosk: { who: household(VILLAGE, 0), title: `村口路灯维修-${Date.now() % 100000}`, receipt: null },
  phone: { who: household(VILLAGE, 1), title: `修建健身广场-${Date.now() % 100000}`, receipt: null },
  paper: { who: household(VILLAGE, 2), title: `疏通灌溉水渠-${Date.now() % 100000}`, serial: `P-${Date.now() % 1000000}` },
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

async function staffSignIn(page, login) {
  const account = staffAccount(login);
  await page.goto(url('/login'));
  await page.fill('#username', account.login);
  await page.fill('#password', account.secret);
  const response = await press(page, 'form[action="/login"] button[type=submit]');
  assert.equal(response.status(), 200);
  assert.notEqual(new URL(page.url()).pathname, '/login', `${login} could not sign in`);
}

/** Signs a household in at `start` (kiosk start screen or phone login) and checks it lands on `home`. */
async function householdSignIn(page, h, start, home) {
  await page.goto(url(start));
  await page.fill('input[name=number]', h.number);
  await page.fill('input[name=pin]', h.pin);
  await press(page, 'form button[type=submit]');
  assert.equal(pathOf(page.url()), home, `household ${h.number} did not reach its home page`);
  assert.match(await page.locator('h1').innerText(), new RegExp(h.number));
}

async function scrollWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

function needRound() {
  assert.ok(flow.roundId, 'no open round: the clerk step failed');
}

test('a clerk creates a round with double entry of paper ballots and opens it', async () => {
  clerk = await openPage(browser, SIZES.desktop);
  const { page } = clerk;
  await staffSignIn(page, 'clerk.taoyuan');

  const form = await page.goto(url(`/staff/v/${VILLAGE}/rounds/new`));
  assert.equal(form.status(), 200);
  // Prefilled: a title, 1..5 suggestions and the default categories.
  assert.ok((await page.inputValue('#title')).trim().length > 0, 'the title is prefilled');
  assert.equal(await page.inputValue('#min_suggestions'), '1');
  assert.equal(await page.inputValue('#max_suggestions'), '5');
  const categories = (await page.inputValue('#categories')).split('\n').map((c) => c.trim()).filter(Boolean);
  assert.ok(categories.length >= 2, `default categories: ${categories.join('|')}`);
  flow.categories = categories;
  const double = page.locator('input[type=checkbox][name=double_entry]');
  assert.equal(await double.isChecked(), false, 'double entry is off unless ticked');
  await double.check();

  const created = await press(page, 'form[action$="/rounds/new"] button[type=submit]');
  assert.equal(created.status(), 200);
  const m = new URL(page.url()).pathname.match(new RegExp(`^/staff/v/${VILLAGE}/rounds/(\\d+)$`));
  assert.ok(m, `after creating, the clerk is at ${page.url()}`);
  const roundPath = m[0];
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, new RegExp(`${zh('round.double_entry')}\\s*${zh('common.yes')}`), `double entry not recorded: ${facts}`);
  assert.match(await page.locator('h1 .tag').innerText(), new RegExp(zh('round.state.draft')));

  const open = page.locator('form[action$="/state"] button[name=action][value=open]');
  assert.equal(await open.count(), 1, 'a draft round offers the open button');
  const opened = await press(page, open);
  assert.equal(opened.status(), 200);
  assert.equal(new URL(page.url()).pathname, roundPath, 'back on the round page after opening');
  assert.match(await page.locator('h1 .tag').innerText(), new RegExp(zh('round.state.open')));
  assert.equal(await page.locator('button[name=action][value=open]').count(), 0, 'no open button once open');
  assert.equal(await page.locator('button[name=action][value=close]').count(), 1, 'an open round can be closed');
  const rollSize = await page.locator('dl.facts').innerText();
  assert.match(rollSize, new RegExp(`${zh('round.roll_size')}\\s*\\d+`), 'the frozen roll size is shown');
  flow.roundId = Number(m[1]);
  flow.roundPath = roundPath;
});

test('a household votes at the kiosk, gets a receipt with 完成, and the next person can touch nothing of it', async (t) => {
  needRound();
  const base = `/kiosk/${VILLAGE}`;
  const { who, title } = flow.kiosk;
  const category = flow.categories[0];
  const { context, page } = await openPage(browser, SIZES.kiosk);
  try {
    await householdSignIn(page, who, base, `${base}/home`);
    const vote = page.locator(`a[href="${base}/ballot"]`);
    assert.equal(await vote.count(), 1, 'the home page links to the ballot');
    assert.match(await vote.innerText(), new RegExp(zh('household_home.cast_now')));
    const form = await press(page, vote);
    assert.equal(form.status(), 200);
    assert.equal(pathOf(page.url()), `${base}/ballot`);
    assert.equal(await page.locator('fieldset.suggestion').count(), 5, 'room for 5 suggestions');

    await page.selectOption('#category-1', category);
    await page.fill('#title-1', title);
    await page.fill('#place-1', '三组村口');
    await page.fill('#cost-1', '3000');
    await screenshot(page, 'kiosk-ballot-form');

    const preview = await press(page, 'form.ballot button[name=step][value=preview]');
    assert.equal(preview.status(), 200);
    assert.match(await page.locator('h1').innerText(), new RegExp(zh('ballot.preview_title')));
    const shown = await page.locator('ol.suggestions > li').allInnerTexts();
    assert.equal(shown.length, 1, `one suggestion in the preview: ${shown.join(' / ')}`);
    assert.ok(shown[0].includes(title) && shown[0].includes(category) && shown[0].includes('三组村口'),
      `preview shows ${shown[0]}`);
    assert.match(shown[0], /3,000\.00/, 'the cost is shown in yuan');
    await screenshot(page, 'kiosk-ballot-preview');

    const confirmed = await press(page, 'form[action$="/ballot/confirm"] button[name=step][value=confirm]');
    assert.equal(confirmed.status(), 200);
    assert.equal(pathOf(page.url()), `${base}/receipt`);
    const code = (await page.locator('.receipt-code').innerText()).trim();
    assert.match(code, RECEIPT_CODE, `receipt code "${code}"`);
    flow.kiosk.receipt = code;
    await screenshot(page, 'kiosk-receipt');

    // The receipt's main action is 完成; nothing on it leads back into the ballot.
    const done = page.locator(`form[action="${base}/logout"] button.done`);
    assert.equal(await done.count(), 1, 'the kiosk receipt offers 完成');
    assert.match(await done.innerText(), new RegExp(zh('receipt.done')));
    assert.equal(await page.locator(`a[href="${base}/ballot"]`).count(), 0, 'no 修改户票 at the kiosk');
    assert.ok(!(await bodyText(page)).includes(who.number), 'the receipt names no household');

    // Household A walks away without pressing 完成. The next person presses Back and confirms
    // again, then opens every link on the screen and every address of A's: nothing of A's opens.
    await page.goBack({ waitUntil: 'load' }).catch(() => {});
    const again = page.locator('form[action$="/ballot/confirm"] button[name=step][value=confirm]');
    if (await again.count() === 1) {
      t.diagnostic('replay: Back showed the preview; pressing confirm a second time');
      await press(page, again);
    } else {
      t.diagnostic(`replay: Back showed ${page.url()} without the form; reloading re-posts it`);
      await page.reload({ waitUntil: 'load' });
    }
    t.diagnostic(`replay: ended at ${page.url()}`);
    assert.ok(!(await bodyText(page)).includes(title), `the replay at ${page.url()} shows A's ballot`);
    const links = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of [...links, `${base}/home`, `${base}/ballot`, `${base}/receipt`]) {
      await page.goto(url(href));
      const text = await bodyText(page);
      assert.ok(!text.includes(title) && !text.includes(who.number), `${href} shows something of household ${who.number}`);
      assert.equal(await page.locator('form[action$="/ballot/confirm"], form.ballot').count(), 0, `${href} offers A's ballot`);
    }
    await screenshot(page, 'kiosk-after-hand-over');

    // Still one ballot with the same receipt, seen after a fresh sign-in.
    await householdSignIn(page, who, base, `${base}/home`);
    assert.equal((await page.locator('.round-status .receipt-inline').innerText()).trim(), code);
    assert.deepEqual(page.offsite, [], 'no request left 127.0.0.1');
  } finally {
    await context.close();
  }
});

test('a household votes on its phone at 360 px after fixing a form with mistakes', async () => {
  needRound();
  const base = `/v/${VILLAGE}`;
  const { who, title } = flow.phone;
  const category = flow.categories[1];
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    await householdSignIn(page, who, `${base}/login`, `${base}/me`);
    const vote = page.locator(`a[href="${base}/ballot"]`);
    assert.equal(await vote.count(), 1, 'the phone home page links to the ballot');
    await press(page, vote);
    assert.equal(pathOf(page.url()), `${base}/ballot`);
    assert.ok(await scrollWidth(page) <= SIZES.phone.width, `ballot form is ${await scrollWidth(page)}px wide`);
    await screenshot(page, 'phone-ballot-form');

    // A category but no title, and a cost that is not a number.
    await page.selectOption('#category-1', category);
    await page.fill('#place-1', '村委会东侧空地');
    await page.fill('#cost-1', 'abc');
    const bad = await press(page, 'form.ballot button[name=step][value=preview]');
    assert.equal(bad.status(), 422);
    assert.ok(await page.locator('[role=alert]').first().isVisible(), 'an alert is shown');
    const titleError = page.locator('#title-1 + .field-error[role=alert]');
    assert.equal(await titleError.count(), 1, 'the empty title is flagged');
    assert.equal((await titleError.innerText()).trim(), zh('ballot.error.title_required'));
    const costError = page.locator('#cost-1 + .field-error[role=alert]');
    assert.equal(await costError.count(), 1, 'the bad cost is flagged');
    assert.equal((await costError.innerText()).trim(), zh('ballot.error.cost'));
    assert.equal(await page.locator('#category-1 + .field-error').count(), 0, 'the category was fine');
    assert.equal(await page.inputValue('#category-1'), category, 'the chosen category is kept');
    assert.equal(await page.inputValue('#place-1'), '村委会东侧空地', 'the typed place is kept');
    assert.equal(await page.inputValue('#cost-1'), 'abc', 'the typed cost is kept');
    assert.equal(await page.locator('#title-2 + .field-error').count(), 0, 'empty rows are not errors');
    assert.ok(await scrollWidth(page) <= SIZES.phone.width, `form with errors is ${await scrollWidth(page)}px wide`);
    await screenshot(page, 'phone-ballot-errors');

    await page.fill('#title-1', title);
    await page.fill('#cost-1', '1250.50');
    const preview = await press(page, 'form.ballot button[name=step][value=preview]');
    assert.equal(preview.status(), 200);
    const shown = await page.locator('ol.suggestions > li').allInnerTexts();
    assert.equal(shown.length, 1);
    assert.ok(shown[0].includes(title), `preview shows ${shown[0]}`);
    assert.match(shown[0], /1,250\.50/);

    const confirmed = await press(page, 'form[action$="/ballot/confirm"] button[name=step][value=confirm]');
    assert.equal(confirmed.status(), 200);
    assert.equal(pathOf(page.url()), `${base}/receipt`);
    const code = (await page.locator('.receipt-code').innerText()).trim();
    assert.match(code, RECEIPT_CODE, `receipt code "${code}"`);
    assert.notEqual(code, flow.kiosk.receipt, 'each household has its own receipt');
    assert.ok(await scrollWidth(page) <= SIZES.phone.width, `receipt page is ${await scrollWidth(page)}px wide`);
    flow.phone.receipt = code;
    await screenshot(page, 'phone-receipt');
  } finally {
    await context.close();
  }
});

test('two clerks type the same paper ballot; then it counts and locks the household online', async () => {
  needRound();
  const { who, title } = flow.paper;
  const category = flow.categories[2 % flow.categories.length];
  const paperPath = `${flow.roundPath}/paper`;

  // The clerk sets up the village hall's site and prints its pre-numbered blank ballots; the
  // household fills the first one, and its serial is what both clerks type.
  {
    const { page } = clerk;
    await page.goto(url(`${flow.roundPath}/sites`));
    await page.fill('#site-name', '村部投票点');
    assert.equal((await press(page, 'form[action$="/sites"] button[type=submit]')).status(), 200);
    assert.equal((await press(page, page.locator('a', { hasText: zh('site.print_forms') }).first())).status(), 200);
    await page.fill('#from', '1');
    await page.fill('#count', '2');
    assert.equal((await press(page, 'form[action$="/forms"] button[type=submit]')).status(), 200);
    assert.equal(await page.locator('article.ballot-form').count(), 2, 'two blank forms');
    const printed = (await page.locator('article.ballot-form .form-serial strong').first().innerText()).trim();
    assert.match(printed, /^S\d+-0001$/, `the first form's serial: ${printed}`);
    await screenshot(page, 'paper-blank-forms');
    flow.paper.serial = printed;
  }
  const { serial } = flow.paper;

  async function typePaper(page) {
    const form = await page.goto(url(paperPath));
    assert.equal(form.status(), 200);
    assert.equal((await page.locator('p.notice').first().innerText()).trim(), zh('paper.double_entry_on'));
    await page.fill('#number', who.number);
    await page.fill('#serial', serial);
    await page.selectOption('#category-1', category);
    await page.fill('#title-1', title);
    const response = await press(page, 'form.ballot button[type=submit]');
    assert.equal(response.status(), 200, `paper entry answered ${response.status()}: ${await bodyText(page)}`);
    assert.equal(await page.locator('[role=alert]').count(), 0, 'no error after typing the paper');
    return (await page.locator('p.notice[role=status]').innerText()).trim();
  }

  const first = await typePaper(clerk.page);
  assert.equal(first, zh('paper.done.waiting'));
  assert.equal(await clerk.page.inputValue('#number'), '', 'a fresh form for the next paper');

  const second = await openPage(browser, SIZES.desktop);
  try {
    await staffSignIn(second.page, 'clerk2.taoyuan');
    assert.equal(await typePaper(second.page), zh('paper.done.posted'));
  } finally {
    await second.context.close();
  }

  // The household now sees that its paper ballot counts and cannot vote online.
  const base = `/v/${VILLAGE}`;
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    await householdSignIn(page, who, `${base}/login`, `${base}/me`);
    const status = await page.locator('.round-status:not(.review-status)').innerText();
    assert.ok(status.includes(zh('ballot.paper_locked_notice')), `home page says: ${status}`);
    assert.equal(await page.locator(`a[href="${base}/ballot"]`).count(), 0, 'no link to vote online');
    assert.equal(await page.locator(`a[href="${base}/receipt"]`).count(), 1, 'a link to the receipt');
    await screenshot(page, 'phone-paper-locked');
  } finally {
    await context.close();
  }
});

/** Sets the language cookie of a browser context (the pages then speak `lang`). */
async function speak(context, lang) {
  await context.addCookies([{ name: 'minyi_lang', value: lang, url: url('/') }]);
}

test('in English too, the ballot, preview, receipt, paper entry and blank ballot pages pass axe-core', async () => {
  needRound();
  const base = `/v/${VILLAGE}`;
  const english = async (page, path) => {
    const response = await page.goto(url(path));
    assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', `${path} is in English`);
  };
  // A household on its phone: its ballot to revise, the preview of it, its receipt.
  {
    const { context, page } = await openPage(browser, SIZES.phone);
    try {
      await householdSignIn(page, flow.phone.who, `${base}/login`, `${base}/me`);
      await speak(context, 'en');
      await english(page, `${base}/ballot`);
      const preview = await press(page, 'form.ballot button[name=step][value=preview]');
      assert.equal(preview.status(), 200, 'the preview of the ballot as it stands');
      await english(page, `${base}/receipt`);
    } finally {
      await context.close();
    }
  }
  // The paper voter's receipt with what the clerks recorded.
  {
    const { context, page } = await openPage(browser, SIZES.phone);
    try {
      await householdSignIn(page, flow.paper.who, `${base}/login`, `${base}/me`);
      await speak(context, 'en');
      await english(page, `${base}/receipt`);
      assert.ok((await bodyText(page)).includes(flow.paper.title), 'the recorded paper ballot is shown');
    } finally {
      await context.close();
    }
  }
  // At the kiosk (a sign-in returns it to Chinese; the language is switched after).
  {
    const { context, page } = await openPage(browser, SIZES.kiosk);
    try {
      await householdSignIn(page, flow.kiosk.who, `/kiosk/${VILLAGE}`, `/kiosk/${VILLAGE}/home`);
      await speak(context, 'en');
      await english(page, `/kiosk/${VILLAGE}/ballot`);
      const preview = await press(page, 'form.ballot button[name=step][value=preview]');
      assert.equal(preview.status(), 200, 'the kiosk preview of the ballot as it stands');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await english(page, `/kiosk/${VILLAGE}/receipt`);
    } finally {
      await context.close();
    }
  }
  // The clerk's paper entry and the site's blank ballots.
  {
    const { context, page } = await openPage(browser, SIZES.desktop);
    try {
      await staffSignIn(page, 'clerk2.taoyuan');
      await speak(context, 'en');
      await english(page, `${flow.roundPath}/paper`);
      await english(page, `${flow.roundPath}/sites`);
      const forms = page.locator('a[href$="/forms"]').first();
      const href = await forms.getAttribute('href');
      await english(page, `${href}?from=3&count=2`);
      assert.equal(await page.locator('article.ballot-form').count(), 2);
    } finally {
      await context.close();
    }
  }
});

test('the clerk closes the round; the public page shows turnout, receipts and downloads', async () => {
  needRound();
  assert.ok(flow.kiosk.receipt, 'no kiosk receipt: the kiosk step failed');
  const { page: staff } = clerk;
  await staff.goto(url(flow.roundPath));
  const closed = await press(staff, 'form[action$="/state"] button[name=action][value=close]');
  assert.equal(closed.status(), 200);
  assert.equal(new URL(staff.url()).pathname, flow.roundPath);
  assert.match(await staff.locator('h1 .tag').innerText(), new RegExp(zh('round.state.closed')));

  const publicPath = `/v/${VILLAGE}/rounds/${flow.roundId}`;
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    const response = await page.goto(url(publicPath));
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'nobody is signed in');
    // Turnout: three households voted (kiosk, phone, paper).
    const total = await page.locator('tfoot tr').first().locator('td').allInnerTexts();
    assert.equal(total[1]?.trim(), '3', `ballots in the turnout total: ${total.join(' | ')}`);
    assert.ok(Number(total[0]) >= 3, `roll size in the turnout total: ${total[0]}`);

    const receipts = (await page.locator('.receipts code').allInnerTexts()).map((c) => c.trim());
    assert.equal(receipts.length, 3, `receipts listed: ${receipts.join(' ')}`);
    assert.ok(receipts.includes(flow.kiosk.receipt), `kiosk receipt ${flow.kiosk.receipt} not in ${receipts.join(' ')}`);
    assert.ok(receipts.includes(flow.phone.receipt), `phone receipt ${flow.phone.receipt} not in ${receipts.join(' ')}`);
    const text = await bodyText(page);
    for (const t of [flow.kiosk.title, flow.phone.title, flow.paper.title]) {
      assert.ok(text.includes(t), `suggestion "${t}" is listed`);
    }
    assert.ok(await scrollWidth(page) <= SIZES.phone.width, `public results are ${await scrollWidth(page)}px wide`);
    await screenshot(page, 'public-results');

    // Receipt lookup (GET form).
    assert.equal(await page.locator('form:has(#receipt)').getAttribute('method'), 'get');
    await page.fill('#receipt', flow.kiosk.receipt);
    await press(page, 'form:has(#receipt) button[type=submit]');
    assert.equal(new URL(page.url()).searchParams.get('receipt'), flow.kiosk.receipt);
    const found = page.locator('p.notice[role=status]');
    assert.equal(await found.count(), 1, 'the lookup answers');
    const foundText = await found.innerText();
    // The check mark comes from the stylesheet (.notice::before); the sentence says "counted".
    assert.ok(foundText.includes(flow.kiosk.receipt) && foundText.includes('已计入'), `lookup says: ${foundText}`);
    // And a code nobody holds is not found.
    await page.fill('#receipt', 'ZZZZ-ZZZZ');
    await press(page, 'form:has(#receipt) button[type=submit]');
    assert.equal(await page.locator('p.notice[role=status]').count(), 0, 'an unknown code is not reported found');
    assert.match(await page.locator('[role=alert]').innerText(), /ZZZZ-ZZZZ/);

    // Downloads.
    const download = async (suffix) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`a[href$="/results.${suffix}"]`).click(),
      ]);
      return readFileSync(await file.path());
    };
    const csv = await download('csv');
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'results.csv starts with a UTF-8 BOM');
    const csvText = csv.toString('utf8');
    assert.ok(csvText.includes(flow.kiosk.title), 'results.csv has the kiosk suggestion');
    assert.ok(csvText.includes(flow.paper.title), 'results.csv has the paper suggestion');

    const json = JSON.parse((await download('json')).toString('utf8'));
    assert.ok(Array.isArray(json.receipts), 'results.json has a receipts list');
    assert.ok(json.receipts.includes(flow.kiosk.receipt), `results.json receipts: ${json.receipts}`);
    assert.equal(json.ballots, 3);
    // The replayed confirmation did not add the kiosk suggestion a second time.
    const kioskRows = json.suggestions.filter((s) => JSON.stringify(s).includes(flow.kiosk.title));
    assert.equal(kioskRows.length, 1, `the kiosk suggestion appears ${kioskRows.length} times`);
    assert.deepEqual(page.offsite, [], 'no request left 127.0.0.1');
  } finally {
    await context.close();
  }
});
