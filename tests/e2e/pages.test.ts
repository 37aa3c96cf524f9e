import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../examples/future-you/src/tenants.js';
import {
  type AxeFinding,
  type Browser,
  launchBrowser,
  newVisitor,
  type Page,
  type Site,
  screenshot,
  seriousA11yProblems,
  signIn,
  startSite,
} from './support.js';

// Every page of the example, for both demo organisations and every kind of account, checked by
// axe-core (WCAG 2.2 A/AA and best practice: no serious or critical findings) and
// photographed. Runs once, on the embedded database (see flows.test.ts).
const onPostgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);

interface Visit {
  /** Who is signed in; nobody when left out. */
  as?: string;
  path: string;
  /** Shot and report name. */
  name: string;
  /** Something to do on the page before checking it (open a case, a dialog, …). */
  open?: (page: Page) => Promise<void>;
}

const organisations: { host: string; slug: string; visits: Visit[] }[] = [
  {
    host: 'localhost',
    slug: 'future-you',
    visits: [
      { path: '/', name: 'welcome' },
      { path: '/join', name: 'join' },
      { path: '/help', name: 'help' },
      { as: 'fy_member', path: '/', name: 'member-home' },
      { as: 'fy_member', path: '/mentors', name: 'find-a-mentor' },
      { as: 'fy_member', path: '/conversations', name: 'member-conversations' },
      { as: 'fy_mentor', path: '/requests', name: 'mentor-requests' },
      { as: 'fy_moderator', path: '/moderation', name: 'moderation-queue' },
      {
        as: 'fy_moderator',
        path: '/moderation',
        name: 'moderation-item',
        open: async (page) => {
          await page
            .getByRole('button', { name: /^Review/ })
            .first()
            .click();
          await page.getByRole('button', { name: '← Back to the queue' }).waitFor();
        },
      },
      { as: 'fy_dsl', path: '/cases', name: 'case-queue' },
      {
        as: 'fy_dsl',
        path: '/cases',
        name: 'case-view',
        open: async (page) => {
          await page.getByRole('button', { name: /^Open/ }).first().click();
          await page.getByRole('heading', { name: 'What has happened' }).waitFor();
        },
      },
      { as: 'fy_admin', path: '/admin/users', name: 'admin-people' },
      { as: 'fy_admin', path: '/mentor-directory', name: 'mentor-directory' },
      { as: 'fy_admin', path: '/admin/branding', name: 'admin-branding' },
    ],
  },
  {
    host: 'second.localhost',
    slug: 'northside-buddies',
    visits: [
      { path: '/', name: 'welcome' },
      { path: '/join', name: 'join' },
      { path: '/help', name: 'help' },
      { as: 'nb_member', path: '/mentors', name: 'find-a-mentor' },
      { as: 'nb_buddy', path: '/requests', name: 'mentor-requests' },
      { as: 'nb_dsl', path: '/cases', name: 'case-queue' },
      { as: 'nb_admin', path: '/admin/users', name: 'admin-people' },
      { as: 'nb_admin', path: '/admin/branding', name: 'admin-branding' },
    ],
  },
];

describe.skipIf(onPostgres)('every page, for both organisations', { timeout: 300_000 }, () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite(), launchBrowser()]);
    // Something in each staff queue: the demo member asks for a mentor in risky words, which
    // holds the words for a moderator and opens a safeguarding case.
    const { page, context } = await newVisitor(browser);
    await page.goto(site.url());
    await signIn(page, 'fy_member', DEMO_PASSWORD);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Find a mentor' })
      .click();
    await page
      .getByLabel("Anything you'd like your mentor to know (optional)")
      .fill('Everything is too much and I want to end my life');
    await page.getByRole('button', { name: 'Show mentors' }).click();
    await page.getByRole('button', { name: /^Ask / }).first().click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'It sounds like things are really hard' })
      .waitFor();
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('the check finds what it is for: an unlabelled button, an image without text, faint text', async () => {
    const { page, context } = await newVisitor(browser, { bypassCSP: true });
    await page.setContent(
      `<!doctype html><html lang="en"><title>t</title><main><h1>Broken</h1>
       <button></button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
       <p style="color:#ddd;background:#fff">faint</p></main></html>`,
    );
    const ids = (await seriousA11yProblems(page)).map((finding) => finding.id).sort();
    expect(ids).toEqual(['button-name', 'color-contrast', 'image-alt']);
    await context.close();
  });

  for (const organisation of organisations) {
    it(`${organisation.slug}: no serious or critical accessibility problems on any page`, async () => {
      const findings: Record<string, AxeFinding[]> = {};
      const signedIn = new Map<string, Awaited<ReturnType<typeof newVisitor>>>();
      for (const visit of organisation.visits) {
        const key = visit.as ?? '';
        let visitor = signedIn.get(key);
        if (!visitor) {
          // axe is injected as a script, which the site's CSP (rightly) refuses.
          visitor = await newVisitor(browser, { bypassCSP: true });
          signedIn.set(key, visitor);
          if (visit.as) {
            await visitor.page.goto(site.url(organisation.host));
            await signIn(visitor.page, visit.as, DEMO_PASSWORD);
          }
        }
        const { page } = visitor;
        await page.goto(site.url(organisation.host, visit.path));
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        await visit.open?.(page);
        const problems = await seriousA11yProblems(page);
        if (problems.length > 0) findings[`${visit.name} (${visit.path})`] = problems;
        await screenshot(page, `${organisation.slug}-${visit.name}`);
      }
      for (const visitor of signedIn.values()) {
        expect(visitor.problems).toEqual([]);
        await visitor.context.close();
      }
      expect(findings).toEqual({});
    });
  }
});
