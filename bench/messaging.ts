/**
 * The cost of Hearth's messaging: `messaging.messages.send` and `messaging.messages.list` through
 * the real server, adapter and client, against a floor — node:http + postgres.js running, in one
 * transaction, the same session check and the same SQL that `sendMessage` and `listMessages`
 * run, as a careful hand-written server would. Then live delivery: 1,000 open subscriptions
 * (server-sent events through the real server and client) and the time from a message's commit
 * to each subscriber receiving it. "Commit" is when PostgreSQL acknowledged the sending
 * transaction's COMMIT to the server (recorded by wrapping the database handed to
 * createPlatform); the time from calling `send` is printed too, as an upper bound.
 *
 * What the floor does, per send: read the session cookie, one statement setting the role and the
 * tenant and one reading the tenant with the session and its account, sent together in one
 * round trip as Hearth sends its own (touching the session every minute, as Hearth does), then Hearth's two statements: one reading the membership, the
 * relationship's status and the writer's kind and age; the SAME risk engine and moderation
 * decision from @hearth/core (so the screening CPU is on both sides); and one writing everything
 * (the next `seq`, the message, the writer's read receipt, the realtime `pg_notify`, an outbox
 * row for each other member at the end of quiet hours for a member, and the outbox `pg_notify`).
 * Per list: the session check, then one statement checking the membership and reading a page of
 * 50 readable messages, as Hearth does. What it leaves out:
 * finding the tenant from the Host header (it takes it from the token; one statement fewer, as
 * in request-path.ts), the policy engine, zod (a few hand-written checks of the input instead),
 * tRPC's batching envelope, and moderation items or cases (the bench sends only messages the
 * policy publishes, checked at set-up).
 *
 * PostgreSQL only (performance is never claimed on PGlite): set TEST_DATABASE_URL, or the local
 * default is used. The bench creates (and drops) its own database, hearth_bench_messaging.
 *
 * Goals (messaging issue): send ≥ 0.75× the floor's throughput, list ≥ 0.5×; p99 at half the
 * floor's peak rate reported for both; live delivery p99 ≤ 150 ms with 1,000 subscriptions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { createHearthClient } from '@hearth/client';
import {
  buildRuleSet,
  createRiskEngine,
  decideModeration,
  defaultEnglishRiskRules,
  isUnder18,
  parseTenantConfig,
  quietHoursEnd,
  type TenantConfig,
} from '@hearth/core';
import { type HearthDb, mentoringRelationships } from '@hearth/db';
import { createPostgresDb } from '@hearth/db/postgres';
import { createPlatform, type MessageView, provisionTenant, provisionUser } from '@hearth/server';
import { createNodeHandler } from '@hearth/server/adapters/node';
import { EventSource } from 'eventsource';
import postgres from 'postgres';
import { Agent, fetch } from 'undici';
import { ordinaryMessages } from '../packages/core/src/safeguarding/corpus/ordinary.en.js';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
// Fewer than request-path.ts: a send costs several times a read, and the whole run stays near
// three minutes on two cores.
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Counted pairs of closed-loop rounds (floor, then Hearth) after one warm-up pair. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** How long each open-loop run (at half the floor's peak rate) lasts. */
const OPEN_LOOP_SECONDS = Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 5);
/** Live: conversations, each followed by both its member and its mentor. */
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 500);
// A moderate rate: each conversation hears from its member about every 20 s. On two busy cores
// 50/s already saturates the server (sends and deliveries share one process with the clients).
const LIVE_RATE = Number(process.env.BENCH_LIVE_RATE ?? 25);
const LIVE_MESSAGES = Number(process.env.BENCH_LIVE_MESSAGES ?? 600);
const PAGE = 50;
const HOST = 'bench.hearth.test';
const PASSWORD = 'benchmark password 1';
const DATABASE = 'hearth_bench_messaging';
const APP_LOGIN = 'hearth_bench_app';
const MEMBERS = Math.max(CONVERSATIONS, CONCURRENCY);
/** Each mentor has two mentees, so follows two conversations. */
const MENTORS = Math.ceil(MEMBERS / 2);
const SUBSCRIBERS = CONVERSATIONS * 2;

const loopback = (connections: number) =>
  new Agent({
    connections,
    connect: {
      lookup: (_h, options, cb) => {
        if ((options as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
        else (cb as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
      },
    },
  });
// Calls (more connections than workers, for the open-loop runs), and one per live stream.
const agent = loopback(CONCURRENCY * 4);
const sseAgent = loopback(SUBSCRIBERS + 50);

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
const ms = (n: number) => `${n.toFixed(2)} ms`;
/** The machine's one-minute load average: the bench shares it with whatever else runs. */
const load = () => `load ${loadavg()[0]!.toFixed(1)}`;

async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

interface Measured {
  label: string;
  rps: number;
  p50: number;
  p99: number;
}

/** Closed loop: CONCURRENCY workers, each calling as soon as its last call returned. */
async function measure(
  label: string,
  call: (worker: number) => Promise<unknown>,
): Promise<Measured> {
  for (let i = 0; i < 100; i++) await call(i % CONCURRENCY);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (next++ < REQUESTS) {
        const t0 = performance.now();
        await call(worker);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const result = {
    label,
    rps: REQUESTS / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
  console.log(
    `  ${label.padEnd(34)} ${result.rps.toFixed(0).padStart(6)} req/s   p50 ${ms(result.p50)}   p99 ${ms(result.p99)}`,
  );
  return result;
}

/**
 * Open loop: calls started at a fixed rate whether or not earlier ones returned; each latency is
 * counted from when its call was due, so a stall is not hidden by the calls it held back.
 */
async function openLoop(
  label: string,
  rate: number,
  closed: { rps: number; p50: number },
  call: (i: number) => Promise<unknown>,
) {
  const count = Math.max(100, Math.round(rate * OPEN_LOOP_SECONDS));
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const at = start + (sent * 1000) / rate;
      pending.push(call(sent).then(() => void latencies.push(performance.now() - at)));
    }
    await sleep(1);
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  const result = { label, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  // Above the stack's own peak, calls queue and latency grows with the length of the run. A
  // median above the closed loop's (16 calls always waiting) says the same: more were waiting.
  const over = rate > closed.rps || result.p50 > closed.p50;
  const note = over
    ? `   (overloaded: its closed-loop peak was ${closed.rps.toFixed(0)} req/s)`
    : '';
  console.log(
    `  ${label.padEnd(34)} ${rate.toFixed(0).padStart(6)} req/s   p50 ${ms(result.p50)}   p99 ${ms(result.p99)}${note}`,
  );
  return { ...result, over };
}

// A fresh database of our own: the test suite drops every `hearth_t_*` database when it starts.
const baseUrl = process.env.TEST_DATABASE_URL;
const withDatabase = (user?: string) => {
  const u = new URL(baseUrl);
  u.pathname = `/${DATABASE}`;
  if (user) {
    u.username = user;
    u.password = user;
  }
  return u.toString();
};
const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists "${DATABASE}" with (force)`);
await admin.unsafe(`create database "${DATABASE}"`);
const [{ server_version: pgVersion } = { server_version: '?' }] =
  await admin`select current_setting('server_version') as server_version`;
const ownerUrl = withDatabase();
const appUrl = withDatabase(APP_LOGIN);
const db = createPostgresDb({ url: appUrl, migrationUrl: ownerUrl, maxConnections: 10 });

/** When each sent message's transaction committed (acknowledged to the server), by message id. */
const commits = new Map<string, number>();
let recordCommits = false;
const instrumented: HearthDb = {
  ...db,
  async transaction(tenantId, fn) {
    const out = await db.transaction(tenantId, fn);
    if (recordCommits) {
      const id = (out as { data?: { message?: { id?: string } | null } } | null)?.data?.message?.id;
      if (id) commits.set(id, performance.now());
    }
    return out;
  },
};

const closers: (() => Promise<unknown> | unknown)[] = [];
try {
  await db.migrate();
  const [role] = await admin`select 1 from pg_roles where rolname = ${APP_LOGIN}`;
  if (!role) {
    await admin.unsafe(
      `create role ${APP_LOGIN} login password '${APP_LOGIN}' nosuperuser nobypassrls in role hearth_app`,
    );
  }

  const setupStarted = performance.now();
  const { tenantId } = await provisionTenant(db, {
    slug: 'bench',
    domains: [HOST],
    config: { displayName: 'Bench' },
  });
  const config = parseTenantConfig({ displayName: 'Bench' });
  // Cheap hashes: sign-in verifies with the parameters stored with each hash.
  const hashing = { memoryCost: 1024, timeCost: 1 };
  const memberIds = await inParallel(Array.from({ length: MEMBERS }), 8, (_, i) =>
    provisionUser(
      db,
      {
        tenantId,
        username: `bench_member_${i}`,
        password: PASSWORD,
        roles: ['member'],
        ageBand: '16-17',
      },
      hashing,
    ).then((u) => u.userId),
  );
  const mentorIds = await inParallel(Array.from({ length: MENTORS }), 8, (_, i) =>
    provisionUser(
      db,
      {
        tenantId,
        username: `bench_mentor_${i}`,
        password: PASSWORD,
        roles: ['mentor'],
        email: `bench_mentor_${i}@example.org`,
      },
      hashing,
    ).then((u) => u.userId),
  );
  // Active matches, inserted as a member-chooses match would leave them.
  const position = new Map(memberIds.map((id, i) => [id, i]));
  const relationshipIds = await db.transaction(tenantId, async (tx) =>
    (
      await tx
        .insert(mentoringRelationships)
        .values(
          memberIds.map((memberId, i) => ({
            tenantId,
            memberId,
            mentorId: mentorIds[i % MENTORS]!,
            status: 'active' as const,
            matching: 'member-chooses' as const,
            startedAt: new Date(),
          })),
        )
        .returning({ id: mentoringRelationships.id, memberId: mentoringRelationships.memberId })
    )
      .sort((a, b) => position.get(a.memberId)! - position.get(b.memberId)!)
      .map((r) => r.id),
  );

  // Hearth: the real platform, adapter and client.
  const platform = createPlatform({ db: instrumented, secret: 'x'.repeat(32) });
  const handler = createNodeHandler(platform);
  const hearthServer = createServer((req, res) => handler(req, res));
  const hearthPort = await listen(hearthServer);
  closers.push(async () => {
    hearthServer.closeAllConnections();
    await new Promise((resolve) => hearthServer.close(resolve));
    await platform.runtime.realtime.close();
  });

  /** A browser: its own cookie jar, a client, and live streams through the same cookie. */
  const browser = () => {
    let cookie = '';
    const cookieFetch = async (input: string, init: RequestInit = {}) => {
      const headers = { ...(init.headers as Record<string, string>), cookie };
      const res = await fetch(input, { ...(init as object), headers, dispatcher: agent });
      const set = res.headers.getSetCookie()[0];
      if (set) cookie = set.split(';')[0]!;
      return res;
    };
    const streamFetch = (input: string | URL, init: RequestInit = {}) =>
      fetch(String(input), {
        ...(init as object),
        headers: { ...(init.headers as Record<string, string>), cookie },
        dispatcher: sseAgent,
      });
    const client = createHearthClient({
      url: `http://${HOST}:${hearthPort}/trpc`,
      fetch: cookieFetch as unknown as typeof globalThis.fetch,
      EventSource,
      eventSourceOptions: { fetch: streamFetch },
    });
    return {
      client,
      /** Plain HTTP through the same cookie jar (the floor's calls use it too). */
      fetch: cookieFetch,
    };
  };
  type Browser = ReturnType<typeof browser>;
  const signIn = async (username: string) => {
    const b = browser();
    await b.client.identity.signIn.mutate({ username, password: PASSWORD });
    return b;
  };
  const members = await inParallel(memberIds, 8, (_, i) => signIn(`bench_member_${i}`));
  const mentors = await inParallel(mentorIds, 8, (_, i) => signIn(`bench_mentor_${i}`));
  const conversationIds = await inParallel(relationshipIds, 8, async (relationshipId, i) => {
    const opened = await members[i]!.client.messaging.conversations.openDirect.mutate({
      relationshipId,
    });
    return opened.conversationId;
  });
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  // Messages of about 100 characters from the ordinary corpus, keeping only what the default
  // policy publishes for a 16–17-year-old member (nothing is held, flagged or blocked).
  const engine = createRiskEngine(buildRuleSet(defaultEnglishRiskRules, config.safeguarding.rules));
  const member = { isMember: true, under18: isUnder18('16-17') };
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const bodies: string[] = [];
  while (bodies.length < 512) {
    let text = '';
    while (text.length < 90) {
      text += `${ordinaryMessages[Math.floor(random() * ordinaryMessages.length)]}. `;
    }
    text = text.trim();
    const decision = decideModeration(
      engine.assess(text).matches,
      member,
      config.safeguarding.moderation,
    );
    if (decision.action === 'publish') bodies.push(text);
  }

  // The floor: the same session check and the same SQL, by hand.
  const sql = postgres(appUrl, { max: 10, onnotice: () => {} });
  closers.push(() => sql.end({ timeout: 5 }));
  const floorConfigs = new Map<string, TenantConfig>();
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const control = /(?![\t\n])\p{Cc}/u;
  const liveKey = (conversationId: string) => `messaging.conversation:${conversationId}`;
  type Row = Record<string, unknown>;
  const view = (row: Row) => ({
    id: row.id as string,
    conversationId: row.conversation_id as string,
    seq: Number(row.seq),
    authorId: row.author_id as string,
    body: row.state === 'removed' ? null : (row.body as string),
    state: row.state as string,
    sentAt: (row.created_at as Date).toISOString(),
  });
  class Refused extends Error {
    constructor(readonly status: number) {
      super(String(status));
    }
  }
  const readToken = (header: string | undefined) => {
    const value = decodeURIComponent(/hearth_session=([^;]+)/.exec(header ?? '')?.[1] ?? '');
    const hex = value.slice(0, 32).toLowerCase();
    const secret = value.slice(33);
    if (value[32] !== '.' || !/^[0-9a-f]{32}$/.test(hex) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) {
      throw new Refused(401);
    }
    return {
      tenantId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      hash: createHash('sha256').update(secret).digest(),
    };
  };
  /** Role and tenant, then the tenant with the session and its account in one statement. */
  const session = async (tx: postgres.TransactionSql, token: ReturnType<typeof readToken>) => {
    // Sent together without waiting in between (postgres.js pipelines them) and run in this
    // order, as Hearth sends its role, host and scope statements.
    const [, [row]] = await Promise.all([
      tx`select set_config('role', 'hearth_app', true), set_config('app.tenant_id', ${token.tenantId}, true)`,
      tx`
      select t.slug, t.current_config, t.config_version, t.disabled_at as tenant_disabled_at,
        s.id, s.user_id, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at, s.revoked_at,
        u.roles, u.disabled_at
      from tenants t
      left join sessions s on s.tenant_id = t.id and s.token_hash = ${token.hash}
      left join users u on u.tenant_id = s.tenant_id and u.id = s.user_id
      where t.id = ${token.tenantId}`,
    ]);
    if (!row || row.tenant_disabled_at) throw new Refused(404);
    const key = `${token.tenantId}:${row.config_version}`;
    let tenantConfig = floorConfigs.get(key);
    if (!tenantConfig) {
      tenantConfig = parseTenantConfig(row.current_config);
      floorConfigs.set(key, tenantConfig);
    }
    const now = new Date();
    if (!row.id || row.revoked_at || row.disabled_at) throw new Refused(401);
    if (row.idle_expires_at <= now || row.absolute_expires_at <= now) throw new Refused(401);
    if (now.getTime() - row.last_seen_at.getTime() >= 60_000) {
      const idle = now.getTime() + tenantConfig.identity.sessionIdleMinutes * 60_000;
      await tx`update sessions set last_seen_at = ${now},
        idle_expires_at = ${new Date(Math.min(idle, row.absolute_expires_at.getTime()))}
        where tenant_id = ${token.tenantId} and id = ${row.id}`;
    }
    return { tenantId: token.tenantId, userId: row.user_id as string, config: tenantConfig };
  };
  // The same two statements as Hearth's send (see packages/server/src/capabilities/messaging/
  // statements.ts) and the same one for a page.
  const floorSend = async (
    tx: postgres.TransactionSql,
    token: ReturnType<typeof readToken>,
    input: Row,
  ) => {
    const { tenantId, userId, config } = await session(tx, token);
    const conversationId = input.conversationId as string;
    const body = input.body as string;
    const [checks] = await tx`
      select c.kind, r.status as relationship_status,
        u.kind as writer_kind, u.age_band as writer_age_band
      from conversations c
      join conversation_members m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
        and m.user_id = ${userId}::uuid and m.left_at is null
      left join mentoring_relationships r on r.tenant_id = c.tenant_id and r.id = c.relationship_id
      left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
      where c.tenant_id = ${tenantId}::uuid and c.id = ${conversationId}::uuid`;
    if (!checks) throw new Refused(404);
    if (checks.kind === 'direct' && checks.relationship_status !== 'active') throw new Refused(412);
    const id = randomUUID();
    const isMember = checks.writer_kind === 'member';
    const under18 = isMember && checks.writer_age_band != null && isUnder18(checks.writer_age_band);
    const decision = decideModeration(
      engine.assess(body).matches,
      { isMember, under18 },
      config.safeguarding.moderation,
    );
    if (decision.action !== 'publish') throw new Error('floor: the bench sends published text');
    const now = new Date();
    const quietUntil = quietHoursEnd(now, config.timeZone, config.mentoring.quietHours);
    const [stored] = await tx`
      with next as (
        update conversations set last_seq = last_seq + 1
        where tenant_id = ${tenantId}::uuid and id = ${conversationId}::uuid
        returning last_seq
      ), stored as (
        insert into messages (tenant_id, id, conversation_id, seq, author_id, body, state, created_at)
        select ${tenantId}::uuid, ${id}::uuid, ${conversationId}::uuid,
          next.last_seq, ${userId}::uuid, ${body}::text, ${'visible'}::text,
          ${now.toISOString()}::timestamptz
        from next
        returning seq, state
      ), receipt as (
        update conversation_members set read_seq = stored.seq
        from stored
        where conversation_members.tenant_id = ${tenantId}::uuid
          and conversation_members.conversation_id = ${conversationId}::uuid
          and conversation_members.user_id = ${userId}::uuid
      ), notified as (
        insert into outbox_events (tenant_id, id, topic, payload, available_at)
        select ${tenantId}::uuid, gen_random_uuid(), ${'messaging.message.notify'}::text,
          jsonb_build_object('messageId', ${id}::text, 'userId', m.user_id),
          case when u.kind = 'member' then ${quietUntil.toISOString()}::timestamptz
            else ${now.toISOString()}::timestamptz end
        from stored
        join conversation_members m on m.tenant_id = ${tenantId}::uuid
          and m.conversation_id = ${conversationId}::uuid
          and m.user_id <> ${userId}::uuid and m.left_at is null
        join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
        where stored.state = 'visible'
        on conflict do nothing
        returning 1
      )
      select stored.seq, pg_notify(${'hearth_realtime'}, ${`${tenantId} ${liveKey(conversationId)}`}::text),
        (select count(*) from (select pg_notify(${'hearth_outbox'}, '') from notified) n)
          as notified
      from stored`;
    return {
      status: 'published',
      explanation: decision.explanation,
      helplines: decision.showHelplines ? config.helplines : [],
      message: {
        id,
        conversationId,
        seq: Number(stored!.seq),
        authorId: userId,
        body,
        state: 'visible',
        sentAt: now.toISOString(),
      },
    };
  };
  const floorList = async (
    tx: postgres.TransactionSql,
    token: ReturnType<typeof readToken>,
    input: Row,
  ) => {
    const { tenantId, userId } = await session(tx, token);
    const conversationId = input.conversationId as string;
    const before = (input.before as number | undefined) ?? null;
    const rows = await tx`
      select msg.id, msg.conversation_id, msg.seq, msg.author_id, msg.body,
        msg.state, msg.created_at
      from conversations c
      join conversation_members m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
        and m.user_id = ${userId}::uuid and m.left_at is null
      left join lateral (
        select id, conversation_id, seq, author_id, body, state, created_at
        from messages
        where messages.tenant_id = c.tenant_id and messages.conversation_id = c.id
          and (messages.state <> 'held' or messages.author_id = ${userId}::uuid)
          and messages.seq < coalesce(${before}::bigint, 9223372036854775807)
        order by messages.seq desc
        limit ${input.limit as number}::int
      ) msg on true
      where c.tenant_id = ${tenantId}::uuid and c.id = ${conversationId}::uuid
      order by msg.seq desc`;
    if (rows.length === 0) throw new Refused(404);
    return rows.filter((row) => row.id !== null).map(view);
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const floorServer = createServer(async (req, res) => {
    try {
      const token = readToken(req.headers.cookie);
      let data: unknown;
      if (req.method === 'POST' && req.url === '/send') {
        const input = JSON.parse(await readBody(req)) as Row;
        const body = typeof input.body === 'string' ? input.body.normalize('NFC').trim() : '';
        if (!uuid.test(String(input.conversationId)) || body.length < 1 || body.length > 4000) {
          throw new Refused(400);
        }
        if (control.test(body)) throw new Refused(400);
        data = await sql.begin((tx) => floorSend(tx, token, { ...input, body }));
      } else if (req.method === 'GET' && req.url?.startsWith('/list?')) {
        const raw = new URL(req.url, 'http://floor').searchParams.get('input') ?? '{}';
        const input = JSON.parse(raw) as Row;
        const limit = input.limit ?? PAGE;
        if (!uuid.test(String(input.conversationId)) || !Number.isInteger(limit)) {
          throw new Refused(400);
        }
        data = await sql.begin((tx) => floorList(tx, token, { ...input, limit }));
      } else {
        throw new Refused(404);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: { data } }));
    } catch (error) {
      res.writeHead(error instanceof Refused ? error.status : 500, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    }
  });
  const floorPort = await listen(floorServer);
  closers.push(() => new Promise((resolve) => floorServer.close(resolve)));
  const floorUrl = `http://${HOST}:${floorPort}`;

  const cores = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`;
  console.log(
    `\nMessaging — PostgreSQL ${pgVersion}, Node ${process.version}, ${cores}; set-up of ${MEMBERS} members, ${MENTORS} mentors, ${CONVERSATIONS} conversations in ${setupSeconds.toFixed(1)} s; ${load()}`,
  );

  // Each closed-loop worker is its own member, sending in its own conversation (no waiting on
  // each other's row locks), through its own client and session; the open-loop sends go round
  // every member, as many people each sending now and then would.
  let nextBody = 0;
  const body = () => bodies[nextBody++ % bodies.length]!;
  // The floor's calls carry the member's cookie through the same cookie jar as Hearth's client
  // (a browser keeps cookies outside the page's JavaScript; here both sides pay for the jar).
  const floorSendCall = async (who: number) => {
    const res = await members[who]!.fetch(`${floorUrl}/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: conversationIds[who], body: body() }),
    });
    const answer = (await res.json()) as { result?: { data: { message: unknown } } };
    if (res.status !== 200 || !answer.result?.data.message) {
      throw new Error(`floor answered ${res.status}: ${JSON.stringify(answer)}`);
    }
  };
  const hearthSendCall = async (who: number) => {
    const answer = await members[who]!.client.messaging.messages.send.mutate({
      conversationId: conversationIds[who]!,
      body: body(),
    });
    if (answer.status !== 'published') throw new Error(`hearth: ${answer.status}`);
  };
  const floorListCall = async (who: number) => {
    const input = encodeURIComponent(
      JSON.stringify({ conversationId: conversationIds[who], limit: PAGE }),
    );
    const res = await members[who]!.fetch(`${floorUrl}/list?input=${input}`);
    const answer = (await res.json()) as { result?: { data: unknown[] } };
    if (res.status !== 200 || answer.result?.data.length !== PAGE) {
      throw new Error(`floor answered ${res.status}`);
    }
  };
  const hearthListCall = async (who: number) => {
    const page = await members[who]!.client.messaging.messages.list.query({
      conversationId: conversationIds[who]!,
      limit: PAGE,
    });
    if (page.length !== PAGE) throw new Error(`hearth: a page of ${page.length}`);
  };

  // Rounds alternate, so neither side profits from running later (JIT, caches, table size): a
  // first pair warms both up and is not counted, then ROUNDS pairs; the ratio is the median of
  // the pairs' ratios, so one stalled round (a checkpoint, autovacuum) does not decide it.
  const rounds = async (floorCall: typeof floorSendCall, hearthCall: typeof hearthSendCall) => {
    await measure('floor (warm-up)', floorCall);
    await measure('hearth (warm-up)', hearthCall);
    const pairs: { floor: Measured; hearth: Measured; ratio: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const floor = await measure(`floor: node:http + postgres.js (${round})`, floorCall);
      const hearth = await measure(`hearth: through the client (${round})`, hearthCall);
      pairs.push({ floor, hearth, ratio: hearth.rps / floor.rps });
    }
    const sorted = [...pairs].sort((a, b) => a.ratio - b.ratio);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `  ratio hearth/floor: throughput ${median.ratio.toFixed(2)}x (median of ${pairs.map((r) => r.ratio.toFixed(2)).join(', ')}), p99 ${(median.hearth.p99 / median.floor.p99).toFixed(2)}x`,
    );
    return median;
  };
  console.log(`\n  send message — ${REQUESTS} sends a round, ${CONCURRENCY} at a time`);
  const {
    floor: floorSendRun,
    hearth: hearthSend,
    ratio: sendRatio,
  } = await rounds(floorSendCall, hearthSendCall);

  console.log(`\n  list messages — ${REQUESTS} pages of ${PAGE} a round, ${CONCURRENCY} at a time`);
  const {
    floor: floorListRun,
    hearth: hearthList,
    ratio: listRatio,
  } = await rounds(floorListCall, hearthListCall);

  const sendRate = floorSendRun.rps / 2;
  const listRate = floorListRun.rps / 2;
  console.log(`\n  open loop at half the floor's peak rate, ${OPEN_LOOP_SECONDS} s each`);
  const floorSendOpen = await openLoop('floor: send', sendRate, floorSendRun, (i) =>
    floorSendCall(i % MEMBERS),
  );
  const hearthSendOpen = await openLoop('hearth: send', sendRate, hearthSend, (i) =>
    hearthSendCall(i % MEMBERS),
  );
  const floorListOpen = await openLoop('floor: list', listRate, floorListRun, (i) =>
    floorListCall(i % CONCURRENCY),
  );
  const hearthListOpen = await openLoop('hearth: list', listRate, hearthList, (i) =>
    hearthListCall(i % CONCURRENCY),
  );

  // Live: every conversation followed by its member and its mentor.
  console.log(
    `\n  live delivery — ${SUBSCRIBERS} subscriptions (${CONVERSATIONS} conversations × 2), ${LIVE_MESSAGES} messages at ${LIVE_RATE}/s`,
  );
  const received: { id: string; at: number }[] = [];
  const subscriptions: { unsubscribe(): void }[] = [];
  closers.unshift(() => {
    for (const s of subscriptions) s.unsubscribe();
  });
  let streamErrors = 0;
  const follow = (b: Browser, conversationId: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('live: not started within 30 s')), 30_000);
      subscriptions.push(
        b.client.messaging.messages.live.subscribe(
          { conversationId },
          {
            onStarted: () => {
              clearTimeout(timer);
              resolve();
            },
            onData: (event: { id: string; data: MessageView }) => {
              received.push({ id: event.data.id, at: performance.now() });
            },
            onError: () => {
              streamErrors++;
            },
          },
        ),
      );
    });
  const pairs = conversationIds.slice(0, CONVERSATIONS).flatMap((conversationId, i) => [
    { b: members[i]!, conversationId },
    { b: mentors[i % MENTORS]!, conversationId },
  ]);
  let openStarted = performance.now();
  await inParallel(pairs, 50, ({ b, conversationId }) => follow(b, conversationId));
  const openSeconds = (performance.now() - openStarted) / 1000;
  openStarted = performance.now();
  while (platform.runtime.realtime.size < SUBSCRIBERS && performance.now() - openStarted < 10_000) {
    await sleep(20);
  }
  const following = platform.runtime.realtime.size;
  console.log(
    `  ${SUBSCRIBERS} streams open in ${openSeconds.toFixed(1)} s; the hub follows ${following}; ${load()}`,
  );
  if (following < SUBSCRIBERS) throw new Error('live: not every stream is followed');
  await sleep(1000);

  // Messages to the conversations in turn (shuffled), each from the conversation's member.
  const order = Array.from({ length: CONVERSATIONS }, (_, i) => i).sort(() => random() - 0.5);
  const sends = new Map<string, { start: number; returned: number }>();
  recordCommits = true;
  const liveStarted = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  while (sent < LIVE_MESSAGES) {
    const due = Math.min(
      LIVE_MESSAGES,
      Math.floor(((performance.now() - liveStarted) * LIVE_RATE) / 1000) + 1,
    );
    for (; sent < due; sent++) {
      const c = order[sent % CONVERSATIONS]!;
      const start = performance.now();
      pending.push(
        members[c]!.client.messaging.messages.send.mutate({
          conversationId: conversationIds[c]!,
          body: body(),
        }).then((answer) => {
          sends.set(answer.message!.id, { start, returned: performance.now() });
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(pending);
  const expected = LIVE_MESSAGES * 2;
  const waitStarted = performance.now();
  while (received.length < expected && performance.now() - waitStarted < 10_000) await sleep(20);
  recordCommits = false;
  const fromCommit: number[] = [];
  const fromSend: number[] = [];
  for (const r of received) {
    const committed = commits.get(r.id);
    const send = sends.get(r.id);
    if (committed !== undefined) fromCommit.push(r.at - committed);
    if (send) fromSend.push(r.at - send.start);
  }
  fromCommit.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  const live = {
    p50: percentile(fromCommit, 0.5),
    p99: percentile(fromCommit, 0.99),
    max: fromCommit.at(-1) ?? Number.NaN,
  };
  console.log(
    `  ${'commit → received'.padEnd(34)} p50 ${ms(live.p50)}   p99 ${ms(live.p99)}   max ${ms(live.max)}`,
  );
  console.log(
    `  ${'send called → received'.padEnd(34)} p50 ${ms(percentile(fromSend, 0.5))}   p99 ${ms(percentile(fromSend, 0.99))}`,
  );
  console.log(
    `  ${received.length} of ${expected} deliveries received, ${fromCommit.length} matched to a commit; ${streamErrors} stream errors; ${load()}`,
  );

  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  type Open = Awaited<ReturnType<typeof openLoop>>;
  const openSummary = (floor: Open, hearth: Open) =>
    `p50/p99 floor ${floor.p50.toFixed(1)}/${floor.p99.toFixed(1)} ms, hearth ${hearth.p50.toFixed(1)}/${hearth.p99.toFixed(1)} ms (p99 ${(hearth.p99 / floor.p99).toFixed(2)}x)${hearth.over ? ' — hearth overloaded' : ''}${floor.over ? ' — floor overloaded' : ''}`;
  console.log('\n  summary');
  console.log(
    `    ${'send throughput'.padEnd(22)} hearth/floor ${sendRatio.toFixed(2)}x  (goal ≥ 0.75x: ${verdict(sendRatio >= 0.75)})`,
  );
  console.log(
    `    ${'list throughput'.padEnd(22)} hearth/floor ${listRatio.toFixed(2)}x  (goal ≥ 0.5x: ${verdict(listRatio >= 0.5)})`,
  );
  console.log(
    `    ${`send at ${sendRate.toFixed(0)} req/s`.padEnd(22)} ${openSummary(floorSendOpen, hearthSendOpen)}`,
  );
  console.log(
    `    ${`list at ${listRate.toFixed(0)} req/s`.padEnd(22)} ${openSummary(floorListOpen, hearthListOpen)}`,
  );
  console.log(
    `    ${'live delivery'.padEnd(22)} p99 ${ms(live.p99)} with ${following} subscriptions (goal ≤ 150 ms: ${verdict(live.p99 <= 150 && received.length === expected)})`,
  );
  console.log(
    '    floor: the same SQL, risk engine and moderation decision; not the host lookup, policy engine, zod or tRPC\n',
  );
} finally {
  for (const close of closers) await close();
  await db.close();
  await admin.unsafe(`drop database if exists "${DATABASE}" with (force)`);
  await admin.unsafe(`drop role if exists ${APP_LOGIN}`);
  await admin.end();
  await agent.close();
  await sseAgent.close();
}
