import { createHearthClient, type HearthClient } from '@hearth/client';
import type { HearthRouter } from '@hearth/server';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loopback, startTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * `@hearth/client` sends queries and mutations through its own batching (packages/client/src/
 * calls.ts) instead of tRPC's `httpBatchLink`. Here the same calls go through both — the Hearth
 * client, and a stock tRPC client configured as Hearth's used to be — and everything must
 * match: the HTTP requests sent (URL, method, headers, body), the values returned, and every
 * property of the errors thrown (message, shape, data, the response and its JSON, the cause).
 * First against the real server, then against a fetch that answers what a broken proxy or a
 * dropped connection would, and with calls aborted before and during their request.
 */

type Fetch = (input: string, init: RequestInit) => Promise<Response>;
interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  signal: boolean;
}

let p: TestPlatform;
let cookie = '';
let url = '';

beforeAll(async () => {
  p = await startTestPlatform();
  url = `${p.origin(p.alpha.host)}/trpc`;
  const member = p.browser(p.alpha.host);
  await member.client.identity.signUp.mutate({
    username: 'calls_member',
    password: 'a long enough password',
    ageBand: '16-17',
  });
  cookie = [...member.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}, 60_000);

afterAll(async () => {
  await p?.close();
});

/** The server, as a browser with the member's cookie would reach it. */
const server: Fetch = (input, init) =>
  undiciFetch(input, {
    ...(init as object),
    headers: { ...(init.headers as Record<string, string>), cookie },
    dispatcher: loopback,
  }) as unknown as Promise<Response>;

function recorded(inner: Fetch): { fetch: Fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: (input, init) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
        headers[k.toLowerCase()] = v;
      }
      sent.push({
        url: input,
        method: init.method ?? 'GET',
        headers,
        body: typeof init.body === 'string' ? init.body : null,
        signal: init.signal !== undefined && init.signal !== null,
      });
      return inner(input, init);
    },
  };
}

/** tRPC's own client, linked exactly as `createHearthClient` linked it before. */
function stockClient(fetch: Fetch): HearthClient {
  return createTRPCClient<HearthRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource }),
        false: httpBatchLink({
          url,
          maxItems: 10,
          headers: () => ({ 'x-hearth-client': '1' }),
          fetch: (input, init) =>
            fetch(input as string, { ...(init as RequestInit), credentials: 'include' }),
        }),
      }),
    ],
  });
}

function both(inner: Fetch) {
  const ours = recorded(inner);
  const theirs = recorded(inner);
  return {
    ours: createHearthClient({ url, fetch: ours.fetch as typeof fetch, EventSource }),
    theirs: stockClient(theirs.fetch),
    sentByOurs: ours.sent,
    sentByTheirs: theirs.sent,
  };
}

/** What a call came to: its value, or everything a caller can read from its error. */
async function outcome(call: Promise<unknown>) {
  try {
    return { value: await call };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) return { thrown: String(error) };
    const cause = error.cause as { name?: string; message?: string } | undefined;
    return {
      error: {
        name: error.name,
        message: error.message,
        shape: error.shape,
        data: error.data,
        meta: error.meta
          ? {
              keys: Object.keys(error.meta).sort(),
              status: (error.meta.response as Response | undefined)?.status,
              responseJSON: error.meta.responseJSON,
            }
          : undefined,
        cause: cause ? { name: cause.name, message: cause.message } : undefined,
      },
    };
  }
}

type Scenario = (client: HearthClient) => Promise<unknown>[];

async function compare(inner: Fetch, scenario: Scenario) {
  const { ours, theirs, sentByOurs, sentByTheirs } = both(inner);
  const mine = await Promise.all(scenario(ours).map(outcome));
  const stock = await Promise.all(scenario(theirs).map(outcome));
  expect(mine).toEqual(stock);
  expect(sentByOurs.map(({ signal: _, ...rest }) => rest)).toEqual(
    sentByTheirs.map(({ signal: _, ...rest }) => rest),
  );
  return { outcomes: mine, sent: sentByOurs };
}

const NOBODY = '00000000-0000-4000-8000-000000000000';

describe('against the real server', () => {
  test('one query', async () => {
    const { outcomes, sent } = await compare(server, (c) => [c.tenancy.branding.query()]);
    expect(outcomes[0]).toHaveProperty('value.displayName');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toMatch(/\/trpc\/tenancy\.branding\?batch=1&input=%7B%7D$/);
  });

  test('calls in one tick share a request; answers and errors keep their places', async () => {
    const { outcomes, sent } = await compare(server, (c) => [
      c.identity.me.query(),
      c.identity.profile.get.query({ userId: 'not an id' }),
      c.identity.profile.get.query({ userId: NOBODY }),
      c.tenancy.branding.query(),
    ]);
    expect(sent).toHaveLength(1);
    expect(outcomes[0]).toHaveProperty('value.username', 'calls_member');
    expect(outcomes[1]).toHaveProperty('error.data.code', 'BAD_REQUEST');
    expect(outcomes[2]).toHaveProperty('error.data.code', 'NOT_FOUND');
    expect(outcomes[3]).toHaveProperty('value');
  });

  test('mutations: alone, together, failing, and beside queries', async () => {
    const { outcomes, sent } = await compare(server, (c) => [
      c.identity.profile.updateAbout.mutate({ about: '' }),
      c.identity.profile.updateAbout.mutate({ about: 'x'.repeat(501) }),
      c.tenancy.branding.query(),
    ]);
    // Mutations were called first, so their request goes first.
    expect(sent.map((s) => s.method)).toEqual(['POST', 'GET']);
    expect(outcomes[0]).toHaveProperty('value.status', 'published');
    expect(outcomes[1]).toHaveProperty('error.data.fieldErrors.about');
  });

  test('more calls than a batch holds go in several requests', async () => {
    const { outcomes, sent } = await compare(server, (c) =>
      Array.from({ length: 23 }, () => c.tenancy.branding.query()),
    );
    expect(sent).toHaveLength(3);
    expect(outcomes.every((o) => 'value' in o)).toBe(true);
  });

  test('signed out', async () => {
    const anonymous: Fetch = (input, init) =>
      undiciFetch(input, {
        ...(init as object),
        dispatcher: loopback,
      }) as unknown as Promise<Response>;
    const { outcomes } = await compare(anonymous, (c) => [
      c.identity.me.query(),
      c.identity.profile.updateAbout.mutate({ about: '' }),
    ]);
    expect(outcomes[0]).toEqual({ value: null });
    expect(outcomes[1]).toHaveProperty('error.data.code', 'UNAUTHORIZED');
  });
});

describe('odd answers and failures', () => {
  const answering =
    (status: number, body: string, contentType = 'application/json'): Fetch =>
    async () =>
      new Response(body, { status, headers: { 'content-type': contentType } });
  const two: Scenario = (c) => [c.tenancy.branding.query(), c.identity.me.query()];
  const error = (message: string, code = -32600) => ({
    error: { message, code, data: { code: 'BAD_REQUEST', httpStatus: 400 } },
  });

  const cases: [string, Fetch][] = [
    ['a proxy’s HTML page', answering(502, '<html>Bad gateway</html>', 'text/html')],
    ['one error for the whole request', answering(413, JSON.stringify(error('Too large')))],
    ['fewer answers than calls', answering(200, JSON.stringify([{ result: { data: 1 } }]))],
    ['answers that are not envelopes', answering(200, JSON.stringify([null, 5]))],
    [
      'an error that is not an error',
      answering(200, JSON.stringify([{ error: 'no' }, { error: { code: 'x' } }])),
    ],
    [
      'an error without a message',
      answering(200, JSON.stringify([{ error: { code: -32600 } }, error('fine')])),
    ],
    [
      'a result that is not an object',
      answering(200, JSON.stringify([{ result: 5 }, { result: [] }])),
    ],
    [
      'a result that is missing',
      answering(200, JSON.stringify([{ result: null }, { results: {} }])),
    ],
    ['answers that are text', answering(200, JSON.stringify(['ok', [{ result: { data: 1 } }]]))],
    [
      'results of other types',
      answering(200, JSON.stringify([{ result: { type: 'started', data: 1 } }, { result: {} }])),
    ],
    ['not JSON at all', answering(200, '{"result":')],
    [
      'a dropped connection',
      async () => {
        throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      },
    ],
  ];
  test.each(cases)('%s', async (_name, fetch) => {
    await compare(fetch, two);
  });
});

describe('aborting', () => {
  /** A fetch that answers only when told to, and fails as fetch does when its signal aborts. */
  const held = () => {
    const waiting: (() => void)[] = [];
    const fetch: Fetch = (_input, init) =>
      new Promise((resolve, reject) => {
        const signal = init.signal;
        signal?.throwIfAborted();
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        waiting.push(() =>
          resolve(
            new Response(JSON.stringify([{ result: { data: 'a' } }, { result: { data: 'b' } }]), {
              headers: { 'content-type': 'application/json' },
            }),
          ),
        );
      });
    const release = () => {
      for (const answer of waiting.splice(0)) answer();
    };
    return { fetch, release };
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  test('aborted before the request goes', async () => {
    const { fetch } = held();
    const { outcomes, sent } = await compare(fetch, (c) => [
      c.tenancy.branding.query(undefined, { signal: AbortSignal.abort() }),
    ]);
    expect(outcomes[0]).toHaveProperty('error.cause.name', 'AbortError');
    expect(sent).toHaveLength(0);
  });

  test('every call of a request aborted while it is under way', async () => {
    for (const client of ['ours', 'theirs'] as const) {
      const { fetch, release } = held();
      const clients = both(fetch);
      const a = new AbortController();
      const b = new AbortController();
      const calls = [
        clients[client].tenancy.branding.query(undefined, { signal: a.signal }),
        clients[client].identity.me.query(undefined, { signal: b.signal }),
      ].map(outcome);
      await tick();
      a.abort();
      await tick();
      b.abort();
      release();
      const [first, second] = await Promise.all(calls);
      expect(first).toHaveProperty('error.cause.name', 'AbortError');
      expect(first).toHaveProperty('error.message', 'This operation was aborted');
      expect(second).toEqual(first);
    }
  });

  test('one call of two aborted: the request goes on and both are answered', async () => {
    for (const client of ['ours', 'theirs'] as const) {
      const { fetch, release } = held();
      const clients = both(fetch);
      const a = new AbortController();
      const calls = [
        clients[client].tenancy.branding.query(undefined, { signal: a.signal }),
        clients[client].identity.me.query(),
      ].map(outcome);
      await tick();
      a.abort();
      release();
      expect(await Promise.all(calls)).toEqual([{ value: 'a' }, { value: 'b' }]);
    }
  });
});

test('a batch size that cannot work is refused at once', () => {
  for (const maxBatchSize of [0, -1, 1.5, Number.NaN]) {
    expect(() => createHearthClient({ url, maxBatchSize })).toThrow(/maxBatchSize/);
  }
});
