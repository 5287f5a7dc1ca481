// The council browser test's own helpers: the zh-CN text of an i18n key, the outcome sentence
// a motion must state, navigation by click, staff sign-in (a first sign-in's password change and
// second factor included), TOTP codes and the page width.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { url, DATA_DIR } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const stamp = Date.now() % 1_000_000;

/** The zh-CN text of an i18n key, read from the app's flat `key: text` locale file. */
export const zh = (() => {
  const file = join(here, '..', '..', 'src', 'i18n', 'locales', 'zh-CN.yml');
  const map = new Map();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^([A-Za-z0-9_.]+):\s*(.*)$/);
    if (m) map.set(m[1], m[2].trim());
  }
  return (key, vars = {}) => {
    const text = map.get(key);
    assert.ok(text, `zh-CN.yml has no text for ${key}`);
    return text.replace(/%\{(\w+)\}/g, (_, k) => String(vars[k]));
  };
})();

/**
 * The outcome sentence for a motion decided over all members, following src/council/tally.rs
 * (`Rule::needed`, `tally`, `explain` in zh-CN) and src/council/decision.rs (the members,
 * those present and the quorum needed at the close; `quorum` is the meeting's fraction), from
 * the counts alone.
 */
export function expectedOutcome({ members, recused, yes, no = 0, abstain = 0, absent = 0, silent = 0 },
  { numerator = 1, denominator = 2, strict = true, minYes = 1 } = {}, quorum = [2, 3]) {
  const base = members - recused;
  const needed = Math.max(
    strict ? Math.floor((base * numerator) / denominator) + 1 : Math.ceil((base * numerator) / denominator),
    minYes,
  );
  const verdict = yes >= needed ? '通过' : '未通过';
  const fraction = { '1/2': '半数', '2/3': '三分之二', '3/4': '四分之三' }[`${numerator}/${denominator}`];
  const rel = strict ? '超过' : '达到';
  const tail = silent > 0 ? `，未表决 ${silent}` : '';
  return {
    passed: yes >= needed,
    needed,
    // A failed motion says it fell short of the bar (未达到), never as if the bar was met.
    text: `${verdict}：赞成 ${yes} 票，${yes >= needed ? '' : '未达到通过所需的票数：须'}`
      + `${rel}应计成员 ${base} 人（全体 ${members} 人，回避 ${recused} 人）的${fraction}`
      + `（需 ${needed} 票）；反对 ${no}，弃权 ${abstain}，缺席 ${absent}${tail}`
      // The close re-checks the quorum and states it (src/council/decision.rs).
      + `；成员 ${members} 人，出席 ${members - absent} 人，法定人数 ${Math.ceil((members * quorum[0]) / quorum[1])} 人`,
  };
}


/** Clicks `target` and waits for the navigation it starts; returns the final main-frame response. */
export async function press(page, target) {
  const locator = typeof target === 'string' ? page.locator(target) : target;
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]);
  return response;
}

/**
 * What a first sign-in chose, by login: the own password, the second factor's secret and the
 * last TOTP step used. Kept in a file in the server's data dir, because each test file runs in
 * its own process: the accessibility walk signs the administrator and the auditor in first, and
 * council.test.mjs and ledger.test.mjs sign them in again later.
 */
const STATE = join(DATA_DIR, 'e2e-staff-secrets.json');
function chosen(login) {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8'))[login] ?? {};
  } catch {
    return {};
  }
}
function remember(login, patch) {
  let all = {};
  try { all = JSON.parse(readFileSync(STATE, 'utf8')); } catch { /* the first one */ }
  all[login] = { ...all[login], ...patch };
  writeFileSync(STATE, JSON.stringify(all));
}

/** The password a member signs with now. */
export const secretOf = (member) => chosen(member.login).password ?? member.secret;

/** A code for `login`'s second factor the server has not seen yet (each step is accepted once). */
async function freshCode(login, secret) {
  const now = () => Math.floor(Date.now() / 1000 / 30);
  const step = Math.max(now(), (chosen(login).step ?? -1) + 1);
  // The server accepts one step of drift either way: a later step only once it is that close.
  while (step > now() + 1) await new Promise((r) => { setTimeout(r, 1000); });
  remember(login, { step });
  return totp(secret, step);
}

export async function signIn(page, login, secret) {
  const current = chosen(login).password ?? secret;
  await page.goto(url('/login'));
  await page.fill('#username', login);
  await page.fill('#password', current);
  const response = await press(page, 'form[action="/login"] button[type=submit]');
  assert.equal(response.status(), 200, `${login} signing in answered ${response.status()}`);
  assert.notEqual(new URL(page.url()).pathname, '/login', `${login} could not sign in`);
  if (new URL(page.url()).pathname === '/login/2fa') {
    // Enrolled by an earlier sign-in of the suite: the code from the secret it kept.
    const { totp: kept } = chosen(login);
    assert.ok(kept, `${login} asks for a second factor the suite did not enrol`);
    await page.fill('#code', await freshCode(login, kept));
    const passed = await press(page, 'form[action="/login/2fa"] button[type=submit]');
    assert.equal(passed.status(), 200, `${login}'s second factor answered ${passed.status()}`);
    assert.notEqual(new URL(page.url()).pathname, '/login/2fa', `${login}'s code was refused`);
  }
  if (new URL(page.url()).pathname === '/staff/password') {
    // An administrator's one-time password is replaced before anything else (issue 11).
    const own = `Lantern-Rice-${stamp}!`;
    await page.fill('#current', current);
    await page.fill('#new', own);
    await page.fill('#repeat', own);
    const changed = await press(page, 'form[action="/staff/password"] button[type=submit]');
    assert.equal(changed.status(), 200, `${login} choosing a password answered ${changed.status()}`);
    remember(login, { password: own });
  }
  if (new URL(page.url()).pathname === '/staff/2fa') {
    // Administrators and auditors enrol a second factor first (issue 11): the code from the
    // shown secret, kept for their later sign-ins.
    const shown = (await page.locator('#totp-secret').innerText()).trim();
    remember(login, { totp: shown });
    await page.fill('#code', await freshCode(login, shown));
    const enrolled = await press(page, 'form[action="/staff/2fa"] button[type=submit]');
    assert.equal(enrolled.status(), 200, `${login} enrolling answered ${enrolled.status()}`);
    assert.equal(await page.locator('.recovery-code').count(), 10, 'ten recovery codes shown');
  }
}

/** The RFC 6238 code (HMAC-SHA1, 30 s steps, 6 digits) of a base32 secret at `step`. */
function totp(base32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export async function scrollWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
