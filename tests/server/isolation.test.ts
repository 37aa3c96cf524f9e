import { randomBytes, randomUUID } from 'node:crypto';
import { type HearthClient, isHearthError } from '@hearth/client';
import { hearthRouter, listProcedureActions, provisionUser } from '@hearth/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  callPath,
  loadCatalog,
  proceduresOf,
  type Row,
  recordingClient,
  rows,
  tenantTables,
  txExec,
} from '../support/db.js';
import {
  type Browser,
  PASSWORD,
  startTestPlatform,
  type TestPlatform,
  tenantConfig,
} from '../support/platform.js';

/**
 * Two tenants on one platform. Signed in as alpha's admin, nothing of beta can be seen,
 * changed, or even confirmed to exist: an id of beta's gets exactly the answer of an id that
 * exists nowhere.
 */

let p: TestPlatform;
let tables: { name: string; key: string }[];
let alphaAdmin: Browser;
let betaAdmin: Browser;

const beta = {
  memberId: '',
  // Sorts before alpha's usernames, so it can serve as a cursor that lands inside alpha's list.
  memberUsername: 'aaron_of_beta',
  invitationId: '',
  invitationToken: '',
  caseId: '',
  mentorId: '',
  relationshipId: '',
  invitationEmail: 'mentor@beta.example.org',
  displayName: 'Beta Mentoring',
  adminEmail: 'admin@beta.example.org',
};
const alpha = { memberId: '', invitationId: '' };

// ---------------------------------------------------------------------------------------------
// Which procedures take an identifier of something that already exists

/** Procedures that name an existing row by id, with beta's real ids for that field. */
const ID_PROBES: Record<string, { field: string; betaIds: () => string[] }> = {
  'identity.users.disable': {
    field: 'userId',
    betaIds: () => [beta.memberId, p.beta.adminId],
  },
  'identity.invitations.revoke': {
    field: 'invitationId',
    betaIds: () => [beta.invitationId],
  },
  // Open to whoever raised the case, so alpha's admin reaches the lookup of the case.
  'safeguarding.concerns.status': { field: 'caseId', betaIds: () => [beta.caseId] },
  // Staff see profiles in their own organisation.
  'identity.profile.get': { field: 'userId', betaIds: () => [beta.memberId, p.beta.adminId] },
  // Org admins see every mentor's profile and every relationship of their own tenant.
  'mentoring.profile.get': { field: 'mentorId', betaIds: () => [beta.mentorId, beta.memberId] },
  'mentoring.relationships.get': {
    field: 'relationshipId',
    betaIds: () => [beta.relationshipId],
  },
  'mentoring.match.candidates': {
    field: 'relationshipId',
    betaIds: () => [beta.relationshipId],
  },
};

/**
 * Procedures that take an id but need a caller or input this table cannot give (a safeguarding
 * lead; a full concern), probed across tenants where they are tested.
 */
const MENTORING = 'tests/mentoring/isolation.test.ts "another tenant’s ids"';
const CASE_RECORD = 'tests/safeguarding/record.test.ts "another tenant’s ids"';
const REPORTS = 'tests/safeguarding/reports.test.ts "another tenant’s ids"';
const MESSAGING = 'tests/messaging/messages.test.ts "another conversation’s id"';

const PROBED_ELSEWHERE: Record<string, { field: string | string[]; where: string }> = {
  'safeguarding.cases.addNote': { field: 'caseId', where: CASE_RECORD },
  'safeguarding.cases.triage': { field: ['caseId', 'assigneeId'], where: CASE_RECORD },
  'safeguarding.cases.escalate': { field: 'caseId', where: CASE_RECORD },
  'safeguarding.cases.recordSharing': { field: 'caseId', where: CASE_RECORD },
  'safeguarding.cases.recordToldYoungPerson': { field: 'caseId', where: CASE_RECORD },
  'safeguarding.cases.recordReferral': { field: 'caseId', where: CASE_RECORD },
  'safeguarding.cases.close': { field: 'caseId', where: CASE_RECORD },
  'safeguarding.reports.create': {
    field: ['target.contentId', 'target.userId'],
    where: REPORTS,
  },
  'safeguarding.moderation.list': { field: 'after', where: REPORTS },
  'safeguarding.moderation.get': { field: 'itemId', where: REPORTS },
  'safeguarding.moderation.act': { field: 'itemId', where: REPORTS },
  'messaging.conversations.openDirect': { field: 'relationshipId', where: MESSAGING },
  'messaging.conversations.createGroup': {
    field: ['memberIds', 'memberIds[]'],
    where: MESSAGING,
  },
  'messaging.conversations.receipts': { field: 'conversationId', where: MESSAGING },
  'messaging.conversations.oversee': { field: 'conversationId', where: MESSAGING },
  'messaging.messages.send': { field: 'conversationId', where: MESSAGING },
  'messaging.messages.list': { field: 'conversationId', where: MESSAGING },
  'messaging.messages.markRead': { field: 'conversationId', where: MESSAGING },
  // lastEventId is a position inside the conversation, answered only after it is found.
  'messaging.messages.live': { field: ['conversationId', 'lastEventId'], where: MESSAGING },
  'safeguarding.concerns.raise': {
    field: 'subjectUserId',
    where: 'tests/safeguarding/cases.test.ts "another tenant’s ids"',
  },
  'safeguarding.cases.get': {
    field: 'caseId',
    where: 'tests/safeguarding/cases.test.ts "another tenant’s ids"',
  },
  'safeguarding.cases.acknowledge': {
    field: 'caseId',
    where: 'tests/safeguarding/cases.test.ts "another tenant’s ids"',
  },
  'mentoring.vetting.update': { field: ['mentorId', 'supervisorId'], where: MENTORING },
  'mentoring.match.request': { field: 'mentorId', where: MENTORING },
  'mentoring.match.approve': { field: ['relationshipId', 'mentorId'], where: MENTORING },
  'mentoring.match.decline': { field: 'relationshipId', where: MENTORING },
  'mentoring.relationships.transition': {
    field: ['relationshipId', 'event.safeguardingCaseId'],
    where: MENTORING,
  },
  'mentoring.supervision.record': { field: 'mentorId', where: MENTORING },
  'mentoring.supervision.list': { field: 'mentorId', where: MENTORING },
};

/** Every other procedure, with why it cannot be pointed at another tenant's rows. */
const NO_FOREIGN_ID: Record<string, string> = {
  'identity.signUp': 'creates a new account in the host’s tenant; names nothing that exists',
  'identity.signIn':
    'a username is looked up in the host’s tenant only — see "beta’s credentials on alpha’s host"',
  'identity.signOut': 'no input; ends the caller’s own session',
  'identity.me': 'no input; the caller’s own account',
  'identity.users.list':
    'its cursor is a username compared within the tenant — see "lists as alpha’s admin"',
  'identity.invitations.create':
    'an e-mail and a role for a new invitation — see "beta’s e-mail addresses are unknown on alpha"',
  'identity.invitations.list': 'no input; the caller’s tenant',
  'identity.invitations.accept':
    'its token is a credential — see "a beta invitation token on alpha’s host"',
  'tenancy.branding': 'no input; the host’s tenant',
  'tenancy.config.get': 'no input; the caller’s tenant',
  'tenancy.config.update':
    'expectedVersion is compared with the caller’s own tenant’s version (locked FOR UPDATE)',
  'tenancy.config.history': 'a page size only',
  'mentoring.profile.update': 'what the caller offers, on their own profile; names nothing',
  'mentoring.mentors.list': 'a flag only; the caller’s tenant',
  'mentoring.match.propose': 'tags and weekly slots of what the member asks for; names nothing',
  'mentoring.relationships.list': 'a status filter only; the caller’s tenant',
  'tenancy.tenants.create':
    'platform admins only; takes new, deployment-wide names (slug, host names) by design',
  'safeguarding.cases.list': 'no input; the caller’s tenant',
  'identity.profile.updateAbout': 'text for the caller’s own profile; names nothing',
  'messaging.conversations.list': 'no input; the caller’s own conversations',
};

type ZodLike = { _zod?: { def: Record<string, unknown> } };

/** Paths of input fields that hold a UUID, or are named like an id, in a zod 4 schema. */
function idFields(schema: unknown, path = ''): string[] {
  const def = (schema as ZodLike)?._zod?.def;
  if (!def) throw new Error(`cannot inspect the input schema at "${path}"`);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, value]) => {
        const inner = idFields(value, at(key));
        const named = /(^id$|Id$|_id$|Ids$)/.test(key) && !inner.includes(at(key));
        return named ? [...inner, at(key)] : inner;
      });
    case 'string':
      return def.format === 'uuid' || def.format === 'guid' ? [path] : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return idFields(def.innerType, path);
    case 'pipe':
      return [...new Set([...idFields(def.in, path), ...idFields(def.out, path)])];
    case 'array':
      return idFields(def.element, `${path}[]`);
    case 'union':
      return [...new Set((def.options as unknown[]).flatMap((o) => idFields(o, path)))];
    case 'intersection':
      return [...idFields(def.left, path), ...idFields(def.right, path)];
    case 'record':
      return idFields(def.valueType, `${path}[*]`);
    case 'tuple':
      return (def.items as unknown[]).flatMap((item, i) => idFields(item, `${path}[${i}]`));
    default:
      return [];
  }
}

const procedures = proceduresOf(hearthRouter);

// ---------------------------------------------------------------------------------------------
// Helpers

/** A client that keeps every raw response body, to search them for beta's details. */
const recording = (b: Browser, host: string) => recordingClient(`${p.origin(host)}/trpc`, b.fetch);

/** Calls a procedure by its dotted path through a typed client. */
const call = (client: HearthClient, path: string, input: unknown) =>
  callPath(client, path, procedures[path]!._def.type as 'query' | 'mutation', input);

/** Everything an error tells the caller. */
async function answer(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!isHearthError(error)) throw error;
    return {
      message: error.message,
      code: error.data?.code,
      httpStatus: error.data?.httpStatus,
      path: error.data?.path,
      fieldErrors: error.data?.fieldErrors,
      shape: error.shape,
    };
  }
  throw new Error('expected the call to be refused');
}

/** Every row of one tenant, in every tenant table, read under that tenant. */
async function snapshot(tenantId: string): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  await p.database.db.transaction(tenantId, async (tx) => {
    for (const { name, key } of tables) {
      out[name] = rows(
        await tx.execute(
          sql`select * from ${sql.identifier(name)} where ${sql.identifier(key)} = ${tenantId} order by 1, 2`,
        ),
      );
    }
    out.tenant_domains = rows(
      await tx.execute(sql`select * from tenant_domains where tenant_id = ${tenantId} order by 1`),
    );
  });
  return out;
}

/** beta's details that must never appear in anything alpha's people are shown. */
function betaSecrets(): string[] {
  return [
    p.beta.id,
    p.beta.id.replaceAll('-', ''),
    p.beta.adminId,
    p.beta.admin.username,
    beta.memberId,
    beta.memberUsername,
    beta.invitationId,
    beta.invitationToken,
    beta.mentorId,
    beta.relationshipId,
    'beta_mentor',
    beta.invitationEmail,
    beta.adminEmail,
    beta.displayName,
    'Beta Mentoring Admin',
  ];
}

function expectNoBetaDetails(texts: string[]) {
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    for (const secret of betaSecrets()) {
      expect(secret.length).toBeGreaterThan(4);
      expect(text.toLowerCase(), `leaks ${secret}`).not.toContain(secret.toLowerCase());
    }
  }
}

async function signedIn(host: string, username: string) {
  const b = p.browser(host);
  await b.client.identity.signIn.mutate({ username, password: PASSWORD });
  return b;
}

beforeAll(async () => {
  p = await startTestPlatform();
  tables = tenantTables(await p.database.db.transaction(null, (tx) => loadCatalog(txExec(tx))));
  alphaAdmin = await signedIn(p.alpha.host, p.alpha.admin.username);
  betaAdmin = await signedIn(p.beta.host, p.beta.admin.username);

  // beta: a member, a pending invitation, a second configuration version.
  const betaMember = p.browser(p.beta.host);
  const member = await betaMember.client.identity.signUp.mutate({
    username: beta.memberUsername,
    password: PASSWORD,
    ageBand: '16-17',
  });
  beta.memberId = member.id;
  // A mentor with vetting recorded, and the member's request for a mentor.
  beta.mentorId = (
    await provisionUser(p.database.db, {
      tenantId: p.beta.id,
      username: 'beta_mentor',
      password: PASSWORD,
      roles: ['mentor'],
      email: 'mentor.one@beta.example.org',
    })
  ).userId;
  await betaAdmin.client.mentoring.vetting.update.mutate({
    mentorId: beta.mentorId,
    expectedVersion: 0,
    backgroundCheck: { status: 'clear', expiresOn: null },
    trainingCompletedOn: null,
    clearedAgeBands: ['16-17'],
  });
  const asked = await betaMember.client.mentoring.match.request.mutate({ interests: ['chess'] });
  beta.relationshipId = asked.relationship!.id;
  const invite = await betaAdmin.client.identity.invitations.create.mutate({
    email: beta.invitationEmail,
    role: 'mentor',
  });
  beta.invitationId = invite.invitation.id;
  beta.invitationToken = invite.token;
  const concern = await betaAdmin.client.safeguarding.concerns.raise.mutate({
    subjectUserId: beta.memberId,
    category: 'abuse_neglect',
    severity: 'high',
    note: 'Beta note that alpha must never see',
  });
  beta.caseId = concern.caseId;
  await betaAdmin.client.tenancy.config.update.mutate({
    expectedVersion: 1,
    config: tenantConfig(beta.displayName, { shortName: 'Beta' }),
  });

  // alpha: the same, so alpha's lists are not empty by accident.
  const alphaMember = await p.browser(p.alpha.host).client.identity.signUp.mutate({
    username: 'alpha_member',
    password: PASSWORD,
    ageBand: '16-17',
  });
  alpha.memberId = alphaMember.id;
  const alphaInvite = await alphaAdmin.client.identity.invitations.create.mutate({
    email: 'mentor@alpha.example.org',
    role: 'mentor',
  });
  alpha.invitationId = alphaInvite.invitation.id;
});
afterAll(async () => {
  await p?.close();
});

describe('procedure coverage', () => {
  test('every procedure of the router is either probed with beta’s ids or says why it takes none', () => {
    const walked = listProcedureActions(hearthRouter)
      .map((x) => x.path)
      .sort();
    const covered = [
      ...Object.keys(ID_PROBES),
      ...Object.keys(NO_FOREIGN_ID),
      ...Object.keys(PROBED_ELSEWHERE),
    ].sort();
    expect(covered).toEqual(walked);
    for (const path of Object.keys(ID_PROBES)) expect(NO_FOREIGN_ID).not.toHaveProperty(path);
  });

  test('the probed procedures are exactly those whose input has an id field', () => {
    // Fields named `id` that name something inside the configuration itself, not a record that
    // could belong to another tenant.
    const configIdentifiers: Record<string, string> = {
      'config.safeguarding.ladder[].id':
        'a step of the escalation ladder, e.g. "safeguarding-lead"',
      'config.safeguarding.rules.add[].id':
        'a risk rule of the tenant, e.g. "cy.self-harm.want-to-die"',
    };
    const found = Object.entries(procedures).flatMap(([path, procedure]) =>
      procedure._def.inputs.flatMap((input) =>
        idFields(input)
          .filter((field) => !Object.hasOwn(configIdentifiers, field))
          .map((field) => `${path}:${field}`),
      ),
    );
    expect(found.sort()).toEqual(
      [...Object.entries(ID_PROBES), ...Object.entries(PROBED_ELSEWHERE)]
        .flatMap(([path, { field }]) => [field].flat().map((f) => `${path}:${f}`))
        .sort(),
    );
  });
});

describe('an id of beta’s, used by alpha’s admin', () => {
  test.each(
    Object.keys(ID_PROBES),
  )('%s answers exactly as for an id that exists nowhere, and changes nothing', async (path) => {
    const { field, betaIds } = ID_PROBES[path]!;
    const { client, bodies } = recording(alphaAdmin, p.alpha.host);
    const betaBefore = await snapshot(p.beta.id);
    const alphaBefore = await snapshot(p.alpha.id);

    const nowhere = await answer(call(client, path, { [field]: randomUUID() }));
    expect(nowhere.httpStatus).toBeGreaterThanOrEqual(400);
    expect(nowhere.httpStatus).toBeLessThan(500);
    for (const id of betaIds()) {
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      for (const variant of [id, id.toUpperCase()]) {
        const real = await answer(call(client, path, { [field]: variant }));
        expect(real, `${path} with beta's ${variant}`).toEqual(nowhere);
      }
    }
    expect(await snapshot(p.beta.id)).toEqual(betaBefore);
    expect(await snapshot(p.alpha.id)).toEqual(alphaBefore);
    expectNoBetaDetails(bodies);
  });
});

describe('lists as alpha’s admin', () => {
  test('users.list, page by page, holds alpha’s people and none of beta’s', async () => {
    const { client, bodies } = recording(alphaAdmin, p.alpha.host);
    const seen: { id: string; username: string }[] = [];
    let after: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await client.identity.users.list.query({ after, limit: 1 });
      seen.push(...result.users);
      if (!result.next) break;
      after = result.next;
    }
    expect(seen.map((u) => u.id).sort()).toEqual([p.alpha.adminId, alpha.memberId].sort());
    // A cursor that is one of beta's usernames only positions the page within alpha.
    for (const cursor of [beta.memberUsername, p.beta.admin.username]) {
      const fromBeta = await client.identity.users.list.query({ after: cursor });
      expect(fromBeta.users.map((u) => u.id)).toEqual(
        seen.filter((u) => u.username > cursor).map((u) => u.id),
      );
    }
    const fromBetaMember = await client.identity.users.list.query({ after: beta.memberUsername });
    expect(fromBetaMember.users.length).toBe(2);
    expectNoBetaDetails(bodies);
  });

  test('invitations.list holds alpha’s invitations only', async () => {
    const { client, bodies } = recording(alphaAdmin, p.alpha.host);
    const list = await client.identity.invitations.list.query();
    expect(list.map((i) => i.id)).toEqual([alpha.invitationId]);
    expectNoBetaDetails(bodies);
  });

  test('config.get and config.history show alpha’s configuration only', async () => {
    const { client, bodies } = recording(alphaAdmin, p.alpha.host);
    const current = await client.tenancy.config.get.query();
    expect(current).toMatchObject({ version: 1, config: { displayName: 'Alpha Youth Trust' } });
    const history = await client.tenancy.config.history.query({ limit: 100 });
    expect(history.map((h) => h.version)).toEqual([1]);
    expect(history[0]!.config.displayName).toBe('Alpha Youth Trust');
    expect(await client.tenancy.branding.query()).toMatchObject({
      displayName: 'Alpha Youth Trust',
    });
    expectNoBetaDetails(bodies);
    // beta does have a second version, so alpha's single one is not a coincidence.
    const betaHistory = await betaAdmin.client.tenancy.config.history.query();
    expect(betaHistory.map((h) => h.version)).toEqual([2, 1]);
  });
});

describe('credentials of beta’s on alpha’s host', () => {
  test('a beta invitation token is refused exactly like a made-up one, and stays usable on beta', async () => {
    const anonymous = recording(p.browser(p.alpha.host), p.alpha.host);
    const betaBefore = await snapshot(p.beta.id);
    const alphaUsers = (await snapshot(p.alpha.id)).users!.length;
    const input = (token: string) => ({
      token,
      username: 'crossing_over',
      password: PASSWORD,
      displayName: 'Crossing Over',
    });
    const madeUp = await answer(
      anonymous.client.identity.invitations.accept.mutate(
        input(randomBytes(32).toString('base64url')),
      ),
    );
    expect(madeUp).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    const real = await answer(
      anonymous.client.identity.invitations.accept.mutate(input(beta.invitationToken)),
    );
    expect(real).toEqual(madeUp);
    expect(await snapshot(p.beta.id)).toEqual(betaBefore);
    expect((await snapshot(p.alpha.id)).users!.length).toBe(alphaUsers);
    expectNoBetaDetails(anonymous.bodies);
  });

  test('beta’s admin credentials on alpha’s host are refused like an unknown account', async () => {
    const { client, bodies } = recording(p.browser(p.alpha.host), p.alpha.host);
    const known = await answer(
      client.identity.signIn.mutate({ username: p.beta.admin.username, password: PASSWORD }),
    );
    const { client: other } = recording(p.browser(p.alpha.host), p.alpha.host);
    const unknown = await answer(
      other.identity.signIn.mutate({ username: 'nobody_at_all', password: PASSWORD }),
    );
    expect(known).toEqual(unknown);
    expect(known).toMatchObject({ code: 'UNAUTHORIZED' });
    expectNoBetaDetails(bodies);
  });

  test('beta’s e-mail addresses are unknown on alpha (inviting one reveals nothing)', async () => {
    const { client, bodies } = recording(alphaAdmin, p.alpha.host);
    const betaBefore = await snapshot(p.beta.id);
    // Someone with this address has an account on beta; on alpha it is just a new invitation.
    const created = await client.identity.invitations.create.mutate({
      email: beta.adminEmail,
      role: 'mentor',
    });
    expect(created.invitation.email).toBe(beta.adminEmail);
    await client.identity.invitations.revoke.mutate({ invitationId: created.invitation.id });
    expect(await snapshot(p.beta.id)).toEqual(betaBefore);
    // The only beta detail in these answers is the address alpha's admin typed in.
    const typed = bodies.map((b) => b.replaceAll(beta.adminEmail, '<typed>'));
    expectNoBetaDetails(typed);
  });
});

describe('alpha’s session on beta’s host', () => {
  test('is anonymous there, and still alpha’s at home', async () => {
    const cookies = [...alphaAdmin.cookies];
    expect(cookies.length).toBeGreaterThan(0);
    const onBeta = p.browser(p.beta.host);
    for (const [name, value] of cookies) onBeta.cookies.set(name, value);
    const { client, bodies } = recording(onBeta, p.beta.host);
    expect(await client.identity.me.query()).toBeNull();

    onBeta.cookies.clear();
    for (const [name, value] of cookies) onBeta.cookies.set(name, value);
    const list = await answer(client.identity.users.list.query());
    expect(list).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });

    onBeta.cookies.clear();
    for (const [name, value] of cookies) onBeta.cookies.set(name, value);
    const signOut = await answer(client.identity.signOut.mutate());
    expect(signOut).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(bodies.length).toBe(3);

    // Nothing done there touched the session: it still works on alpha's host.
    expect((await alphaAdmin.client.identity.me.query())?.id).toBe(p.alpha.adminId);
  });

  test('a token relabelled with beta’s tenant id is anonymous on both hosts', async () => {
    const [[name, value]] = [...alphaAdmin.cookies] as [[string, string]];
    const relabelled = `${p.beta.id.replaceAll('-', '')}${value.slice(32)}`;
    expect(relabelled).not.toBe(value);
    for (const host of [p.beta.host, p.alpha.host]) {
      const b = p.browser(host);
      b.cookies.set(name, relabelled);
      expect(await b.client.identity.me.query(), host).toBeNull();
    }
    expect((await alphaAdmin.client.identity.me.query())?.id).toBe(p.alpha.adminId);
  });
});

describe('the ids probed above are real', () => {
  // Run last: beta's own admin uses them, which changes beta.
  test('beta’s admin can use them, so alpha was refused ids that work in their own tenant', async () => {
    for (const [path, { field, betaIds }] of Object.entries(ID_PROBES)) {
      const [id] = betaIds();
      await expect(call(betaAdmin.client, path, { [field]: id }), path).resolves.toBeTruthy();
    }
    const users = await betaAdmin.client.identity.users.list.query();
    expect(users.users.find((u) => u.id === beta.memberId)?.disabledAt).toEqual(expect.any(String));
    const invitations = await betaAdmin.client.identity.invitations.list.query();
    expect(invitations.find((i) => i.id === beta.invitationId)?.status).toBe('revoked');
  });
});
