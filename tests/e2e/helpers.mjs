// Shared helpers for the browser suite: where the server is, the demo credentials it wrote,
// launching the system Chromium through playwright-core, screenshots and raw HTTP fetches.

import { readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { watch } from './axe.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = join(here, 'artifacts');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite through tests/e2e/run.sh`);
  }
  return value;
}

/** Base URL of the running server, without a trailing slash. */
export const BASE = required('MINYI_E2E_URL').replace(/\/+$/, '');
export const DATA_DIR = required('MINYI_E2E_DATA_DIR');

/** The absolute URL of a path on the server under test. */
export const url = (path) => BASE + path;

/** The pathname (plus query) of a page URL, for comparisons. */
export const pathOf = (pageUrl) => {
  const u = new URL(pageUrl);
  return u.pathname + u.search;
};

/** One CSV line split on commas (the demo file never quotes its fields). */
function splitLine(line) {
  return line.split(',').map((f) => f.trim());
}

/**
 * The demo credentials the server wrote on first start: UTF-8 with a BOM, header
 * `kind,village,login,secret,role`.
 * Returns { staff: Map(login -> {village, login, secret, role}), households: [{village, number, pin}] }.
 */
export function credentials() {
  const text = readFileSync(join(DATA_DIR, 'demo-credentials.csv'), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitLine(lines.shift());
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`demo-credentials.csv has no "${name}" column: ${header.join(',')}`);
    return i;
  };
  const [kind, village, login, secret, role] = ['kind', 'village', 'login', 'secret', 'role'].map(col);
  const staff = new Map();
  const households = [];
  for (const line of lines) {
    const f = splitLine(line);
    if (f[kind] === 'staff') {
      staff.set(f[login], { village: f[village], login: f[login], secret: f[secret], role: f[role] });
    } else if (f[kind] === 'household') {
      households.push({ village: f[village], number: f[login], pin: f[secret] });
    }
  }
  return { staff, households };
}

/** A staff account from the demo file, or a clear failure. */
export function staffAccount(login) {
  const account = credentials().staff.get(login);
  if (!account) throw new Error(`no staff account "${login}" in demo-credentials.csv`);
  return account;
}

/**
 * The `index`-th household of a village from the demo file. Tests use different indexes so a
 * wrong-PIN test never counts against a household that another test signs in with.
 */
export function household(village, index) {
  const list = credentials().households.filter((h) => h.village === village);
  if (list.length <= index) {
    throw new Error(`demo-credentials.csv has only ${list.length} households in ${village}`);
  }
  return list[index];
}

/** A PIN of the same shape that is certainly not `pin`. */
export function wrongPin(pin) {
  const n = (Number.parseInt(pin, 10) + 1) % 10 ** pin.length;
  return String(n).padStart(pin.length, '0');
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Debian's Chromium, headless, with a fresh profile (playwright uses a temp dir per launch). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.MINYI_E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export const SIZES = {
  kiosk: { width: 1080, height: 1920 },
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 900 },
};

function isLocal(u) {
  try {
    const { protocol, hostname } = new URL(u);
    if (protocol === 'data:' || protocol === 'about:' || protocol === 'blob:') return true;
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

/**
 * A fresh context (own cookies) and page at `viewport`. Requests that leave 127.0.0.1 are
 * aborted and remembered in `page.offsite`, so a test can assert the page asked for nothing
 * from elsewhere. Every page loaded in it is checked by axe-core (WCAG 2.1 A/AA, see axe.mjs).
 */
export async function openPage(browser, viewport = SIZES.desktop, options = {}) {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    deviceScaleFactor: 1,
    ...options,
  });
  const offsite = [];
  await context.route((u) => !isLocal(u.toString()), (route) => {
    offsite.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.offsite = offsite;
  // Every page a test visits is checked by axe-core (axe.mjs); a violation fails the test.
  // (Not where script is switched off: axe is script. The same pages are checked with it on.)
  if (options.javaScriptEnabled !== false) watch(page);
  return { context, page };
}

/** Saves a full-page PNG to tests/e2e/artifacts/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The value of the named cookie in a context, or undefined. */
export async function cookieValue(context, name) {
  const cookie = (await context.cookies(BASE)).find((c) => c.name === name);
  return cookie?.value;
}

/** Visible text of the page body. */
export function bodyText(page) {
  return page.locator('body').innerText();
}

/**
 * A raw GET with node's http module (no browser, no redirects followed).
 * Returns { status, headers, body: Buffer (as sent on the wire), text: decoded string }.
 */
export function fetchRaw(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url(path), { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        let decoded = body;
        if (encoding === 'gzip') decoded = zlib.gunzipSync(body);
        else if (encoding === 'br') decoded = zlib.brotliDecompressSync(body);
        else if (encoding === 'deflate') decoded = zlib.inflateSync(body);
        resolve({ status: res.statusCode, headers: res.headers, body, text: decoded.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/** How many bytes `path` costs over the wire gzip-compressed (compressing ourselves if the server did not). */
export async function gzipBytes(path) {
  const res = await fetchRaw(path, { 'Accept-Encoding': 'gzip' });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  const bytes = res.headers['content-encoding'] === 'gzip'
    ? res.body.length
    : zlib.gzipSync(res.body, { level: 6 }).length;
  return { bytes, res };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Contrast ratio problems on the current page: every element with its own visible text whose
 * colour against the nearest opaque background is below `min` (WCAG formula).
 */
export function contrastProblems(page, min = 4.5) {
  return page.evaluate((min) => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg && bg.a >= 0.99) return bg;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const problems = [];
    for (const el of document.body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
      if (!own) continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || box.width < 2 || box.height < 2) continue;
      const fg = parse(style.color);
      const bg = background(el);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < min) {
        problems.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${style.color} on rgb(${bg.r},${bg.g},${bg.b}) = ${ratio.toFixed(2)}`);
      }
    }
    return problems;
  }, min);
}
