import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { type RunningFutureYou, startFutureYou } from '../../examples/future-you/src/app.js';

const root = new URL('../../', import.meta.url).pathname;
/** Screenshots of the main screens, kept by every run (CI keeps them as artefacts). */
export const screenshotDir = join(root, 'test-results', 'screenshots');

/**
 * Debian's Chromium, installed by the project's own script when it is missing (this project
 * never downloads browsers). HEARTH_CHROMIUM names another binary.
 */
export function chromiumPath(): string {
  const candidates = [
    process.env.HEARTH_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ];
  let found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    execFileSync('bash', [join(root, 'scripts', 'install-chromium.sh')], { stdio: 'inherit' });
    found = candidates.find((path): path is string => !!path && existsSync(path));
  }
  if (!found)
    throw new Error(
      'Chromium is not installed and scripts/install-chromium.sh could not install it',
    );
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath() });
}

export interface Site {
  app: RunningFutureYou;
  /** The address of an organisation's site: `localhost` or `second.localhost`. */
  url(host?: string, path?: string): string;
  /** E-mails the example printed (no SMTP server in tests). */
  printed: string[];
  close(): Promise<void>;
}

/** The example app, as `pnpm dev` runs it, on a fresh embedded database. */
export async function startSite(): Promise<Site> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-e2e-'));
  const printed: string[] = [];
  const app = await startFutureYou({
    dataDir,
    port: 0,
    webDir: inject('hearthWebDir'),
    log: (line) => printed.push(line),
  });
  return {
    app,
    printed,
    url: (host = 'localhost', path = '/') => `http://${host}:${app.port}${path}`,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new person at a new device: own cookies, no history. Neutral sites are answered locally. */
export async function newVisitor(browser: Browser, options: { bypassCSP?: boolean } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    bypassCSP: options.bypassCSP ?? false,
  });
  // Quick Exit's neutral site, served without the internet.
  await context.route('https://www.bbc.co.uk/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1></html>',
    }),
  );
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems };
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.2 A and AA). */
export async function seriousA11yProblems(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations.map(
      (v: { id: string; impact: string; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }),
    );
  });
  return (violations as AxeFinding[]).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Presses Tab until the focused element's accessible name (or label) matches, as a keyboard
 * user would; fails after `max` presses.
 */
export async function tabTo(page: Page, name: string | RegExp, max = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelledBy = el.getAttribute('aria-labelledby');
      const byIds = labelledBy
        ? labelledBy
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ')
        : '';
      const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
      return [el.getAttribute('aria-label') ?? '', byIds, label, el.textContent ?? '']
        .map((s) => s.trim())
        .filter(Boolean)
        .join(' | ');
    });
    if (typeof name === 'string' ? focused.split(' | ').includes(name) : name.test(focused)) return;
    seen.push(focused);
  }
  throw new Error(`Tab never reached ${name}; focus went to:\n${seen.join('\n')}`);
}

export type { Browser, BrowserContext, Page };
