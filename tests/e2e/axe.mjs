// The accessibility gate of the browser suite (issue 10, point 14): every page a test visits is
// checked with axe-core against WCAG 2.1 A and AA, and a test fails on any violation found on
// any of its pages. `openPage` (helpers.mjs) hands every page to `watch`, so no test can forget
// it: each main-frame load is checked, and the calls a test uses to wait for a page (goto,
// waitForNavigation, waitForURL, reload, …) return only once that page has been checked, so the
// test's next step cannot navigate away under axe. An `afterEach` hook registered here asserts
// that nothing was found during the test (and the `before` hooks preceding it) and starts afresh.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach } from 'node:test';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rule sets of WCAG 2.1 levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Violations found since the last `afterEach`, one line each. */
const found = [];
/** Pages already checked (by shape, see `checkOnce`): a page seen twice is checked once. */
const seen = new Set();
/** How many page loads were checked in this file (the summary line of `afterEach`). */
let checked = 0;

/**
 * WCAG 2.1 A/AA violations of the page as it is now, one line each (`rule (impact) path: targets`),
 * or `null` when the page is not an HTML page or it went away while axe ran.
 */
export async function violations(page) {
  try {
    const html = await page.evaluate(() => document.contentType === 'text/html' && !!document.body);
    if (!html) return null;
    // Evaluated through the DevTools protocol: the page's CSP (no script) does not apply.
    if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
    const result = await page.evaluate(async ({ tags }) => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => `${v.id} (${v.impact}) ${location.pathname}${location.search}: `
        + v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', '));
    }, { tags: WCAG_TAGS });
    return result;
  } catch (e) {
    if (/Execution context was destroyed|closed|navigat/i.test(String(e))) {
      return null;
    }
    throw e;
  }
}

/** Checks the page's current document once (by URL and markup) and records what axe found. */
async function checkOnce(page) {
  let key;
  try {
    // The page's shape: its path with ids as #, its language and its markup without the text
    // and numbers (a list of 50 rows and one of 51 are one check; a form and its 422 with
    // messages are two). Checking every instance would double the suite's time for nothing.
    key = await page.evaluate(() => {
      if (!document.documentElement) return 'empty';
      const s = document.documentElement.outerHTML.replace(/>[^<]*</g, '><')
        .replace(/(value|data-csrf)="[^"]*"/g, '$1').replace(/\d+/g, '#');
      let h = 0;
      for (let i = 0; i < s.length; i += 1) h = (h * 31 + s.charCodeAt(i)) | 0;
      const path = location.pathname.replace(/\/\d+(?=\/|$)/g, '/#');
      return `${path}#${document.documentElement.lang}#${h}`;
    });
  } catch {
    return;
  }
  if (seen.has(key)) return;
  seen.add(key);
  const lines = await violations(page);
  if (lines === null) return;
  checked += 1;
  for (const line of lines) {
    if (!found.includes(line)) found.push(line);
  }
}

const WAITS = ['goto', 'reload', 'goBack', 'goForward', 'waitForNavigation', 'waitForURL', 'waitForLoadState'];

/** Runs axe on every load of `page` and makes the waiting calls return only after the check. */
export function watch(page) {
  let chain = Promise.resolve();
  const enqueue = () => {
    chain = chain.then(() => checkOnce(page)).catch((e) => {
      found.push(`axe could not run: ${e.message.split('\n')[0]}`);
    });
    return chain;
  };
  page.on('load', () => { enqueue(); });
  for (const name of WAITS) {
    const original = page[name].bind(page);
    page[name] = async (...args) => {
      const result = await original(...args);
      await enqueue();
      return result;
    };
  }
  page.axeSettled = () => enqueue();
  return page;
}

/** The violations found so far, emptied. */
export function takeViolations() {
  return found.splice(0, found.length);
}

/** How many page loads were checked in this file so far. */
export const checkedCount = () => checked;

afterEach(() => {
  const lines = takeViolations();
  if (lines.length > 0) {
    throw new Error(`axe-core found WCAG 2.1 A/AA violations on the pages of this test:\n  ${lines.join('\n  ')}`);
  }
});
