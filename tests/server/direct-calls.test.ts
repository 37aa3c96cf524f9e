import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeHandler } from '@hearth/server/adapters/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Owner, ownerConnection, tableDigests } from '../support/db.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * The Node adapter answers plain calls (JSON queries and mutations, batched or not) itself
 * instead of through tRPC's Fetch API adapter. Here the same requests go to two servers over
 * one platform — one answering directly, one with `directCalls: false`, i.e. tRPC's own adapter
 * for everything — and every answer must match: status, content type, `vary`, cookies and body,
 * byte for byte. The requests are every combination of procedures (queries, a mutation, a
 * subscription, a missing one, batches and mixed batches), methods, inputs (valid, invalid,
 * malformed, empty, too large, with a byte-order mark, not UTF-8), content types, the headers
 * that decide streaming and cross-site refusal, and sessions (none, a member's, a forged one).
 *
 * Which path answered is visible in the framing: tRPC streams its body (`transfer-encoding:
 * chunked`), the direct path sends it whole (`content-length`). Cases marked `direct` must have
 * been answered directly, and the others by tRPC, so the comparison cannot pass by both sides
 * quietly taking the same road.
 */

let p: TestPlatform;
let owner: Owner;
let reference: Server;
let referencePort: number;
let memberCookie: string;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(
  port: number,
  host: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | null,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { host, ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) req.end(body);
    else req.end();
  });
}

beforeAll(async () => {
  p = await startTestPlatform();
  owner = ownerConnection(p.database);
  const handler = createNodeHandler(p.platform, { trustProxy: true, directCalls: false });
  reference = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve));
  referencePort = (reference.address() as AddressInfo).port;
  const member = p.browser(p.alpha.host);
  await member.client.identity.signUp.mutate({
    username: 'direct_member',
    password: 'a long enough password',
    ageBand: '16-17',
  });
  memberCookie = [...member.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}, 60_000);

afterAll(async () => {
  reference?.closeAllConnections();
  await new Promise((resolve) => reference?.close(resolve));
  await owner?.close();
  await p?.close();
});

// ---------------------------------------------------------------------------------------------
// The requests

interface Target {
  name: string;
  /** Path after /trpc/. */
  path: string;
  /** Inputs by batch index; undefined sends none. */
  inputs: unknown[];
  batch: boolean;
  /** Every procedure exists and is a query (GET) or a mutation (POST). */
  plainAs: 'GET' | 'POST' | null;
}

const NOBODY = '00000000-0000-4000-8000-000000000000';
const targets: Target[] = [
  { name: 'branding', path: 'tenancy.branding', inputs: [undefined], batch: false, plainAs: 'GET' },
  { name: 'me', path: 'identity.me', inputs: [undefined], batch: false, plainAs: 'GET' },
  {
    name: 'profile of nobody',
    path: 'identity.profile.get',
    inputs: [{ userId: NOBODY }],
    batch: false,
    plainAs: 'GET',
  },
  {
    name: 'profile, bad id',
    path: 'identity.profile.get',
    inputs: [{ userId: 'not-a-uuid' }],
    batch: false,
    plainAs: 'GET',
  },
  {
    name: 'clear about',
    path: 'identity.profile.updateAbout',
    inputs: [{ about: '' }],
    batch: false,
    plainAs: 'POST',
  },
  {
    name: 'about, too long',
    path: 'identity.profile.updateAbout',
    inputs: [{ about: 'x'.repeat(501) }],
    batch: false,
    plainAs: 'POST',
  },
  {
    name: 'batch of queries',
    path: 'tenancy.branding,identity.me,identity.profile.get',
    inputs: [undefined, undefined, { userId: 'nope' }],
    batch: true,
    plainAs: 'GET',
  },
  {
    name: 'batch of mutations',
    path: 'identity.profile.updateAbout,identity.profile.updateAbout',
    inputs: [{ about: '' }, { about: 42 }],
    batch: true,
    plainAs: 'POST',
  },
  {
    name: 'mixed batch',
    path: 'tenancy.branding,identity.profile.updateAbout',
    inputs: [undefined, { about: '' }],
    batch: true,
    plainAs: null,
  },
  { name: 'missing', path: 'identity.nothingHere', inputs: [{}], batch: false, plainAs: null },
  {
    name: 'subscription',
    path: 'messaging.messages.live',
    inputs: [{ conversationId: NOBODY }],
    batch: false,
    plainAs: null,
  },
  // Names every object has: they must be answered as missing, never found on Object.prototype.
  { name: 'constructor', path: 'constructor', inputs: [undefined], batch: false, plainAs: null },
  {
    name: 'prototype in a batch',
    path: 'tenancy.branding,__proto__,toString',
    inputs: [undefined],
    batch: true,
    plainAs: null,
  },
  {
    name: 'encoded path',
    path: 'tenancy%2Ebranding',
    inputs: [undefined],
    batch: false,
    plainAs: null,
  },
];

/** How the input travels, for GET (the `input` parameter) and POST (the body). */
const inputForms: { name: string; encode(target: Target): string | Buffer | null }[] = [
  { name: 'json', encode: (t) => encodeInputs(t) },
  { name: 'none', encode: () => null },
  { name: 'empty', encode: () => '' },
  { name: 'malformed', encode: (t) => (encodeInputs(t) ?? '{}').slice(0, -1) },
  { name: 'not an object for a batch', encode: () => '[1,2]' },
  { name: 'byte-order mark', encode: (t) => `\uFEFF${encodeInputs(t) ?? ''}` },
  {
    name: 'not UTF-8',
    encode: (t) => Buffer.concat([Buffer.from(encodeInputs(t) ?? '{}'), Buffer.from([0xff, 0xfe])]),
  },
  { name: 'too large', encode: () => JSON.stringify({ padding: 'x'.repeat(110 * 1024) }) },
  // Deep enough to matter, short enough for a query string (Node refuses headers over 16 kB).
  { name: 'deep', encode: () => `${'['.repeat(1500)}${']'.repeat(1500)}` },
];

function encodeInputs(target: Target): string | null {
  if (!target.batch) {
    return target.inputs[0] === undefined ? null : JSON.stringify(target.inputs[0]);
  }
  const byIndex: Record<string, unknown> = {};
  target.inputs.forEach((input, i) => {
    if (input !== undefined) byIndex[i] = input;
  });
  return JSON.stringify(byIndex);
}

const contentTypes: { name: string; value: string | null; json: boolean }[] = [
  { name: 'json', value: 'application/json', json: true },
  { name: 'json; charset', value: 'Application/JSON; charset=utf-8', json: true },
  { name: 'none', value: null, json: false },
  { name: 'text', value: 'text/plain', json: false },
];

const headerSets: { name: string; headers: Record<string, string> }[] = [
  { name: 'client', headers: { 'x-hearth-client': '1' } },
  { name: 'no client header', headers: {} },
  {
    name: 'cross-site',
    headers: { 'x-hearth-client': '1', 'sec-fetch-site': 'cross-site' },
  },
  {
    name: 'other origin',
    headers: { 'x-hearth-client': '1', origin: 'https://evil.test' },
  },
  // Asking for a streamed answer (JSON lines) still gets one piece, from either adapter.
  {
    name: 'accept jsonl',
    headers: { 'x-hearth-client': '1', accept: 'text/html, application/jsonl' },
  },
  { name: 'trpc-accept', headers: { 'x-hearth-client': '1', 'trpc-accept': 'application/jsonl' } },
];

const sessions: { name: string; cookie: () => string | null }[] = [
  { name: 'anonymous', cookie: () => null },
  { name: 'member', cookie: () => memberCookie },
  { name: 'forged', cookie: () => `hearth_session=${'0'.repeat(32)}.${'A'.repeat(43)}` },
];

interface Case {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
  direct: boolean;
}

function makeCase(
  target: Target,
  method: string,
  form: (typeof inputForms)[number],
  type: (typeof contentTypes)[number],
  set: (typeof headerSets)[number],
  session: (typeof sessions)[number],
): Case {
  const encoded = form.encode(target);
  const query = new URLSearchParams();
  if (target.batch) query.set('batch', '1');
  let body: Buffer | null = null;
  if (method === 'GET') {
    if (encoded !== null) query.set('input', encoded.toString());
  } else if (encoded !== null) {
    body = Buffer.isBuffer(encoded) ? encoded : Buffer.from(encoded);
  }
  const headers: Record<string, string> = { ...set.headers };
  if (type.value) headers['content-type'] = type.value;
  const cookie = session.cookie();
  if (cookie) headers.cookie = cookie;
  const search = query.toString();
  return {
    name: `${target.name} · ${method} · input ${form.name} · ${type.name} · ${set.name} · ${session.name}`,
    method,
    url: `/trpc/${target.path}${search ? `?${search}` : ''}`,
    headers,
    body,
    direct:
      target.plainAs === method &&
      (method === 'GET' ? type.value === null || type.json : type.json),
  };
}

/**
 * Every target with every method, input form and content type — once as a signed-in member
 * calling from the site (so every input is read), once with the headers and session turning
 * round from case to case — then every target with every header set and session, with a
 * well-formed input.
 */
function buildCases(): Case[] {
  const cases: Case[] = [];
  let turn = 0;
  const fromSite = headerSets[0]!;
  const member = sessions[1]!;
  for (const target of targets) {
    for (const method of ['GET', 'POST', 'PUT']) {
      for (const form of inputForms) {
        // A query string of 110 kB is refused by Node itself (431) before either adapter.
        if (method === 'GET' && form.name === 'too large') continue;
        for (const type of method === 'GET' ? contentTypes.slice(0, 3) : contentTypes) {
          cases.push(makeCase(target, method, form, type, fromSite, member));
          const set = headerSets[turn % headerSets.length]!;
          const session = sessions[Math.floor(turn / headerSets.length) % sessions.length]!;
          turn++;
          cases.push(makeCase(target, method, form, type, set, session));
        }
      }
    }
    for (const method of ['GET', 'POST']) {
      for (const set of headerSets) {
        for (const session of sessions) {
          cases.push(makeCase(target, method, inputForms[0]!, contentTypes[0]!, set, session));
        }
      }
    }
  }
  return cases;
}

/** What must match: everything but the framing and the date. */
function comparable(answer: Answer) {
  return {
    status: answer.status,
    contentType: answer.headers['content-type'],
    vary: answer.headers.vary,
    allow: answer.headers.allow,
    setCookie: answer.headers['set-cookie'],
    body: answer.body,
  };
}

const answeredDirectly = (answer: Answer) =>
  answer.headers['content-length'] !== undefined &&
  answer.headers['transfer-encoding'] === undefined;

describe('direct calls answer exactly as tRPC does', () => {
  test('every combination, compared with tRPC’s own adapter', async () => {
    const cases = buildCases();
    const before = await tableDigests(owner);
    const mismatches: string[] = [];
    let direct = 0;
    for (const c of cases) {
      const ours = await send(p.port, p.alpha.host, c.method, c.url, c.headers, c.body);
      const theirs = await send(referencePort, p.alpha.host, c.method, c.url, c.headers, c.body);
      if (answeredDirectly(theirs)) mismatches.push(`${c.name}: the reference answered directly`);
      if (answeredDirectly(ours) !== c.direct) {
        mismatches.push(`${c.name}: expected ${c.direct ? 'a direct answer' : 'tRPC to answer'}`);
      }
      if (answeredDirectly(ours)) direct++;
      if (ours.status >= 500) mismatches.push(`${c.name}: answered ${ours.status}`);
      try {
        expect(comparable(ours)).toEqual(comparable(theirs));
      } catch {
        mismatches.push(
          `${c.name}:\n  direct ${JSON.stringify(comparable(ours))}\n  tRPC   ${JSON.stringify(comparable(theirs))}`,
        );
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // The cases cover both roads, and most calls a client makes take the direct one.
    expect(direct).toBeGreaterThan(150);
    expect(direct).toBeLessThan(cases.length);
    // Clearing an empty "about" writes nothing new; nothing else here may write at all.
    expect(await tableDigests(owner)).toEqual(before);
  }, 300_000);
});

test('asking for a streamed answer (JSON lines) still gets one piece, with its cookies', async () => {
  // Signing in sets its cookie while the procedure runs, after a streamed answer would have
  // sent its headers: both adapters answer such a request in one piece.
  for (const port of [p.port, referencePort]) {
    const asks: Record<string, string>[] = [
      { 'trpc-accept': 'application/jsonl' },
      { accept: 'application/jsonl' },
    ];
    for (const asked of asks) {
      const answer = await send(
        port,
        p.alpha.host,
        'POST',
        '/trpc/identity.signIn?batch=1',
        { 'content-type': 'application/json', 'x-hearth-client': '1', ...asked },
        Buffer.from(
          JSON.stringify({ 0: { username: 'direct_member', password: 'a long enough password' } }),
        ),
      );
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.headers['set-cookie']?.[0]).toMatch(/^hearth_session=[0-9a-f]{32}\./);
      expect(JSON.parse(answer.body)).toHaveLength(1);
    }
  }
});
