import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, test } from 'vitest';
// The test run's global setup, for the type of what it provides (the built web app).
import type {} from '../../../tests/setup/global.js';
import { startFutureYou } from './app.js';
import { DEMO_PASSWORD } from './tenants.js';

// The example as a charity runs it: on the embedded database, in a folder that survives
// restarts. (Its PostgreSQL mode is started by .ci/run against a real server.)
const dataDir = mkdtempSync(join(tmpdir(), 'future-you-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
// The web app, built once for the test run from the packages' sources.
const webDir = inject('hearthWebDir');

function get(port: number, host: string, path = '/', headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    body: string;
    setCookie: string[];
    headers: Record<string, string | string[] | undefined>;
  }>((resolve, reject) => {
    const req = request({ port, path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          setCookie: res.headers['set-cookie'] ?? [],
          headers: res.headers,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function post(port: number, host: string, path: string, input: unknown, cookie = '') {
  return new Promise<{ status: number; body: string; setCookie: string[] }>((resolve, reject) => {
    const req = request(
      {
        port,
        path,
        method: 'POST',
        headers: {
          host,
          'content-type': 'application/json',
          'x-hearth-client': '1',
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

test('serves each demo organisation in its own name and colours, and keeps data across restarts', async () => {
  const first = await startFutureYou({ dataDir, port: 0, webDir });
  try {
    const home = await get(first.port, 'localhost');
    expect(home.status).toBe(200);
    expect(home.body).toContain('<title>Future You</title>');
    expect(home.body).toContain('--hearth-color-primary: #5b2a86');
    const policy = home.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    expect(home.body).toContain(`<style nonce="${nonce}">`);
    // Every path is the app (it routes in the browser), in the organisation of the host.
    const deep = await get(first.port, 'localhost', '/conversations/anything');
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');
    expect(deep.status).toBe(200);
    expect(withoutNonce(deep.body)).toBe(withoutNonce(home.body));
    expect(deep.body).not.toContain(nonce);
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(home.body)![1]!;
    const bundle = await get(first.port, 'localhost', script);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers['cache-control']).toContain('immutable');
    expect((await get(first.port, 'localhost', '/assets/../../package.json')).status).toBe(404);
    expect(
      (await get(first.port, 'localhost', '/assets/%2e%2e%2f%2e%2e%2fpackage.json')).status,
    ).toBe(404);

    const second = await get(first.port, 'second.localhost');
    expect(second.status).toBe(200);
    expect(second.body).toContain('<title>Northside Buddies</title>');
    expect(second.body).toContain('--hearth-color-primary: #00695c');

    const unknown = await get(first.port, 'elsewhere.example');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toBe('No organisation is served at this address.');

    const signUp = await post(first.port, 'localhost', '/trpc/identity.signUp', {
      username: 'river_runner',
      password: 'a long enough password',
      ageBand: '16-17',
    });
    expect(signUp.status).toBe(200);
  } finally {
    await first.close();
  }

  const again = await startFutureYou({ dataDir, port: 0, webDir });
  try {
    const signIn = await post(again.port, 'localhost', '/trpc/identity.signIn', {
      username: 'river_runner',
      password: 'a long enough password',
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.setCookie[0]!.split(';')[0]!;
    const me = await get(again.port, 'localhost', '/trpc/identity.me', { cookie });
    expect(data(me.body)).toMatchObject({ username: 'river_runner', roles: ['member'] });

    const demo = await post(again.port, 'localhost', '/trpc/identity.signIn', {
      username: 'fy_admin',
      password: DEMO_PASSWORD,
    });
    expect(demo.status).toBe(200);
  } finally {
    await again.close();
  }
});

const data = (body: string) => (JSON.parse(body) as { result: { data: unknown } }).result.data;

async function signIn(port: number, username: string): Promise<string> {
  const res = await post(port, 'localhost', '/trpc/identity.signIn', {
    username,
    password: DEMO_PASSWORD,
  });
  expect(res.status).toBe(200);
  return res.setCookie[0]!.split(';')[0]!;
}

test('a demo mentor raises a concern and the demo safeguarding lead reads it, note and all', async () => {
  const printed: string[] = [];
  const app = await startFutureYou({ dataDir, port: 0, webDir, log: (line) => printed.push(line) });
  try {
    const admin = await signIn(app.port, 'fy_admin');
    const users = data(
      (await get(app.port, 'localhost', '/trpc/identity.users.list', { cookie: admin })).body,
    ) as {
      users: { id: string; username: string }[];
    };
    const member = users.users.find((u) => u.username === 'fy_member')!;
    const mentor = await signIn(app.port, 'fy_mentor');
    const raised = await post(
      app.port,
      'localhost',
      '/trpc/safeguarding.concerns.raise',
      {
        subjectUserId: member.id,
        category: 'bullying_threats',
        severity: 'medium',
        note: 'Worried about messages from older kids',
      },
      mentor,
    );
    expect(raised.status).toBe(200);
    const { caseId } = data(raised.body) as { caseId: string };
    const lead = await signIn(app.port, 'fy_dsl');
    const read = await get(
      app.port,
      'localhost',
      `/trpc/safeguarding.cases.get?input=${encodeURIComponent(JSON.stringify({ caseId }))}`,
      { cookie: lead },
    );
    expect(read.status).toBe(200);
    const full = data(read.body) as { timeline: { kind: string; note: string | null }[] };
    expect(full.timeline.find((e) => e.kind === 'note')?.note).toBe(
      'Worried about messages from older kids',
    );
    // fy_member has no mentor and Future You no senior mentors, so the ladder's first two steps
    // reach nobody and the case goes straight on to the safeguarding lead, whom the running
    // dispatcher alerts by e-mail. With no SMTP server set, the e-mail is printed, and says
    // nothing about what the case is about. Jo, who is not this member's mentor, is not told.
    const deadline = Date.now() + 15_000;
    while (!printed.some((l) => l.includes('To: dsl@future-you.example.org'))) {
      if (Date.now() > deadline) throw new Error(`no alert e-mail printed:\n${printed.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mail = printed.find((l) => l.includes('To: dsl@future-you.example.org'))!;
    expect(mail).toMatch(/Subject: Future You: a safeguarding case needs you/);
    expect(printed.filter((l) => l.includes('To: jo@future-you.example.org'))).toEqual([]);
    expect(mail).not.toMatch(/older kids|bullying/);
  } finally {
    await app.close();
  }
});
