// 项目 end to end on the demo village 桃源村 (seeded through the commands: one project in notice,
// one in progress with an open inspection problem, one accepted). In the browser, without
// script: the clerk answers the open problem, the supervisor closes it on a 360 px phone, the
// clerk reports completion and records the acceptance (验收) with a supervisor and a household
// representative; the public page then tells the whole story — source, council approval, plan
// with its vote, the plan notice, progress, the inspection closed, the acceptance — and the
// acceptance notice is on the village's notice board.
//
// The second test lets the notice period end: run.sh starts a second server on the same data
// dir nine days ahead under libfaketime (MINYI_E2E_LATER_URL). There the demo's project in notice
// has cleared; the clerk starts the work, reports progress, the supervisor inspects, the clerk
// reports completion and records the acceptance, and the public timeline shows every step.
// (Approval, plan drafting and the plan vote are driven over HTTP in tests/api/projects*.rs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot, url, staffAccount, bodyText, SIZES } from './helpers.mjs';

const VILLAGE = 'taoyuan';
const stamp = Date.now() % 1_000_000;
let browser;
const ownPasswords = new Map();

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function press(page, selector) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(selector).first().click(),
  ]);
  return response;
}

async function signIn(page, login, at = url) {
  const current = ownPasswords.get(login) ?? staffAccount(login).secret;
  await page.goto(at('/login'));
  await page.fill('#username', login);
  await page.fill('#password', current);
  await press(page, 'form[action="/login"] button[type=submit]');
  if (new URL(page.url()).pathname === '/staff/password') {
    const own = `Bamboo-Bridge-${stamp}!`;
    await page.fill('#current', current);
    await page.fill('#new', own);
    await page.fill('#repeat', own);
    await press(page, 'form[action="/staff/password"] button[type=submit]');
    ownPasswords.set(login, own);
  }
  assert.notEqual(new URL(page.url()).pathname, '/login', `${login} could not sign in`);
}

/** The demo's project in progress, found on the public list filtered by status. */
async function projectInProgress(page) {
  await page.goto(url(`/v/${VILLAGE}/projects?status=in_progress`));
  const href = await page.locator('ul.links a[href*="/projects/"]').first().getAttribute('href');
  assert.ok(href, 'the demo holds a project in progress');
  return href.split('/').pop();
}

test('a project in progress is inspected, accepted and its public page tells the whole story', async () => {
  const { context: cc, page: clerk } = await openPage(browser, SIZES.desktop);
  const { context: sc, page: sup } = await openPage(browser, SIZES.phone);
  try {
    const id = await projectInProgress(clerk);
    const staffPage = `/staff/v/${VILLAGE}/projects/${id}`;
    await signIn(clerk, `clerk.${VILLAGE}`);
    await signIn(sup, `supervisor.${VILLAGE}`);
    // The dashboard links the projects for both roles.
    await clerk.goto(url('/staff'));
    assert.ok(await clerk.locator(`a[href="/staff/v/${VILLAGE}/projects"]`).count() > 0);
    await sup.goto(url('/staff'));
    assert.ok(await sup.locator(`a[href="/staff/v/${VILLAGE}/projects"]`).count() > 0);

    // The clerk cannot accept while the problem is open: there is no acceptance form yet, and
    // the open problem waits for the committee's response.
    await clerk.goto(url(staffPage));
    const respond = clerk.locator('form[action$="/respond"]');
    assert.equal(await respond.count(), 1, 'one open problem to answer');
    await respond.locator('textarea').fill(`已按方案规格更换-${stamp}`);
    let r = await press(clerk, 'form[action$="/respond"] button[type=submit]');
    assert.equal(r.status(), 200);

    // The supervisor closes it on the phone.
    await sup.goto(url(staffPage));
    assert.equal(await sup.locator('form[action$="/close"]').count(), 1);
    r = await press(sup, 'form[action$="/close"] button[type=submit]');
    assert.equal(r.status(), 200);
    const overflow = await sup.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the supervisor's page fits 360 px (overflow ${overflow}px)`);
    await screenshot(sup, 'projects-supervisor-phone');

    // The clerk reports completion and records the acceptance.
    await clerk.goto(url(staffPage));
    r = await press(clerk, 'form[action$="/complete"] button[type=submit]');
    assert.equal(r.status(), 200);
    await clerk.fill('#accepted_on', '2026-11-20');
    await clerk.fill('#reasons', `灯具安装牢固，亮度符合方案-${stamp}`);
    await clerk.selectOption('#arole0', 'supervisor');
    await clerk.fill('#aperson0', '李秀英');
    await clerk.selectOption('#arole1', 'household_rep');
    await clerk.fill('#aperson1', '王德福');
    r = await press(clerk, 'form[action$="/acceptance"] button[type=submit]');
    assert.equal(r.status(), 200);
    assert.match(await bodyText(clerk), /已验收/);

    // The public page, no login.
    const { context: pc, page: pub } = await openPage(browser, SIZES.phone);
    try {
      await pub.goto(url(`/v/${VILLAGE}/projects/${id}`));
      const text = await bodyText(pub);
      for (const expected of ['来源建议', '议事会表决立项', '实施方案第 1 版', '预算合计', '实施方案公示',
        '进度', '监督检查', '已销号', `已按方案规格更换-${stamp}`, '验收合格', '王德福']) {
        assert.ok(text.includes(expected), `the public page shows ${expected}`);
      }
      assert.equal(pub.offsite.length, 0, 'nothing requested from elsewhere');
      const pubOverflow = await pub.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(pubOverflow <= 0, `the public page fits 360 px (overflow ${pubOverflow}px)`);
      await screenshot(pub, 'projects-public-phone');
      await pub.goto(url(`/v/${VILLAGE}/notices`));
      assert.match(await bodyText(pub), /验收结果公示/);
      await pub.goto(url(`/v/${VILLAGE}/projects?status=accepted`));
      assert.ok(await pub.locator(`a[href="/v/${VILLAGE}/projects/${id}"]`).count() === 1);
    } finally {
      await pc.close();
    }
  } finally {
    await cc.close();
    await sc.close();
  }
});

/** The later server (nine days ahead); the suite needs it, so its absence fails loudly. */
function later(path) {
  const base = process.env.MINYI_E2E_LATER_URL;
  if (!base) throw new Error('MINYI_E2E_LATER_URL is not set: run.sh starts that server under libfaketime (apt-get install faketime)');
  return base.replace(/\/+$/, '') + path;
}

/** The later server's date in Beijing (YYYY-MM-DD), read from its Date header. */
async function laterToday(page) {
  const res = await page.request.get(later('/'));
  const at = new Date(res.headers().date);
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

test('nine days later the project in notice has cleared: work starts, is inspected and accepted, and the timeline shows it all', async () => {
  const { context: cc, page: clerk } = await openPage(browser, SIZES.desktop);
  const { context: sc, page: sup } = await openPage(browser, SIZES.phone);
  try {
    // Today (the main server) the demo's plan notice is still running: the project cannot start.
    await clerk.goto(url(`/v/${VILLAGE}/projects?status=in_notice`));
    const href = await clerk.locator('ul.links a[href*="/projects/"]').first().getAttribute('href');
    assert.ok(href, 'the demo holds a project in notice');
    const id = href.split('/').pop();
    const staffPage = `/staff/v/${VILLAGE}/projects/${id}`;
    await signIn(clerk, `clerk.${VILLAGE}`);
    await clerk.goto(url(staffPage));
    if (await clerk.locator('form[action$="/start"]').count() > 0) {
      const early = await press(clerk, 'form[action$="/start"] button[type=submit]');
      assert.notEqual(early.status(), 200, 'the work cannot start while the notice runs');
    }

    // Nine days later, on the later server (the same database).
    const today = await laterToday(clerk);
    await signIn(clerk, `clerk.${VILLAGE}`, later);
    await signIn(sup, `supervisor.${VILLAGE}`, later);
    await clerk.goto(later(staffPage));
    let r = await press(clerk, 'form[action$="/start"] button[type=submit]');
    assert.equal(r.status(), 200, 'the notice has cleared: the work starts');
    assert.match(await bodyText(clerk), /实施中/);

    await clerk.fill('#reported_on', today);
    await clerk.fill('#percent', '60');
    await clerk.fill('#body', `护栏立柱已安装-${stamp}`);
    r = await press(clerk, 'form[action$="/progress"] button[type=submit]');
    assert.equal(r.status(), 200);

    await sup.goto(later(staffPage));
    await sup.fill('#inspected_on', today);
    await sup.fill('#place', '水塘东岸');
    await sup.fill('#findings', `立柱间距符合方案-${stamp}`);
    await sup.locator('form[action$="/inspections"] input[name=result]').first().check();
    r = await press(sup, 'form[action$="/inspections"] button[type=submit]');
    assert.equal(r.status(), 200);

    await clerk.goto(later(staffPage));
    r = await press(clerk, 'form[action$="/complete"] button[type=submit]');
    assert.equal(r.status(), 200);
    await clerk.fill('#accepted_on', today);
    await clerk.fill('#reasons', `护栏牢固，符合方案-${stamp}`);
    await clerk.selectOption('#arole0', 'supervisor');
    await clerk.fill('#aperson0', '李秀英');
    await clerk.selectOption('#arole1', 'household_rep');
    await clerk.fill('#aperson1', '赵桂兰');
    r = await press(clerk, 'form[action$="/acceptance"] button[type=submit]');
    assert.equal(r.status(), 200);
    assert.match(await bodyText(clerk), /已验收/);

    // The public timeline, on either server (one database).
    const { context: pc, page: pub } = await openPage(browser, SIZES.phone);
    try {
      await pub.goto(url(`/v/${VILLAGE}/projects/${id}`));
      const text = await bodyText(pub);
      for (const expected of ['议事会表决立项', '实施方案第 1 版', '实施方案公示', `护栏立柱已安装-${stamp}`,
        '监督检查', `立柱间距符合方案-${stamp}`, '验收合格', '赵桂兰']) {
        assert.ok(text.includes(expected), `the public timeline shows ${expected}`);
      }
    } finally {
      await pc.close();
    }
  } finally {
    await cc.close();
    await sc.close();
  }
});
