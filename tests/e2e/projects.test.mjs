// 项目 end to end on the demo village 桃源村 (seeded through the commands: one project in notice,
// one in progress with an open inspection problem, one accepted). In the browser, without
// script: the clerk answers the open problem, the supervisor closes it on a 360 px phone, the
// clerk reports completion and records the acceptance (验收) with a supervisor and a household
// representative; the public page then tells the whole story — source, council approval, plan
// with its vote, the plan notice, progress, the inspection closed, the acceptance — and the
// acceptance notice is on the village's notice board.
//
// The second test follows one project from the council's approval to its acceptance. The demo's
// year round was sorted into candidates whose shortlist notice has cleared; the council meets
// today, every member votes on a phone, the candidate 老年活动室改造 becomes a project, the clerk
// drafts its plan, the council votes it and the plan's notice is published; the work cannot
// start while it runs. run.sh starts a second server on the same data dir nine days ahead under
// libfaketime (MINYI_E2E_LATER_URL); there the notice has cleared: the work starts, progress is
// reported, the supervisor finds a problem that blocks acceptance until answered and closed, the
// project is accepted, and its public timeline shows every step from the households' support.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot, url, staffAccount, credentials, bodyText, SIZES } from './helpers.mjs';

const VILLAGE = 'taoyuan';
const stamp = Date.now() % 1_000_000;
let browser;
const ownPasswords = new Map();

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function press(page, target) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.first().click(),
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

/** Puts a motion of `kind` about the option labelled `label` (in `#candidate` or `#plan`) on the
 * open meeting, opens it, every demo council member votes yes on a phone, the clerk closes it.
 * Returns the outcome sentence shown to the clerk. */
async function decide(clerk, members, meetingPath, kind, select, label, text) {
  await clerk.goto(url(meetingPath));
  await clerk.selectOption('#kind', kind);
  const option = clerk.locator(`${select} option`, { hasText: label });
  assert.equal(await option.count(), 1, `the motion form offers ${label} in ${select}`);
  await clerk.selectOption(select, await option.getAttribute('value'));
  await clerk.fill('#text', text);
  await clerk.selectOption('#base', 'all_members');
  await clerk.selectOption('#fraction', '1/2');
  await clerk.selectOption('#strict', 'on');
  let r = await press(clerk, `form[action="${meetingPath}/motions"] button[type=submit]`);
  assert.equal(r.status(), 200, `putting the motion answered ${r.status()}: ${await bodyText(clerk)}`);
  const article = clerk.locator('article.motion', { hasText: text });
  assert.equal(await article.count(), 1, 'the motion is listed');
  r = await press(clerk, article.locator('form[action$="/open"] button[type=submit]'));
  assert.equal(r.status(), 200);
  const memberPath = meetingPath.replace('/meetings/', '/council/');
  for (const m of members) {
    await m.page.goto(url(memberPath));
    const mine = m.page.locator('article.motion', { hasText: text });
    r = await press(m.page, mine.locator('button[name=choice][value=yes]'));
    assert.equal(r.status(), 200, `${m.login} voting answered ${r.status()}`);
  }
  await clerk.goto(url(meetingPath));
  const open = clerk.locator('article.motion', { hasText: text });
  r = await press(clerk, open.locator('form[action$="/close"] button[type=submit]'));
  assert.equal(r.status(), 200);
  return (await clerk.locator('article.motion', { hasText: text }).innerText()).trim();
}

/** The demo council's members of the village, each signed in on a phone of their own. */
async function councilOnPhones() {
  const demo = [...credentials().staff.values()]
    .filter((s) => s.role === 'council_member' && s.village === VILLAGE);
  assert.ok(demo.length >= 9, `the demo council has ${demo.length} members`);
  const members = [];
  for (const d of demo) {
    const { context, page } = await openPage(browser, SIZES.phone);
    members.push({ login: d.login, context, page });
    await signIn(page, d.login);
  }
  return members;
}

test('a candidate the households suggested is approved, planned, voted, noticed, cleared, inspected and accepted, and the public timeline tells it all', async () => {
  const TITLE = '老年活动室改造';
  const { context: cc, page: clerk } = await openPage(browser, SIZES.desktop);
  const { context: sc, page: sup } = await openPage(browser, SIZES.phone);
  let members = [];
  try {
    // The shortlist's notice (public) gives the candidate's support; its period is long over.
    await clerk.goto(url(`/v/${VILLAGE}/notices?kind=shortlist`));
    assert.equal((await press(clerk, clerk.locator('a', { hasText: '候选项目公示' }).first())).status(), 200);
    const support = (await bodyText(clerk)).match(new RegExp(`${TITLE}（[^）]+）— 支持户数 (\\d+)`))?.[1];
    assert.ok(support && Number(support) > 0, 'the shortlist names the candidate with its support');

    // The council meets today and approves the candidate.
    await signIn(clerk, `clerk.${VILLAGE}`);
    members = await councilOnPhones();
    await clerk.goto(url(`/staff/v/${VILLAGE}/meetings`));
    await clerk.fill('#title', `项目立项会议-${stamp}`);
    await clerk.fill('#place', '村委会会议室');
    await clerk.fill('#agenda', `${TITLE}立项\n${TITLE}实施方案表决`);
    await clerk.selectOption('#quorum', '2/3');
    let r = await press(clerk, `form[action="/staff/v/${VILLAGE}/meetings"] button[type=submit]`);
    assert.equal(r.status(), 200);
    const meetingPath = new URL(clerk.url()).pathname;
    assert.match(meetingPath, new RegExp(`^/staff/v/${VILLAGE}/meetings/\\d+$`));
    r = await press(clerk, 'form[action$="/state"] button[name=action][value=open]');
    assert.equal(r.status(), 200);
    for (const id of await clerk.locator('select[id^="att-"]').evaluateAll((els) => els.map((e) => e.id))) {
      await clerk.selectOption(`#${id}`, 'present');
    }
    r = await press(clerk, 'form[action$="/attendance"] button[type=submit]');
    assert.equal(r.status(), 200);
    const approval = await decide(clerk, members, meetingPath, 'approve_candidate', '#candidate', TITLE,
      `批准“${TITLE}”立项-${stamp}`);
    assert.match(approval, /通过：/, `the approval passed: ${approval}`);

    // The approval made the project; the committee drafts its plan.
    await clerk.goto(url(`/staff/v/${VILLAGE}/projects`));
    const link = clerk.locator('ul a', { hasText: TITLE });
    assert.equal(await link.count(), 1, 'the approved candidate is a project');
    const id = (await link.getAttribute('href')).split('/').pop();
    const staffPage = `/staff/v/${VILLAGE}/projects/${id}`;
    await clerk.goto(url(staffPage));
    await clerk.selectOption('#method', 'self_built');
    await clerk.fill('#starts_on', '2026-12-10');
    await clerk.fill('#ends_on', '2027-03-31');
    await clerk.fill('#item0', '屋面防水');
    await clerk.fill('#quantity0', '120');
    await clerk.fill('#unit0', '平方米');
    await clerk.fill('#price0', '85');
    await clerk.fill('#item1', '取暖设备');
    await clerk.fill('#quantity1', '2');
    await clerk.fill('#unit1', '台');
    await clerk.fill('#price1', '3400');
    await clerk.fill('#fund_earmarked', '14000');
    await clerk.fill('#fund_village_own', '3000');
    r = await press(clerk, 'form[action$="/plan"] button[type=submit]');
    assert.equal(r.status(), 200, `drafting the plan answered ${r.status()}: ${await bodyText(clerk)}`);
    assert.match(await bodyText(clerk), /¥17,000\.00/, 'the plan adds up to ¥17,000.00');

    // The council votes the plan in the same meeting; the clerk publishes the plan's notice.
    const planVote = await decide(clerk, members, meetingPath, 'approve_plan', '#plan', TITLE,
      `通过“${TITLE}”实施方案-${stamp}`);
    assert.match(planVote, /通过：/, `the plan vote passed: ${planVote}`);
    r = await press(clerk, 'form[action$="/state"] button[name=action][value=close]');
    assert.equal(r.status(), 200);
    await clerk.goto(url(staffPage));
    r = await press(clerk, 'form[action$="/notice"] button[type=submit]');
    assert.equal(r.status(), 200);
    await clerk.goto(url(staffPage));
    if (await clerk.locator('form[action$="/start"]').count() > 0) {
      const early = await press(clerk, 'form[action$="/start"] button[type=submit]');
      assert.notEqual(early.status(), 200, 'the work cannot start while the notice runs');
    }

    // Nine days later, on the later server (the same database): the notice has cleared.
    const today = await laterToday(clerk);
    await signIn(clerk, `clerk.${VILLAGE}`, later);
    await signIn(sup, `supervisor.${VILLAGE}`, later);
    await clerk.goto(later(staffPage));
    r = await press(clerk, 'form[action$="/start"] button[type=submit]');
    assert.equal(r.status(), 200, 'the notice has cleared: the work starts');
    assert.match(await bodyText(clerk), /实施中/);
    await clerk.fill('#reported_on', today);
    await clerk.fill('#percent', '60');
    await clerk.fill('#body', `屋面防水已完成-${stamp}`);
    r = await press(clerk, 'form[action$="/progress"] button[type=submit]');
    assert.equal(r.status(), 200);

    // The supervisor finds a problem; it stays open until answered and closed.
    await sup.goto(later(staffPage));
    await sup.fill('#inspected_on', today);
    await sup.fill('#place', '老年活动室');
    await sup.fill('#findings', `取暖设备未接地-${stamp}`);
    await sup.locator('form[action$="/inspections"] input[name=result][value=problem]').check();
    await sup.fill('#follow_up', '按规范接地后复查');
    r = await press(sup, 'form[action$="/inspections"] button[type=submit]');
    assert.equal(r.status(), 200);
    await clerk.goto(later(staffPage));
    assert.equal(await clerk.locator('form[action$="/acceptance"]').count(), 0, 'no acceptance while a problem is open');
    await clerk.locator('form[action$="/respond"] textarea').fill(`已按规范接地-${stamp}`);
    r = await press(clerk, 'form[action$="/respond"] button[type=submit]');
    assert.equal(r.status(), 200);
    await sup.goto(later(staffPage));
    r = await press(sup, 'form[action$="/close"] button[type=submit]');
    assert.equal(r.status(), 200);

    await clerk.goto(later(staffPage));
    r = await press(clerk, 'form[action$="/complete"] button[type=submit]');
    assert.equal(r.status(), 200);
    await clerk.fill('#accepted_on', today);
    await clerk.fill('#reasons', `屋面不漏，取暖正常-${stamp}`);
    await clerk.selectOption('#arole0', 'supervisor');
    await clerk.fill('#aperson0', '李秀英');
    await clerk.selectOption('#arole1', 'household_rep');
    await clerk.fill('#aperson1', '赵桂兰');
    r = await press(clerk, 'form[action$="/acceptance"] button[type=submit]');
    assert.equal(r.status(), 200);
    assert.match(await bodyText(clerk), /已验收/);

    // The public timeline, from the households' suggestions to the acceptance.
    const { context: pc, page: pub } = await openPage(browser, SIZES.phone);
    try {
      await pub.goto(url(`/v/${VILLAGE}/projects/${id}`));
      const text = await bodyText(pub);
      for (const expected of ['来源建议', `${support} 户支持`, '议事会表决立项', `批准“${TITLE}”立项-${stamp}`,
        '实施方案第 1 版', '¥17,000.00', '实施方案公示', `屋面防水已完成-${stamp}`, '监督检查',
        `取暖设备未接地-${stamp}`, `已按规范接地-${stamp}`, '验收合格', '赵桂兰']) {
        assert.ok(text.includes(expected), `the public timeline shows ${expected}`);
      }
      assert.ok(!text.includes('临时新增'), 'a project from the households, not a temporary addition');
      await pub.goto(url(`/v/${VILLAGE}/projects?status=accepted`));
      assert.equal(await pub.locator(`a[href="/v/${VILLAGE}/projects/${id}"]`).count(), 1);
    } finally {
      await pc.close();
    }
  } finally {
    for (const m of members) await m.context.close();
    await cc.close();
    await sc.close();
  }
});
