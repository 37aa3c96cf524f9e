import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../examples/future-you/src/tenants.js';
import {
  type Browser,
  launchBrowser,
  newVisitor,
  type Page,
  type Site,
  screenshot,
  seriousA11yProblems,
  signIn,
  startSite,
  tabTo,
} from './support.js';

// The example's web app in headless Chromium, used as people use it. The browser tests run once,
// on the embedded database that the README's run line uses; the same app on PostgreSQL is
// started and checked by .ci/example-smoke.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);

describe.skipIf(onPostgres)('the Future You web app in Chromium', { timeout: 120_000 }, () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const username = `river_${Date.now().toString(36)}`;
  const password = 'a long and private passphrase';

  it('a member signs up and asks for a mentor; the mentor accepts; they chat live, through a dropped connection; risky words bring the helplines at once; the lead sees the case; Quick Exit leaves for good', async () => {
    const member = await newVisitor(browser);
    const mentor = await newVisitor(browser);
    const lead = await newVisitor(browser);
    const m = member.page;

    // Sign up.
    await m.goto(site.url());
    await m.getByRole('link', { name: /^Join/ }).click();
    await m.getByLabel('Choose a username').fill(username);
    await m.getByLabel('Choose a password').fill(password);
    await m.locator('label').filter({ hasText: '16 or 17' }).click();
    expect(await m.getByRole('radio', { name: '16 or 17' }).isChecked()).toBe(true);
    await m.getByRole('button', { name: 'Join' }).click();

    // Ask for a mentor, chosen from the ranked proposals.
    await m.getByRole('heading', { name: 'Find a mentor' }).waitFor();
    await m.getByLabel('Things you enjoy').fill('music, drawing');
    await m.getByLabel("What you'd like help with").fill('confidence');
    await m.getByRole('button', { name: 'Show mentors' }).click();
    const jo = m
      .getByRole('listitem')
      .filter({ has: m.getByRole('heading', { name: 'Jo Mentor' }) });
    await expect.poll(() => jo.getByText(/music/i).count()).toBeGreaterThan(0);
    await screenshot(m, 'future-you-mentor-proposals');
    await jo.getByRole('button', { name: 'Ask Jo Mentor' }).click();
    await m.getByText("You've asked Jo Mentor").waitFor();

    // The mentor accepts.
    const j = mentor.page;
    await j.goto(site.url());
    await signIn(j, 'fy_mentor', DEMO_PASSWORD);
    await nav(j, 'Match requests');
    await j.getByRole('heading', { name: username }).waitFor();
    await screenshot(j, 'future-you-match-requests');
    await j.getByRole('button', { name: `Accept ${username}` }).click();
    await j.getByText('No members are waiting for you right now.').waitFor();

    // Both open the conversation.
    await m.reload();
    await m.getByText("You're matched with").waitFor();
    await m.getByRole('button', { name: 'Message Jo Mentor' }).click();
    await m.getByRole('heading', { name: 'You and Jo Mentor' }).waitFor();
    await m.getByText('Conversations here are monitored.').waitFor();
    await nav(j, 'Conversations');
    await j.getByRole('button', { name: `You and ${username}` }).click();
    await j.getByRole('heading', { name: `You and ${username}` }).waitFor();
    await Promise.all([connected(m), connected(j)]);

    // Live, both ways.
    await send(m, 'Hi Jo, thanks for saying yes');
    await messages(j).getByText('Hi Jo, thanks for saying yes').waitFor();
    await send(j, 'Hello! Really glad to meet you.');
    await messages(m).getByText('Hello! Really glad to meet you.').waitFor();

    // The member's connection drops; what was sent meanwhile arrives once when it is back.
    expect([...member.problems, ...mentor.problems]).toEqual([]);
    await member.context.setOffline(true);
    site.app.server.closeAllConnections();
    await m.getByText('Reconnecting…').waitFor({ timeout: 30_000 });
    await send(j, 'Sent while you were offline');
    await member.context.setOffline(false);
    await messages(m).getByText('Sent while you were offline').waitFor({ timeout: 30_000 });
    await connected(m);
    await send(j, 'And one after');
    await messages(m).getByText('And one after').waitFor();
    expect(await messages(m).getByText('Sent while you were offline').count()).toBe(1);
    expect(await messages(m).getByRole('listitem').count()).toBe(4);
    await screenshot(m, 'future-you-conversation');

    // Words that show risk: the helplines, at once, in the answer to sending them.
    await send(m, "I can't do this anymore, I want to kill myself");
    const help = m
      .getByRole('alert')
      .filter({ hasText: 'It sounds like things are really hard right now' });
    await help.waitFor();
    await expect.poll(() => help.getByRole('link', { name: 'Call 0800 1111' }).count()).toBe(1);
    await screenshot(m, 'future-you-helplines');

    // The safeguarding lead sees the new case in the queue.
    const l = lead.page;
    await l.goto(site.url());
    await signIn(l, 'fy_dsl', DEMO_PASSWORD);
    await nav(l, 'Safeguarding');
    await l.getByRole('heading', { name: 'Safeguarding cases' }).waitFor();
    const row = l.getByRole('row').filter({ hasText: /suicide|self-harm/i });
    await row
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => screenshot(l, 'failed-case-queue'));
    // One case per rule the words matched, each at high or critical severity.
    const cases = await row.count();
    expect(cases).toBeGreaterThan(0);
    expect(await row.filter({ hasText: /critical|high/i }).count()).toBe(cases);
    await screenshot(l, 'future-you-case-queue');

    // Quick Exit: gone, and the back button does not come back.
    await m.getByRole('button', { name: 'Quick exit' }).click();
    await m.waitForURL('https://www.bbc.co.uk/weather');
    await m.goBack().catch(() => null);
    expect(m.url()).not.toContain(`:${site.app.port}`);

    // Cutting the connections makes the browser log the failed requests; nothing else may.
    const cut = /net::ERR_(INTERNET_DISCONNECTED|INCOMPLETE_CHUNKED_ENCODING)/;
    for (const visitor of [member, mentor, lead]) {
      expect(visitor.problems.filter((line) => !cut.test(line))).toEqual([]);
      await visitor.context.close();
    }
  });

  it('Escape pressed three times leaves at once, from any page, with no way back', async () => {
    const visitor = await newVisitor(browser);
    const p = visitor.page;
    await p.goto(site.url('localhost', '/help'));
    await p.getByRole('heading', { name: 'Help is here, right now' }).waitFor();
    await p.keyboard.press('Escape');
    await p.keyboard.press('Escape');
    await p.keyboard.press('Escape');
    await p.waitForURL('https://www.bbc.co.uk/weather');
    await p.goBack().catch(() => null);
    expect(p.url()).not.toContain(`:${site.app.port}`);
    await visitor.context.close();
  });

  it('with the keyboard alone: sign in, open a conversation, send a message, report one and report the person', async () => {
    const visitor = await newVisitor(browser);
    const p = visitor.page;
    await p.goto(site.url());
    await tabTo(p, 'Username');
    await p.keyboard.type(username);
    await tabTo(p, 'Password');
    await p.keyboard.type(password);
    await p.keyboard.press('Enter');
    await p.getByRole('button', { name: 'Sign out' }).waitFor();

    await tabTo(p, 'Conversations');
    await p.keyboard.press('Enter');
    await tabTo(p, /You and Jo Mentor/);
    await p.keyboard.press('Enter');
    await connected(p);
    await tabTo(p, 'Your message');
    await p.keyboard.type('Typed without a mouse');
    await p.keyboard.press('Enter');
    await messages(p).getByText('Typed without a mouse').waitFor();

    await tabTo(p, /^Report message from Jo Mentor/);
    await p.keyboard.press('Enter');
    const dialog = p.getByRole('dialog');
    await dialog.waitFor();
    await tabTo(p, /Bullying or threats|Someone might hurt themselves/);
    // Arrow keys move within a radio group, as in every operating system's radio buttons.
    await p.keyboard.press('Space');
    await tabTo(p, 'Send report');
    await p.keyboard.press('Enter');
    await dialog.getByText('Thank you for telling us').waitFor();
    await p.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // A person, not only a message, can be reported.
    await tabTo(p, 'Report Jo Mentor');
    await p.keyboard.press('Enter');
    await dialog.getByRole('heading', { name: 'Report Jo Mentor' }).waitFor();
    await tabTo(p, /Bullying or threats|Someone might hurt themselves/);
    await p.keyboard.press('Space');
    await tabTo(p, 'Send report');
    await p.keyboard.press('Enter');
    await dialog.getByText('Thank you for telling us').waitFor();
    await p.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(visitor.problems).toEqual([]);
    await visitor.context.close();
  });

  it('with the keyboard alone: a new member joins and asks for a mentor, the mentor accepts, the lead opens the case', async () => {
    const newcomer = `brook_${Date.now().toString(36)}`;
    const member = await newVisitor(browser);
    const m = member.page;
    await m.goto(site.url());
    await tabTo(m, /^Join/);
    await m.keyboard.press('Enter');
    await tabTo(m, 'Choose a username');
    await m.keyboard.type(newcomer);
    await tabTo(m, 'Choose a password');
    await m.keyboard.type(password);
    await tabTo(m, /13 to 15/);
    // Arrow keys choose within a group of radio buttons.
    await m.keyboard.press('ArrowDown');
    expect(await m.getByRole('radio', { name: '16 or 17' }).isChecked()).toBe(true);
    await tabTo(m, 'Join');
    await m.keyboard.press('Enter');
    await m.getByRole('heading', { name: 'Find a mentor' }).waitFor();
    await tabTo(m, 'Things you enjoy');
    await m.keyboard.type('gaming, reading');
    await tabTo(m, "Anything you'd like your mentor to know (optional)");
    await m.keyboard.type('Everything feels pointless, I want to end my life');
    await tabTo(m, 'Show mentors');
    await m.keyboard.press('Enter');
    await m.getByRole('button', { name: 'Ask Priya Mentor' }).waitFor();
    await tabTo(m, 'Ask Priya Mentor');
    await m.keyboard.press('Enter');
    await m
      .getByRole('alert')
      .filter({ hasText: 'It sounds like things are really hard' })
      .waitFor();
    await m.getByText("You've asked Priya Mentor").waitFor();

    const mentor = await newVisitor(browser);
    const p = mentor.page;
    await p.goto(site.url());
    await keyboardSignIn(p, 'fy_mentor2', DEMO_PASSWORD);
    await tabTo(p, 'Match requests');
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: newcomer }).waitFor();
    await tabTo(p, `Accept ${newcomer}`);
    await p.keyboard.press('Enter');
    await p.getByText('No members are waiting for you right now.').waitFor();

    const lead = await newVisitor(browser);
    const l = lead.page;
    await l.goto(site.url());
    await keyboardSignIn(l, 'fy_dsl', DEMO_PASSWORD);
    await tabTo(l, 'Safeguarding');
    await l.keyboard.press('Enter');
    await l.getByRole('heading', { name: 'Safeguarding cases' }).waitFor();
    await tabTo(l, /^Open/);
    await l.keyboard.press('Enter');
    await l.getByRole('heading', { name: 'What has happened' }).waitFor();
    await l.getByRole('heading', { level: 1, name: /^Case:/ }).waitFor();

    for (const visitor of [member, mentor, lead]) {
      expect(visitor.problems).toEqual([]);
      await visitor.context.close();
    }
  });

  it('where a coordinator matches: a young person asks for a buddy, the admin chooses one from the ranked list, and they are matched', async () => {
    const host = 'second.localhost';
    const young = await newVisitor(browser);
    const y = young.page;
    await y.goto(site.url(host));
    await y.getByRole('link', { name: /^Join/ }).click();
    await y.getByLabel('Choose a username').fill(`sky_${Date.now().toString(36)}`);
    await y.getByLabel('Choose a password').fill(password);
    await y.locator('label').filter({ hasText: '13 to 15' }).click();
    await y.getByRole('button', { name: 'Join' }).click();
    await y.getByRole('heading', { name: 'Find a buddy' }).waitFor();
    await y.getByLabel('Things you enjoy').fill('skateboarding');
    await y.getByRole('button', { name: 'Ask for a buddy' }).click();
    await y.getByText("You've asked for a buddy").waitFor();

    const coordinator = await newVisitor(browser);
    const c = coordinator.page;
    await c.goto(site.url(host));
    await signIn(c, 'nb_admin', DEMO_PASSWORD);
    await nav(c, 'Match requests');
    const choice = c.getByRole('radio', { name: /^Ben Buddy — score/ });
    await choice.waitFor({ state: 'attached' });
    await c
      .locator('label')
      .filter({ hasText: /Ben Buddy/ })
      .click();
    expect(await choice.isChecked()).toBe(true);
    await screenshot(c, 'northside-buddies-coordinator-match');
    await c.getByRole('button', { name: 'Make the match' }).click();
    await c.getByText('No young people are waiting for you right now.').waitFor();

    await y.reload();
    await y.getByText("You're matched with").waitFor();
    await y.getByRole('button', { name: 'Message Ben Buddy' }).waitFor();
    expect([...young.problems, ...coordinator.problems]).toEqual([]);
    await Promise.all([young.context.close(), coordinator.context.close()]);
  });

  it('an organisation admin invites a moderator, who accepts from the link and works the queue', async () => {
    const admin = await newVisitor(browser);
    const a = admin.page;
    await a.goto(site.url());
    await signIn(a, 'fy_admin', DEMO_PASSWORD);
    await nav(a, 'People');
    await a.getByLabel('Their e-mail address').fill('robin@future-you.example.org');
    await a
      .locator('label')
      .filter({ hasText: /^Moderator$/ })
      .click();
    await a.getByRole('button', { name: 'Create invitation' }).click();
    await a.getByRole('heading', { name: /Invitation ready for robin@/ }).waitFor();
    const link = (await a.locator('.hearth-secret code').innerText()).trim();
    expect(link).toMatch(new RegExp(`^http://localhost:${site.app.port}/join#invitation=`));

    // (CSP bypassed only so that axe can be injected to check this page too.)
    const invited = await newVisitor(browser, { bypassCSP: true });
    const r = invited.page;
    await r.goto(link);
    await r.getByRole('heading', { name: "Join Future You's team" }).waitFor();
    expect(await seriousA11yProblems(r)).toEqual([]);
    await r.getByLabel('Your name').fill('Robin Reviewer');
    await r.getByLabel('Choose a username').fill('fy_robin');
    await r.getByLabel('Choose a password').fill('a long and private passphrase');
    await r.getByRole('button', { name: 'Accept and sign in' }).click();
    await r.getByText('Signed in as').waitFor();
    // The code is gone from the address bar once used.
    expect(r.url()).toBe(site.url());
    await nav(r, 'Moderation');
    await r.getByRole('heading', { name: 'Moderation', level: 1 }).waitFor();
    expect([...admin.problems, ...invited.problems]).toEqual([]);
    await Promise.all([admin.context.close(), invited.context.close()]);
  });

  it('an organisation admin changes the colours and words: the preview shows them at once, and saving re-themes the site', async () => {
    const admin = await newVisitor(browser);
    const a = admin.page;
    await a.goto(site.url());
    await signIn(a, 'fy_admin', DEMO_PASSWORD);
    await nav(a, 'Branding');
    const preview = a.getByRole('region', { name: 'Preview' });
    await a.getByRole('textbox', { name: 'Main colour', exact: true }).fill('#0b5394');
    await a.getByLabel('Word for one mentor').fill('guide');
    await a.getByLabel('Word for several mentors').fill('guides');
    await preview.getByRole('heading', { name: 'Find a guide' }).waitFor();
    const header = a.locator('.hearth-header');
    // Nothing is saved yet: the site itself is unchanged.
    expect(await header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(91, 42, 134)',
    );
    await a.getByRole('button', { name: 'Save', exact: true }).click();
    await a.getByRole('status').filter({ hasText: 'Saved as version 2' }).waitFor();
    await expect
      .poll(() => header.evaluate((el) => getComputedStyle(el).backgroundColor))
      .toBe('rgb(11, 83, 148)');

    // A visitor arriving now gets the new colours in the page itself, and the new words.
    const visitor = await newVisitor(browser);
    await visitor.page.goto(site.url());
    await visitor.page.getByText('Talk to a trained guide').waitFor();
    expect(await visitor.page.content()).toContain('--hearth-color-primary: #0b5394');
    expect([...admin.problems, ...visitor.problems]).toEqual([]);
    await Promise.all([admin.context.close(), visitor.context.close()]);
  });
});

/** Follows a link of the main navigation. */
async function nav(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

function messages(page: Page) {
  return page.getByRole('list', { name: 'Messages' });
}

async function keyboardSignIn(page: Page, username: string, password: string) {
  await tabTo(page, 'Username');
  await page.keyboard.type(username);
  await tabTo(page, 'Password');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function connected(page: Page) {
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
}

async function send(page: Page, text: string) {
  await page.getByLabel('Your message').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}
