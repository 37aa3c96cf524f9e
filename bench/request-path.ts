/**
 * The cost of Hearth's request path: an authenticated query (`identity.me`) through the real
 * server and client, against a floor — node:http + postgres.js running the same session check
 * and the same reads in one transaction, as a careful hand-written server would. Both run in
 * this process against the same PostgreSQL, one after the other, and the ratio is printed.
 *
 * PostgreSQL only (performance is never claimed on PGlite): set TEST_DATABASE_URL, or the
 * local default is used.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { createHearthClient } from '@hearth/client';
import { createTestDatabase } from '@hearth/db/testing';
import { createPlatform, provisionTenant, provisionUser } from '@hearth/server';
import { createNodeHandler } from '@hearth/server/adapters/node';
import postgres from 'postgres';
import { Agent, fetch } from 'undici';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const HOST = 'bench.hearth.test';
const PASSWORD = 'benchmark password 1';

const agent = new Agent({
  connections: CONCURRENCY,
  connect: {
    lookup: (_h, options, cb) => {
      if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else (cb as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
    },
  },
});

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

async function measure(label: string, call: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await call();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  const result = { label, rps: REQUESTS / seconds, p50: pct(0.5), p99: pct(0.99) };
  console.log(
    `  ${label.padEnd(34)} ${result.rps.toFixed(0).padStart(6)} req/s   p50 ${result.p50.toFixed(2)} ms   p99 ${result.p99.toFixed(2)} ms`,
  );
  return result;
}

const database = await createTestDatabase();
try {
  const { tenantId } = await provisionTenant(database.db, {
    slug: 'bench',
    domains: [HOST],
    config: { displayName: 'Bench' },
  });
  await provisionUser(database.db, {
    tenantId,
    username: 'bench_member',
    password: PASSWORD,
    roles: ['member'],
    ageBand: '16-17',
  });

  // Hearth: the real platform, adapter and client.
  const platform = createPlatform({ db: database.db, secret: 'x'.repeat(32) });
  const handler = createNodeHandler(platform);
  const hearthServer = createServer((req, res) => handler(req, res));
  const hearthPort = await listen(hearthServer);
  let cookie = '';
  const cookieFetch = (async (input: string, init: RequestInit = {}) => {
    const headers = { ...(init.headers as Record<string, string>), cookie };
    const res = await fetch(input, { ...(init as object), headers, dispatcher: agent });
    const set = res.headers.getSetCookie()[0];
    if (set) cookie = set.split(';')[0]!;
    return res;
  }) as unknown as typeof globalThis.fetch;
  const client = createHearthClient({
    url: `http://${HOST}:${hearthPort}/trpc`,
    fetch: cookieFetch,
  });
  await client.identity.signIn.mutate({ username: 'bench_member', password: PASSWORD });
  const token = decodeURIComponent(cookie.split('=')[1]!);

  // The floor: the same checks and reads, by hand.
  const sql = postgres(database.appUrl!, { max: 5, onnotice: () => {} });
  const floorServer = createServer(async (req: IncomingMessage, res) => {
    const raw = /hearth_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const [, secret] = decodeURIComponent(raw ?? '').split('.');
    const hash = createHash('sha256')
      .update(secret ?? '')
      .digest();
    const body = await sql.begin(async (tx) => {
      // Sent together without waiting in between (postgres.js pipelines them) and run in this
      // order, as Hearth sends its role, host and scope statements.
      const [, [tenant], [session]] = await Promise.all([
        tx`select set_config('role', 'hearth_app', true), set_config('app.tenant_id', ${tenantId}, true)`,
        tx`select current_config, config_version from tenants where id = ${tenantId}`,
        tx`
        select s.id, s.user_id, s.idle_expires_at, s.absolute_expires_at, u.roles
        from sessions s join users u on u.tenant_id = s.tenant_id and u.id = s.user_id
        where s.tenant_id = ${tenantId} and s.token_hash = ${hash} and s.revoked_at is null
          and u.disabled_at is null and s.idle_expires_at > now() and s.absolute_expires_at > now()`,
      ]);
      if (!tenant || !session) return null;
      const [user] =
        await tx`select * from users where tenant_id = ${tenantId} and id = ${session.user_id}`;
      return { result: { data: { id: user?.id, username: user?.username } } };
    });
    res.writeHead(body ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  const floorPort = await listen(floorServer);
  const floorUrl = `http://${HOST}:${floorPort}/me`;

  console.log(
    `\nRequest path — ${REQUESTS} authenticated reads, ${CONCURRENCY} at a time, PostgreSQL, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
  );
  const floorCall = async () => {
    const res = await fetch(floorUrl, {
      headers: { cookie: `hearth_session=${token}` },
      dispatcher: agent,
    });
    if (res.status !== 200) throw new Error(`floor answered ${res.status}`);
    await res.arrayBuffer();
  };
  const hearthCall = async () => {
    const me = await client.identity.me.query();
    if (!me) throw new Error('signed out during the benchmark');
  };
  // Two rounds, alternating, so neither side profits from running later (JIT, caches); the
  // ratio comes from the second.
  let floor = await measure('floor: node:http + postgres.js', floorCall);
  let hearth = await measure('hearth: identity.me via client', hearthCall);
  floor = await measure('floor (round 2)', floorCall);
  hearth = await measure('hearth (round 2)', hearthCall);
  console.log(
    `  ratio hearth/floor: throughput ${(hearth.rps / floor.rps).toFixed(2)}x, p99 ${(hearth.p99 / floor.p99).toFixed(2)}x\n`,
  );
  await sql.end();
  hearthServer.close();
  floorServer.close();
} finally {
  await database.drop();
  await agent.close();
}
