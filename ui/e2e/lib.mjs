// Shared by the browser scenarios: Debian's Chromium driven by playwright-core (no browser download), screenshots,
// and waits on what a person sees (roles, labels, text), never on fixed sleeps.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

export const BASE = need('AIDESK_URL');
const SHOTS = process.env.AIDESK_SCREENSHOTS ?? 'target/screenshots';
export const LONG = 120_000;

export function need(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return value;
}

export async function browser(viewport = { width: 1360, height: 900 }) {
  const instance = await chromium.launch({
    executablePath: process.env.AIDESK_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await instance.newContext({ viewport, locale: 'en-US', isMobile: viewport.width < 600, hasTouch: viewport.width < 600 });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on('request', r => { if (new URL(r.url()).pathname.startsWith('/api/')) requests.push({ at: Date.now(), url: r.url() }); });
  page.on('pageerror', e => console.log(`  [page error] ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') console.log(`  [console] ${m.text()}`); });
  return { instance, page };
}

const requests = [];

/**
 * Fails when the screen asks the API anything by itself while nobody does anything for `ms`: what changes must come
 * over its live stream (/api/ai/stream), never from a timer.
 */
export async function noPolling(page, screen, ms = 6000) {
  await page.waitForTimeout(1500); // what the screen reads when it opens is not polling
  const from = Date.now();
  await page.waitForTimeout(ms);
  const asked = requests.filter(r => r.at >= from && !new URL(r.url).pathname.startsWith('/api/ai/stream'));
  if (asked.length) throw new Error(`${screen} asked the API by itself: ${asked.map(r => r.url).join(', ')}`);
  console.log(`  ${screen}: no request in ${ms} ms idle`);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Fails when axe-core finds a serious or critical accessibility violation on the page as it stands. */
export async function accessible(page, screen) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
  });
  if (found.length) throw new Error(`${screen}: ${found.length} serious accessibility violations\n  ${found.join('\n  ')}`);
  console.log(`  ${screen}: no serious accessibility violation`);
}

let stepNo = 0;
export async function step(name, body) {
  stepNo += 1;
  const started = Date.now();
  console.log(`step ${stepNo}: ${name}`);
  await body();
  console.log(`  ok (${Date.now() - started} ms)`);
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file}`);
}

/** Waits until the locator is visible. */
export async function see(locator, timeout = 30_000) {
  const visible = locator.filter({ visible: true }).first();
  await visible.waitFor({ state: 'visible', timeout });
  return visible;
}

/** Fails unless the condition holds within the timeout (polling what the page shows). */
export async function until(what, condition, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

export async function signInWithToken(page, token) {
  await page.goto(`${BASE}/sign-in`);
  await see(page.getByRole('heading', { name: 'Sign in to AI Desk' }));
  await page.getByLabel('CRM token (JWT)').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
}

export async function tab(page, name) {
  await page.getByRole('navigation', { name: 'AI Desk sections' }).getByRole('link', { name, exact: true }).click();
}

export async function run(scenario, viewport) {
  const { instance, page } = await browser(viewport);
  try {
    await scenario(page);
    console.log('all steps passed');
  } catch (e) {
    console.error(`FAILED: ${e.stack ?? e}`);
    try { await shot(page, 'failure'); } catch { /* the page may be gone */ }
    process.exitCode = 1;
  } finally {
    await instance.close();
  }
}
