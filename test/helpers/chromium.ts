import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../../sandbox/run-service.ts';

/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which never downloads a
 * browser). `.ci/run` installs it; without it the browser tests skip and say why.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Where the tests' own screenshots go (ignored by git); docs/console/ has the documented set. */
export const SHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');

// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Says once, for `file`, that its browser tests skip and how to get Chromium. */
export function warnWithoutChromium(file: string): void {
  if (!HAS_CHROMIUM)
    console.warn(`${file} skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);
}

/** Chromium with a fresh, empty profile (--user-data-dir), removed when the browser closes. */
export async function launchChromium(
  name: string,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(tmpdir(), `mim-${name}-chromium-`));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
  });
  browser.on('close', () => rmSync(profile, { recursive: true, force: true }));
  return browser;
}

/**
 * The browser's first page, 10 s per step, with every script error and console error pushed to
 * `errors` (a module that fails to parse would otherwise show only as time-outs) but those `expected`
 * names: the console logs the 401/403 answers its refusal tests provoke.
 */
export async function watchedPage(browser: BrowserContext, errors: string[], expected?: RegExp): Promise<Page> {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expected?.test(msg.text())) errors.push(msg.text());
  });
  return page;
}
