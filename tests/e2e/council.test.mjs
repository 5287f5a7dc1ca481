// 议事会 end to end: the township administrator adds two council members to 桃源村 (so the council
// has the demo's members, at least nine, plus two); every member signs in on a phone and is greeted
// by name on the dashboard. The clerk convenes a meeting with an agenda on a desktop, opens it,
// takes attendance with one member not there yet and puts a motion to the vote; the missing member
// arrives after the voting opened and the clerk records the arrival. On 360 px phones every member
// finds the meeting from their dashboard (no typed address): one recuses, one votes no, one
// abstains, the others (the late one too) vote yes; the clerk closes the motion (the outcome
// sentence states rule, base and numbers), closes the meeting and writes the minutes, which show
// who was present when the voting opened and the arrival; one member refuses to sign with a reason
// on their phone (拒签) and every other present member signs on the phone, which locks the
// minutes with a SHA-256; anyone can then read the roll call by name, who refused and why, the
// CSV / JSON and the council-result notice.
//
// The steps share one meeting and run in order; a step whose predecessor failed fails at once.
// Needs a fresh data dir (run.sh makes one): the council must be the demo's plus the two added.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, screenshot, url, pathOf, staffAccount, credentials, bodyText, fetchRaw, SIZES,
} from './helpers.mjs';
import { zh, expectedOutcome, press, secretOf, signIn, scrollWidth } from './council-helpers.mjs';

const VILLAGE = 'taoyuan';
const VILLAGE_NAME = '桃源村';
const stamp = Date.now() % 1_000_000;
const HASH = /^[0-9a-f]{64}$/;

let browser;
/** The clerk's signed-in desktop context, kept for the whole meeting. */
let clerk;
/**
 * Each member: { login, name, secret, role: 'recuse' | 'yes' | 'no' | 'abstain', late, refuses,
 * context, page }.
 */
const members = [];
/** The demo's council members in 桃源村, from the credentials file (council.taoyuan first). */
const demoCouncil = [...credentials().staff.values()]
  .filter((s) => s.role === 'council_member' && s.village === VILLAGE)
  .sort((a, b) => (a.login === `council.${VILLAGE}` ? -1 : b.login === `council.${VILLAGE}` ? 1
    : a.login.localeCompare(b.login, 'en', { numeric: true })));
/** The member's standing on the motion as the public record words it. */
const standingOf = (member) => (member.role === 'recuse' ? 'recused' : member.role);
const flow = {
  title: `议事会第${stamp}次会议`,
  place: '村委会二楼会议室',
  agenda: [`修缮村小学围墙-${stamp}`, `村道保洁经费-${stamp}`],
  motion: `同意从专项资金中列支修缮村小学围墙-${stamp}`,
  reason: `本人承包了围墙修缮工程，按规定回避-${stamp}`,
  refusal: `会议记录未写明反对意见的理由，本人不签-${stamp}`,
  notes: `记录人：文书。会议按议程进行-${stamp}`,
  meetingId: null,
  meetingPath: null,
  motionId: null,
  outcome: null,
  hash: null,
};

before(async () => { browser = await launch(); });
after(async () => {
  for (const m of members) await m.context?.close();
  await clerk?.context.close();
  await browser?.close();
});

function needMembers() {
  assert.ok(demoCouncil.length >= 9, `the demo council has ${demoCouncil.length} members, not at least nine`);
  assert.equal(members.length, demoCouncil.length + 2,
    'the council does not have the demo members and the two added: the admin step failed');
  assert.ok(members.every((m) => m.page), 'not every member is signed in: the sign-in step failed');
}
/** The council's size: the demo's members and the two the administrator added. */
const councilSize = () => members.length;
const late = () => members.find((m) => m.late);
const refuser = () => members.find((m) => m.refuses);
/** Members present at the close: all of them (the late one arrived). */
const quorumNeeded = (n) => Math.ceil((n * 2) / 3);
function needMeeting() {
  assert.ok(flow.meetingId && flow.motionId, 'no meeting with a motion: the clerk step failed');
}

const memberPath = () => `/staff/v/${VILLAGE}/council/${flow.meetingId}`;
const publicPath = () => `/v/${VILLAGE}/council/${flow.meetingId}`;

test('a newcomer finds the demo council and its past meeting on record, with signed minutes', async () => {
  assert.ok(demoCouncil.length >= 9, `the demo council has ${demoCouncil.length} members, not at least nine`);
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    assert.equal((await page.goto(url(`/v/${VILLAGE}/council`))).status(), 200);
    const listed = page.locator('a', { hasText: '村规民约修订专题议事会' });
    assert.equal(await listed.count(), 1, 'the demo meeting is listed on the public council page');
    assert.equal((await press(page, listed)).status(), 200);
    const outcomes = (await page.locator('section.card p.notice, section.card p.alert').allInnerTexts())
      .map((t) => t.trim()).filter((t) => /^(通过|未通过)：/.test(t));
    assert.equal(outcomes.length, 2, `two motions decided: ${JSON.stringify(outcomes)}`);
    assert.ok(outcomes.some((t) => t.startsWith('通过：')) && outcomes.some((t) => t.startsWith('未通过：')),
      `one passed, one failed: ${JSON.stringify(outcomes)}`);
    assert.match((await page.locator('.hash').innerText()).trim(), HASH, 'the minutes are locked with their hash');
    assert.equal(await page.locator('#refusers li').count(), 1, 'one member refused to sign, with a reason');
    const minutes = await page.locator('pre.minutes').innerText();
    assert.ok(minutes.includes(`应到 ${demoCouncil.length} 人`), `the minutes count the whole council:\n${minutes}`);
    assert.ok(/请假（1）/.test(minutes), `one member on leave:\n${minutes}`);
    assert.ok(/主持人：.+\n记录人：.+/.test(minutes), `the minutes name the chair and the recorder:\n${minutes}`);
    assert.ok(/回避：/.test(minutes), `a recusal is on record:\n${minutes}`);
  } finally {
    await context.close();
  }
});

test('the township administrator creates two more council members for 桃源村', async () => {
  const demo = staffAccount('council.taoyuan');
  assert.equal(demo.role, 'council_member');
  const { context, page } = await openPage(browser, SIZES.desktop);
  try {
    await signIn(page, 'admin', staffAccount('admin').secret);
    const created = [];
    for (const [i, name] of [`议事员甲${stamp}`, `议事员乙${stamp}`].entries()) {
      const form = await page.goto(url('/staff/accounts/new'));
      assert.equal(form.status(), 200);
      const scopes = await page.locator('#scope option').evaluateAll(
        (opts) => opts.map((o) => ({ value: o.value, label: o.textContent.trim() })),
      );
      const village = scopes.filter((s) => s.value.startsWith('v:') && s.label === VILLAGE_NAME);
      assert.equal(village.length, 1, `one scope option for ${VILLAGE_NAME}: ${JSON.stringify(scopes)}`);
      const login = `council${i + 2}.${VILLAGE}.${stamp}`;
      await page.fill('#username', login);
      await page.fill('#display_name', name);
      await page.selectOption('#role', 'council_member');
      await page.selectOption('#scope', village[0].value);
      const response = await press(page, 'form[action="/staff/accounts/new"] button[type=submit]');
      assert.equal(response.status(), 200, `creating ${login} answered ${response.status()}: ${await bodyText(page)}`);
      assert.equal(await page.locator('[role=alert]').count(), 0, 'no error after creating the account');
      assert.equal((await page.locator('.big-number').first().innerText()).trim(), login);
      const secret = (await page.locator('.big-number.pin').innerText()).trim();
      assert.ok(secret.length >= 8, `one-time password "${secret}"`);
      created.push({ login, name, secret });
    }
    assert.notEqual(created[0].secret, created[1].secret, 'each account gets its own password');
    await screenshot(page, 'council-account-created');
    // The demo's first member recuses, the second votes no and refuses to sign the minutes, the
    // third abstains; the rest vote yes, the last added one arriving late.
    const roles = ['recuse', 'no', 'abstain'];
    for (const [i, d] of demoCouncil.entries()) {
      members.push({ login: d.login, name: null, secret: d.secret, role: roles[i] ?? 'yes', refuses: i === 1 });
    }
    for (const [i, c] of created.entries()) members.push({ ...c, role: 'yes', late: i === created.length - 1 });
  } finally {
    await context.close();
  }
});

test('every council member signs in on a phone and the dashboard greets them by name', async () => {
  assert.ok(demoCouncil.length >= 9, `the demo council has ${demoCouncil.length} members, not at least nine`);
  assert.equal(members.length, demoCouncil.length + 2, 'the admin step failed');
  const [pre, post] = zh('dashboard.hello', { name: '\u0000' }).split('\u0000');
  for (const member of members) {
    const { context, page } = await openPage(browser, SIZES.phone);
    member.context = context;
    member.page = page;
    await signIn(page, member.login, member.secret);
    assert.equal((await page.goto(url('/staff'))).status(), 200);
    const greeting = (await page.locator('h1').innerText()).trim();
    const name = greeting.startsWith(pre) && greeting.endsWith(post) && greeting.length > pre.length + post.length
      ? greeting.slice(pre.length, greeting.length - post.length) : null;
    assert.ok(name, `${member.login}'s dashboard greets "${greeting}"`);
    if (member.name) assert.equal(name, member.name, `${member.login} has the name the administrator gave`);
    member.name = name;
  }
  assert.equal(new Set(members.map((m) => m.name)).size, members.length, 'every member has their own name');
});

test('the clerk convenes a meeting with an agenda, opens it, takes attendance, puts a motion to the vote and records a late arrival', async () => {
  needMembers();
  clerk = await openPage(browser, SIZES.desktop);
  const { page } = clerk;
  await signIn(page, 'clerk.taoyuan', staffAccount('clerk.taoyuan').secret);

  const list = await page.goto(url(`/staff/v/${VILLAGE}/meetings`));
  assert.equal(list.status(), 200);
  const n = councilSize();
  assert.ok((await bodyText(page)).includes(zh('meetings.members', { n })), `the council has ${n} members`);
  await page.fill('#title', flow.title);
  await page.fill('#place', flow.place);
  await page.fill('#agenda', flow.agenda.join('\n'));
  await page.fill('#starts_at', '2026-03-15T19:30');
  await page.selectOption('#quorum', '2/3');
  const created = await press(page, `form[action="/staff/v/${VILLAGE}/meetings"] button[type=submit]`);
  assert.equal(created.status(), 200);
  const m = new URL(page.url()).pathname.match(new RegExp(`^/staff/v/${VILLAGE}/meetings/(\\d+)$`));
  assert.ok(m, `after convening, the clerk is at ${page.url()}`);
  const meetingPath = m[0];
  assert.ok((await page.locator('h1').innerText()).includes(flow.title), 'the meeting title is the heading');
  assert.match(await page.locator('h1 .tag').innerText(), new RegExp(zh('meeting.state.scheduled')));
  assert.ok((await bodyText(page)).includes(flow.place), 'the place is shown');
  const agenda = page.locator('section.card', { has: page.locator('h2', { hasText: zh('meeting.agenda') }) });
  assert.deepEqual((await agenda.locator('ol li').allInnerTexts()).map((t) => t.trim()), flow.agenda,
    'the agenda is fixed with the meeting, item by item');

  const open = page.locator('form[action$="/state"] button[name=action][value=open]');
  assert.equal(await open.count(), 1, 'a scheduled meeting offers the open button');
  assert.equal((await press(page, open)).status(), 200);
  assert.equal(new URL(page.url()).pathname, meetingPath, 'back on the meeting page after opening');
  assert.match(await page.locator('h1 .tag').innerText(), new RegExp(zh('meeting.state.open')));
  const status = page.locator('p[role=status]');
  assert.ok((await status.innerText()).includes(zh('meeting.not_quorate')), 'nobody signed in yet: no quorum');

  // Attendance: every member present but the late one, not there yet.
  const selects = page.locator('select[id^="att-"]');
  assert.equal(await selects.count(), n, `${n} members on the attendance list`);
  const rows = page.locator('form[action$="/attendance"] tr');
  const rowTexts = await rows.allInnerTexts();
  for (const member of members) {
    assert.ok(rowTexts.some((r) => r.includes(member.name)), `${member.name} on the attendance list: ${rowTexts.join(' | ')}`);
  }
  const lateSelect = rows.filter({ hasText: late().name }).locator('select');
  assert.equal(await lateSelect.count(), 1, `one attendance row for ${late().name}`);
  const lateId = await lateSelect.getAttribute('id');
  for (const id of await selects.evaluateAll((els) => els.map((e) => e.id))) {
    await page.selectOption(`#${id}`, id === lateId ? 'absent' : 'present');
  }
  const saveButton = page.locator('form[action$="/attendance"] button[type=submit]');
  assert.equal((await saveButton.innerText()).trim(), zh('meeting.save_attendance'));
  assert.equal((await press(page, saveButton)).status(), 200);
  assert.equal(new URL(page.url()).pathname, meetingPath);
  const quorum = await page.locator('p[role=status]').innerText();
  assert.ok(quorum.includes(zh('meeting.quorum_status', { present: n - 1, needed: quorumNeeded(n) })), `quorum line: ${quorum}`);
  assert.ok(quorum.includes(zh('meeting.quorate')), `quorum line: ${quorum}`);
  for (const [id, value] of await page.locator('select[id^="att-"]').evaluateAll((els) => els.map((e) => [e.id, e.value]))) {
    assert.equal(value, id === lateId ? 'absent' : 'present', 'the attendance was saved');
  }

  // A motion over all members, more than half.
  assert.ok((await bodyText(page)).includes(zh('meeting.no_motions')), 'no motions yet');
  await page.selectOption('#kind', 'general');
  await page.fill('#text', flow.motion);
  await page.selectOption('#base', 'all_members');
  await page.selectOption('#fraction', '1/2');
  await page.selectOption('#strict', 'on');
  assert.equal((await press(page, `form[action="${meetingPath}/motions"] button[type=submit]`)).status(), 200);
  const article = page.locator('article.motion', { hasText: flow.motion });
  assert.equal(await article.count(), 1, 'the motion is listed');
  assert.match(await article.innerText(), new RegExp(zh('motion.state.draft')));
  const putButton = article.locator('form[action$="/open"] button[type=submit]');
  assert.equal((await putButton.innerText()).trim(), zh('motion.open'));
  const action = await article.locator('form[action$="/open"]').getAttribute('action');
  const motionId = action.match(/\/motions\/(\d+)\/open$/)?.[1];
  assert.ok(motionId, `motion id from ${action}`);
  assert.equal((await press(page, putButton)).status(), 200);
  const opened = page.locator('article.motion', { hasText: flow.motion });
  assert.match(await opened.innerText(), new RegExp(zh('motion.state.open')));
  assert.ok((await opened.innerText()).includes(zh('motion.votes_so_far', { n: 0 })), 'no votes yet');
  assert.equal(await opened.locator(`form[action$="/motions/${motionId}/close"]`).count(), 1, 'the motion can be closed');
  await screenshot(page, 'council-clerk-open-motion');

  // The late member arrives after the voting opened: the clerk records the arrival.
  await page.selectOption(`#${lateId}`, 'present');
  assert.equal((await press(page, page.locator('form[action$="/attendance"] button[type=submit]'))).status(), 200);
  assert.equal(new URL(page.url()).pathname, meetingPath);
  const after = await page.locator('p[role=status]').innerText();
  assert.ok(after.includes(zh('meeting.quorum_status', { present: n, needed: quorumNeeded(n) })), `quorum line after the arrival: ${after}`);
  assert.equal(await page.locator(`#${lateId}`).inputValue(), 'present', 'the arrival was saved');

  flow.meetingId = Number(m[1]);
  flow.meetingPath = meetingPath;
  flow.motionId = Number(motionId);
});

test('on 360 px phones every member finds the meeting from the dashboard; one recuses, one votes no, one abstains, the others vote yes', async () => {
  needMembers();
  needMeeting();
  for (const member of members) {
    const { page } = member;
    // From the dashboard: the village's "my council meetings" link, then the meeting.
    assert.equal((await page.goto(url('/staff'))).status(), 200);
    const village = page.locator('section.card', { has: page.locator('h2', { hasText: VILLAGE_NAME }) });
    const mine = village.locator(`a[href="/v/${VILLAGE}/council"]`);
    assert.equal(await mine.count(), 1, `${member.login}'s dashboard links to their council meetings`);
    assert.equal((await mine.innerText()).trim(), zh('council.my_meetings'));
    assert.equal((await press(page, mine)).status(), 200);
    const listed = page.locator('#my-meetings a', { hasText: flow.title });
    assert.equal(await listed.count(), 1, `${member.login} sees the meeting among theirs: ${await bodyText(page)}`);
    const response = await press(page, listed);
    assert.equal(response.status(), 200, `${member.login} member page answered ${response.status()}`);
    assert.equal(pathOf(page.url()), memberPath(), `${member.login} landed on the member page`);
    const agenda = await page.locator('section.card ol li').allInnerTexts();
    assert.deepEqual(agenda.map((t) => t.trim()), flow.agenda, `${member.login} reads the agenda`);
    const article = page.locator('article.motion', { hasText: flow.motion });
    assert.equal(await article.count(), 1, `${member.login} sees the motion`);
    const voteButtons = article.locator('form.vote-buttons button[name=choice]');
    assert.equal(await voteButtons.count(), 3, `${member.login} is offered yes / no / abstain`);
    assert.ok(await scrollWidth(page) <= SIZES.phone.width, `member page is ${await scrollWidth(page)}px wide`);

    if (member.role === 'recuse') {
      const summary = article.locator('details summary');
      assert.equal((await summary.innerText()).trim(), zh('recusal.declare'));
      await summary.click();
      await page.fill(`#reason-${flow.motionId}`, flow.reason);
      const submit = article.locator('form[action$="/recuse"] button[type=submit]');
      assert.equal((await submit.innerText()).trim(), zh('recusal.submit'));
      assert.equal((await press(page, submit)).status(), 200);
      assert.equal(pathOf(page.url()), memberPath());
      const after = page.locator('article.motion', { hasText: flow.motion });
      assert.ok((await after.innerText()).includes(zh('recusal.done')), `after recusing: ${await after.innerText()}`);
      assert.equal(await after.locator('button[name=choice]').count(), 0, 'a recused member cannot vote');
      assert.equal(await after.locator('details').count(), 0, 'and cannot recuse twice');
    } else {
      const choice = member.role;
      const yes = article.locator(`button[name=choice][value=${choice}]`);
      assert.equal((await yes.innerText()).trim(), zh(`vote.${choice}`));
      for (const box of await voteButtons.evaluateAll((els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent.trim(), height: r.height, width: r.width };
      }))) {
        assert.ok(box.height >= 44, `vote button ${box.text} is ${box.height}px tall`);
        assert.ok(box.width >= 44, `vote button ${box.text} is ${box.width}px wide`);
      }
      await screenshot(page, 'council-member-vote');
      assert.equal((await press(page, yes)).status(), 200);
      assert.equal(pathOf(page.url()), memberPath());
      const after = page.locator('article.motion', { hasText: flow.motion });
      assert.ok((await after.innerText()).includes(`${zh('vote.recorded')}：${zh(`vote.${choice}`)}`),
        `after voting: ${await after.innerText()}`);
      assert.equal(await after.locator('button[name=choice]').count(), 0, 'no second vote');
      assert.ok(await scrollWidth(page) <= SIZES.phone.width, `voted page is ${await scrollWidth(page)}px wide`);
    }
  }

  // The clerk sees how many voted, not how; the public sees nothing of an open motion.
  await clerk.page.goto(url(flow.meetingPath));
  const article = clerk.page.locator('article.motion', { hasText: flow.motion });
  assert.ok((await article.innerText()).includes(zh('motion.votes_so_far', { n: members.length - 1 })), await article.innerText());
  const anonymous = await fetchRaw(publicPath());
  assert.equal(anonymous.status, 200);
  for (const member of members) {
    assert.ok(!anonymous.text.includes(member.name), `the public page names ${member.name} while the motion is open`);
  }
});

test('the clerk closes the motion and the outcome states rule, base and numbers', async () => {
  needMeeting();
  const { page } = clerk;
  await page.goto(url(flow.meetingPath));
  const close = page.locator(`form[action$="/motions/${flow.motionId}/close"] button[type=submit]`);
  assert.equal((await close.innerText()).trim(), zh('motion.close'));
  assert.equal((await press(page, close)).status(), 200);
  assert.equal(new URL(page.url()).pathname, flow.meetingPath);

  const n = councilSize();
  const count = (role) => members.filter((m) => m.role === role).length;
  const [yes, no, abstain] = ['yes', 'no', 'abstain'].map(count);
  assert.equal(count('recuse'), 1);
  const expected = expectedOutcome({ members: n, recused: 1, yes, no, abstain });
  assert.ok(expected.passed);
  const needed = Math.floor((n - 1) / 2) + 1;
  assert.ok(expected.text.startsWith(`通过：赞成 ${yes} 票，超过应计成员 ${n - 1} 人（全体 ${n} 人，回避 1 人）的半数（需 ${needed} 票）`
    + `；反对 ${no}，弃权 ${abstain}，缺席 0`), expected.text);
  const article = page.locator('article.motion', { hasText: flow.motion });
  assert.match(await article.innerText(), new RegExp(zh('motion.state.closed')));
  const outcome = article.locator('p.notice');
  assert.equal(await outcome.count(), 1, 'a passed motion shows its outcome as a notice');
  assert.equal((await outcome.innerText()).trim(), expected.text);
  assert.equal(await article.locator('form').count(), 0, 'a closed motion offers no more actions');
  flow.outcome = expected.text;
  await screenshot(page, 'council-clerk-outcome');
});

test('the clerk closes the meeting and writes the minutes; one member refuses to sign, every other present member signs on the phone', async () => {
  needMeeting();
  assert.ok(flow.outcome, 'no outcome: the closing step failed');
  const { page } = clerk;
  const close = page.locator('form[action$="/state"] button[name=action][value=close]');
  assert.equal(await close.count(), 1, 'an open meeting can be closed');
  assert.equal((await press(page, close)).status(), 200);
  assert.match(await page.locator('h1 .tag').innerText(), new RegExp(zh('meeting.state.closed')));
  assert.equal(await page.locator('#text').count(), 0, 'no new motions once the meeting is closed');

  await page.fill('#notes', flow.notes);
  // The chair (主持人) is a member who attended; the recorder (记录人) defaults to the clerk.
  const chair = members[0];
  await page.selectOption('#chair', { label: chair.name });
  const generate = page.locator(`form[action="${flow.meetingPath}/minutes"] button[type=submit]`);
  assert.equal((await generate.innerText()).trim(), zh('minutes.generate'));
  assert.equal((await press(page, generate)).status(), 200);
  const minutes = await page.locator('pre.minutes').innerText();
  for (const part of [flow.title, flow.motion, flow.notes, flow.outcome, `主持人：${chair.name}\n记录人：`]) {
    assert.ok(minutes.includes(part), `the minutes mention "${part}":\n${minutes}`);
  }
  // Attendance over time: the motion's voting opened without the late member, who arrived after.
  const n = councilSize();
  const atOpen = minutes.split('\n').find((l) => l.startsWith(`表决开始时到会（${n - 1}）：`));
  assert.ok(atOpen, `the minutes list the ${n - 1} present when the voting opened:\n${minutes}`);
  assert.ok(!atOpen.includes(late().name), `${late().name} was not there when the voting opened: ${atOpen}`);
  assert.ok(minutes.includes(`出席（${n}）：`), `all ${n} present at the close:\n${minutes}`);
  const arrival = minutes.split('\n').find((l) => l.startsWith(`${late().name}：`) && l.includes('到会'));
  assert.ok(arrival && !arrival.includes('离会'), `the arrival of ${late().name} is in the minutes with its time:\n${minutes}`);
  assert.ok((await bodyText(page)).includes(zh('minutes.signed_count', { n: 0, of: n })), 'nobody signed yet');

  const signers = members.filter((m) => !m.refuses);
  for (const [i, member] of members.entries()) {
    const { page: phone } = member;
    assert.equal((await phone.goto(url(memberPath()))).status(), 200);
    assert.ok((await phone.locator('pre.minutes').innerText()).includes(flow.motion), 'the member reads the minutes');
    assert.equal(await phone.locator('.hash').count(), 0, 'not locked before everyone answered');
    if (member.refuses) {
      // The member will not sign and says why on their own page (拒签).
      assert.equal(await phone.locator('form[action$="/sign"]').count(), 1, `${member.login} is asked to sign`);
      const summary = phone.locator('details summary', { hasText: zh('minutes.refuse_declare') });
      assert.equal(await summary.count(), 1, 'the member page offers a refusal to sign');
      await summary.click();
      await phone.fill('#refuse-reason', flow.refusal);
      const submit = phone.locator('form[action$="/refuse"] button[type=submit]');
      assert.equal((await submit.innerText()).trim(), zh('minutes.refuse_submit'));
      assert.equal((await press(phone, submit)).status(), 200);
      assert.equal(pathOf(phone.url()), memberPath());
      assert.equal(await phone.locator('form[action$="/sign"]').count(), 0, `${member.login} is no longer asked to sign`);
      assert.equal(await phone.locator('form[action$="/refuse"]').count(), 0, `${member.login} cannot refuse twice`);
      assert.ok((await bodyText(phone)).includes(`${zh('minutes.refused')}：${flow.refusal}`), `${member.login} sees the refusal and its reason`);
      assert.ok(await scrollWidth(phone) <= SIZES.phone.width, `refused page is ${await scrollWidth(phone)}px wide`);
      // The clerk sees it, and is no longer offered that member for a refusal.
      await page.goto(url(flow.meetingPath));
      const listed = await page.locator('#refusals li').allInnerTexts();
      assert.deepEqual(listed.map((t) => t.trim()), [`${zh('minutes.refused')}：${member.name}（${flow.refusal}）`]);
      assert.equal(await page.locator('.hash').count(), 0, 'a refusal alone does not lock the minutes');
      assert.equal(await page.locator('#refusal-member option', { hasText: member.name }).count(), 0,
        `${member.name} is not offered for a second refusal`);
      continue;
    }
    if (i === 0) {
      // A wrong password does not sign.
      await phone.fill('#password', `${secretOf(member)}x`);
      const wrong = await press(phone, 'form[action$="/sign"] button[type=submit]');
      assert.equal(wrong.status(), 422, `a wrong password answered ${wrong.status()}`);
      assert.ok((await bodyText(phone)).includes(zh('minutes.error.password')));
      await phone.goto(url(memberPath()));
      assert.equal(await phone.locator('form[action$="/sign"]').count(), 1, 'still unsigned after a wrong password');
    }
    await phone.fill('#password', secretOf(member));
    const sign = phone.locator('form[action$="/sign"] button[type=submit]');
    assert.equal((await sign.innerText()).trim(), zh('minutes.sign'));
    assert.equal((await press(phone, sign)).status(), 200);
    assert.equal(pathOf(phone.url()), memberPath());
    assert.equal(await phone.locator('form[action$="/sign"]').count(), 0, `${member.login} is not asked to sign again`);
    assert.ok(await scrollWidth(phone) <= SIZES.phone.width, `minutes page is ${await scrollWidth(phone)}px wide`);
    if (member !== signers[signers.length - 1]) {
      assert.ok((await bodyText(phone)).includes(zh('minutes.you_signed')), `${member.login} sees that they signed`);
      assert.equal(await phone.locator('.hash').count(), 0, `locked after only ${signers.indexOf(member) + 1} signatures`);
    } else {
      const locked = phone.locator('p.notice', { hasText: zh('minutes.locked') });
      assert.equal(await locked.count(), 1, 'the last signature locks the minutes');
      const hash = (await locked.locator('.hash').innerText()).trim();
      assert.match(hash, HASH);
      flow.hash = hash;
      await screenshot(phone, 'council-member-minutes-locked');
    }
  }

  await page.goto(url(flow.meetingPath));
  assert.ok((await bodyText(page)).includes(zh('minutes.signed_count', { n: n - 1, of: n })), `the clerk sees ${n - 1}/${n} signatures`);
  assert.equal((await page.locator('.hash').innerText()).trim(), flow.hash, 'the clerk sees the same hash');
  assert.equal(await page.locator('#notes').count(), 0, 'locked minutes cannot be rewritten');
});

test('the public reads the roll call by name, the outcome, the CSV / JSON and the council-result notice', async () => {
  needMeeting();
  assert.ok(flow.hash, 'no locked minutes: the signing step failed');
  const { context, page } = await openPage(browser, SIZES.phone);
  try {
    const response = await page.goto(url(publicPath()));
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'nobody is signed in');
    const section = page.locator('section.card', { has: page.locator('h2', { hasText: flow.motion }) });
    assert.equal(await section.count(), 1, 'the motion is on the public page');
    const roll = await section.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    const n = councilSize();
    assert.equal(roll.length, n, `roll call: ${JSON.stringify(roll)}`);
    for (const member of members) {
      const row = roll.find((r) => r[0] === member.name);
      assert.ok(row, `${member.name} in the roll call: ${JSON.stringify(roll)}`);
      assert.equal(row[1], zh('council.record.present'), `${member.name} was present at the close`);
      assert.equal(row[2], zh(`vote.${standingOf(member)}`), `${member.name}'s standing`);
    }
    assert.equal(roll.filter((r) => r[2] === zh('vote.recused')).length, 1, 'exactly one recusal');
    assert.equal((await section.locator('p.notice').innerText()).trim(), flow.outcome);
    const base = `/v/${VILLAGE}/council/${flow.meetingId}/motions/${flow.motionId}`;
    assert.equal(await section.locator(`a[href="${base}.csv"]`).count(), 1, 'a CSV link');
    assert.equal(await section.locator(`a[href="${base}.json"]`).count(), 1, 'a JSON link');
    assert.equal((await page.locator('.hash').innerText()).trim(), flow.hash, 'the signed minutes and their hash');
    const refusers = await page.locator('#refusers li').allInnerTexts();
    assert.deepEqual(refusers.map((t) => t.trim()), [`${zh('minutes.refused')}：${refuser().name}（${flow.refusal}）`],
      'the public page lists who refused to sign and why');
    assert.ok(await scrollWidth(page) <= SIZES.phone.width, `public page is ${await scrollWidth(page)}px wide`);
    await screenshot(page, 'council-public');

    const json = await fetchRaw(`${base}.json`);
    assert.equal(json.status, 200);
    assert.match(json.headers['content-type'], /application\/json/);
    const data = JSON.parse(json.text);
    assert.equal(data.motion_id, flow.motionId);
    assert.equal(data.passed, true);
    assert.equal(data.outcome, flow.outcome);
    assert.equal(data.members, n);
    assert.deepEqual(
      [data.rule_base, data.rule_numerator, data.rule_denominator, data.rule_strict, data.rule_min_yes],
      ['all_members', 1, 2, true, 1],
    );
    assert.equal(data.roll_call.length, n, `roll_call: ${JSON.stringify(data.roll_call)}`);
    for (const member of members) {
      const line = data.roll_call.find((l) => l.member === member.name);
      assert.ok(line, `${member.name} in roll_call`);
      assert.equal(line.standing, standingOf(member));
    }

    const csv = await fetchRaw(`${base}.csv`);
    assert.equal(csv.status, 200);
    assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 BOM');
    const csvLines = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
    for (const member of members) {
      const standing = standingOf(member);
      assert.ok(csvLines.some((l) => l.includes(`,${member.name},`) && l.includes(`,${standing},`)), `CSV line for ${member.name}: ${csvLines.join(' | ')}`);
    }

    const board = await page.goto(url(`/v/${VILLAGE}/notices`));
    assert.equal(board.status(), 200);
    const noticeTitle = `议事会决议：${flow.title}`;
    const item = page.locator('ul.board li', { hasText: noticeTitle });
    assert.equal(await item.count(), 1, `the board lists "${noticeTitle}"`);
    assert.ok((await item.innerText()).includes(zh('notice.kind.council_result')), await item.innerText());
    await press(page, item.locator('a'));
    const notice = await bodyText(page);
    assert.ok(notice.includes(flow.hash), 'the notice carries the minutes hash');
    assert.ok(notice.includes(flow.outcome), 'the notice states the outcome');
    assert.deepEqual(page.offsite, [], 'no request left 127.0.0.1');
  } finally {
    await context.close();
  }
});
