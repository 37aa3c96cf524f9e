import { createHash, randomUUID } from 'node:crypto';
import {
  acknowledgeDeadline,
  type RiskCategory,
  type RiskSeverity,
  type TenantConfig,
  tenantConfigSchema,
} from '@hearth/core';
import { safeguardingCaseEvents, safeguardingCases, type Tx, tenants, users } from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import type { AuthedContext, PlatformRuntime } from '../../context.js';
import { fieldError, notFound } from '../../errors.js';
import type { OutboxHandler, PlannedDelivery } from '../../outbox/dispatcher.js';
import { enqueue } from '../../outbox/enqueue.js';
import { recordAudit } from '../privacy/audit.js';
import { stepResponders } from './responders.js';

export const CASE_ALERT = 'safeguarding.case.alert';
export const CASE_DEADLINE = 'safeguarding.case.deadline';

/** A stable uuid from its parts, so enqueueing the same alert or timer twice adds it once. */
function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface OpenCase {
  sourceKind: 'signal' | 'concern' | 'report';
  sourceId: string;
  ruleId?: string;
  subjectUserId?: string | null;
  category: RiskCategory;
  severity: RiskSeverity;
  raisedBy?: string | null;
}

/**
 * Opens a case and schedules its first alert and deadline — or, when this source and rule
 * already have a case, returns that one: however often a signal is processed, one case.
 */
export async function openCase(
  tx: Tx,
  tenant: { id: string; config: TenantConfig },
  input: OpenCase,
  now: Date,
): Promise<{ caseId: string; created: boolean }> {
  const deadline = acknowledgeDeadline(tenant.config.safeguarding.ladder, 0, input.severity, now);
  const [created] = await tx
    .insert(safeguardingCases)
    .values({
      tenantId: tenant.id,
      sourceKind: input.sourceKind,
      sourceId: input.sourceId,
      ruleId: input.ruleId ?? '',
      subjectUserId: input.subjectUserId ?? null,
      category: input.category,
      severity: input.severity,
      raisedBy: input.raisedBy ?? null,
      openedAt: now,
      deadlineAt: deadline,
    })
    .onConflictDoNothing()
    .returning({ id: safeguardingCases.id });
  if (!created) {
    const [existing] = await tx
      .select({ id: safeguardingCases.id })
      .from(safeguardingCases)
      .where(
        and(
          eq(safeguardingCases.tenantId, tenant.id),
          eq(safeguardingCases.sourceKind, input.sourceKind),
          eq(safeguardingCases.sourceId, input.sourceId),
          eq(safeguardingCases.ruleId, input.ruleId ?? ''),
        ),
      );
    return { caseId: existing!.id, created: false };
  }
  await tx.insert(safeguardingCaseEvents).values({
    tenantId: tenant.id,
    caseId: created.id,
    at: now,
    actorId: input.raisedBy ?? null,
    kind: 'opened',
    detail: { sourceKind: input.sourceKind, severity: input.severity, category: input.category },
  });
  await scheduleStep(tx, tenant.id, created.id, 0, now, deadline);
  return { caseId: created.id, created: true };
}

/**
 * Alerts a step and sets its timer. Each step of a case is alerted once, however it got there.
 * `reachedAt` is when the case got to the step: if the step reaches nobody, the case moves on
 * from that moment.
 */
async function scheduleStep(
  tx: Tx,
  tenantId: string,
  caseId: string,
  step: number,
  reachedAt: Date,
  deadline: Date | null,
): Promise<void> {
  await enqueue(tx, {
    tenantId,
    id: derivedId(tenantId, caseId, String(step), 'alert'),
    topic: CASE_ALERT,
    payload: { caseId, step, reachedAt: reachedAt.toISOString() },
  });
  await scheduleDeadline(tx, tenantId, caseId, step, deadline);
}

/**
 * Sets a timer for a step's deadline. A case's deadline can move (its severity was changed), so
 * the timer is keyed by the deadline itself; a timer for a deadline that no longer holds finds
 * nothing to do when it fires.
 */
async function scheduleDeadline(
  tx: Tx,
  tenantId: string,
  caseId: string,
  step: number,
  deadline: Date | null,
): Promise<void> {
  if (!deadline) return;
  await enqueue(tx, {
    tenantId,
    id: derivedId(tenantId, caseId, String(step), 'deadline', deadline.toISOString()),
    topic: CASE_DEADLINE,
    payload: { caseId, step },
    availableAt: deadline,
  });
}

async function configOf(tx: Tx, tenantId: string): Promise<TenantConfig> {
  const [row] = await tx
    .select({ config: tenants.currentConfig })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return tenantConfigSchema.parse(row!.config);
}

function casePayload(payload: unknown): { caseId: string; step: number; reachedAt?: string } {
  const { caseId, step, reachedAt } = payload as {
    caseId: string;
    step: number;
    reachedAt?: string;
  };
  return { caseId, step, ...(reachedAt ? { reachedAt } : {}) };
}

export const CASE_ASSIGNED = 'safeguarding.case.assigned';

export interface SafeguardingHandlerOptions {
  /**
   * Also alert by e-mail (to people with an address on their account), through the outbox's
   * `email` channel. createPlatform turns this on when that channel has a transport.
   * @default false
   */
  email?: boolean;
}

function formatWhen(config: TenantConfig, at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: config.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at);
}

/** An alert as an e-mail: enough to get the right person to sign in, nothing about the person. */
function alertEmail(
  config: TenantConfig,
  to: string,
  lines: { headline: string; deadlineAt: Date | null },
): PlannedDelivery {
  const deadline = lines.deadlineAt
    ? `It needs to be acknowledged by ${formatWhen(config, lines.deadlineAt)} (${config.timeZone}), or it will go to the next step by itself.\n\n`
    : '';
  return {
    recipient: `email:${to}`,
    channel: 'email',
    content: {
      to,
      subject: `${config.displayName}: a safeguarding case needs you`,
      text:
        `${lines.headline}\n\n${deadline}` +
        `Sign in to ${config.displayName} to read it and take it on. For the safety of the people ` +
        'involved, this e-mail does not say what the case is about.\n',
    },
  };
}

interface Person {
  id: string;
  email: string | null;
}

function alertDeliveries(
  config: TenantConfig,
  people: readonly Person[],
  content: Record<string, unknown>,
  email: { headline: string; deadlineAt: Date | null } | null,
): PlannedDelivery[] {
  const out: PlannedDelivery[] = [];
  for (const p of people) {
    out.push({ recipient: `user:${p.id}`, channel: 'inApp', content });
    if (email && p.email) out.push(alertEmail(config, p.email, email));
  }
  return out;
}

/**
 * The outbox handlers of the safeguarding capability; createPlatform installs them.
 * - alerts: everyone the case's ladder step reaches (`stepResponders`), in the app (and by
 *   e-mail); a step that reaches nobody passes the case on to the next step at once;
 * - deadlines: a step's time limit passed, so the case climbs the ladder by itself;
 * - assignments: the person a case was assigned to.
 */
export function createSafeguardingHandlers(
  options: SafeguardingHandlerOptions = {},
): Record<string, OutboxHandler> {
  const alertHandler: OutboxHandler = async (event, tx) => {
    const { caseId, step, reachedAt } = casePayload(event.payload);
    const config = await configOf(tx, event.tenantId);
    const ladder = config.safeguarding.ladder;
    if (step >= ladder.length) return [];
    const [found] = await tx
      .select()
      .from(safeguardingCases)
      .where(and(eq(safeguardingCases.tenantId, event.tenantId), eq(safeguardingCases.id, caseId)));
    if (!found) return [];
    const people = await stepResponders(tx, event.tenantId, ladder, found, step);
    if (people.length === 0) {
      // Nobody would be watching this step until its time limit passed: the case goes on to
      // the next step now, from the moment it got here, as if that limit had passed.
      await climbLadder(
        tx,
        event.tenantId,
        config,
        caseId,
        step,
        reachedAt ? new Date(reachedAt) : event.availableAt,
        'nobody to alert at this step',
      );
      return [];
    }
    // Enough to draw "a new high-severity case needs you"; the case itself is read in the app.
    const content = {
      kind: 'safeguarding.case',
      caseId,
      step,
      severity: found.severity,
      category: found.category,
    };
    const stepName = config.safeguarding.ladder[step]?.name ?? 'the next step';
    return alertDeliveries(
      config,
      people,
      content,
      options.email
        ? {
            headline: `A ${found.severity}-severity safeguarding case is waiting for ${stepName}.`,
            deadlineAt: found.step === step ? found.deadlineAt : null,
          }
        : null,
    );
  };

  const assignedHandler: OutboxHandler = async (event, tx) => {
    const { caseId, assigneeId } = event.payload as { caseId: string; assigneeId: string };
    const config = await configOf(tx, event.tenantId);
    const [found] = await tx
      .select()
      .from(safeguardingCases)
      .where(and(eq(safeguardingCases.tenantId, event.tenantId), eq(safeguardingCases.id, caseId)));
    // Reassigned since, or closed: the new assignee has their own alert.
    if (!found || found.assigneeId !== assigneeId || found.status === 'closed') return [];
    const people = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(
        and(eq(users.tenantId, event.tenantId), eq(users.id, assigneeId), isNull(users.disabledAt)),
      );
    return alertDeliveries(
      config,
      people,
      { kind: 'safeguarding.case.assigned', caseId, severity: found.severity },
      options.email
        ? {
            headline: `A ${found.severity}-severity safeguarding case has been assigned to you.`,
            deadlineAt: found.status === 'open' ? found.deadlineAt : null,
          }
        : null,
    );
  };

  return {
    [CASE_ALERT]: alertHandler,
    [CASE_DEADLINE]: deadlineHandler,
    [CASE_ASSIGNED]: assignedHandler,
  };
}

/**
 * A step's time limit passed. If the case is still open at that step, it moves up the ladder by
 * itself and the next step is alerted — whether or not any server was up when the limit passed.
 */
const deadlineHandler: OutboxHandler = async (event, tx) => {
  const { caseId, step } = casePayload(event.payload);
  const config = await configOf(tx, event.tenantId);
  await climbLadder(
    tx,
    event.tenantId,
    config,
    caseId,
    step,
    event.availableAt,
    'time limit passed',
    {
      dueBy: event.availableAt,
    },
  );
  return [];
};

/**
 * Moves a case still open at `step` to the next step by itself, at `at`: the escalation goes on
 * its timeline with no actor and `reason`, and the next step is alerted, with its time limit
 * counted from `at`. At the last step nothing happens: there is no step to move to. With
 * `dueBy`, only a case whose deadline has passed by then moves.
 */
async function climbLadder(
  tx: Tx,
  tenantId: string,
  config: TenantConfig,
  caseId: string,
  step: number,
  at: Date,
  reason: string,
  options: { dueBy?: Date } = {},
): Promise<void> {
  const [found] = await tx
    .select()
    .from(safeguardingCases)
    .where(and(eq(safeguardingCases.tenantId, tenantId), eq(safeguardingCases.id, caseId)))
    .for('update');
  if (!found || found.status !== 'open' || found.step !== step) return;
  // The deadline moved later (the severity was lowered) or was lifted: not yet.
  if (
    options.dueBy &&
    (!found.deadlineAt || found.deadlineAt.getTime() > options.dueBy.getTime())
  ) {
    return;
  }
  const ladder = config.safeguarding.ladder;
  const next = step + 1;
  if (next >= ladder.length) return;
  const deadline = acknowledgeDeadline(ladder, next, found.severity as RiskSeverity, at);
  await tx
    .update(safeguardingCases)
    .set({ step: next, deadlineAt: deadline, version: found.version + 1 })
    .where(and(eq(safeguardingCases.tenantId, tenantId), eq(safeguardingCases.id, caseId)));
  await tx.insert(safeguardingCaseEvents).values({
    tenantId,
    caseId,
    at,
    actorId: null,
    kind: 'escalated',
    detail: { from: ladder[step]!.id, to: ladder[next]!.id, reason },
  });
  await scheduleStep(tx, tenantId, caseId, next, at, deadline);
}

function requireKeyring(runtime: PlatformRuntime) {
  if (!runtime.keyring) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'Case notes need encryption: give createPlatform an `encryption.masterKeys` option',
    });
  }
  return runtime.keyring;
}

const noteRef = (eventId: string) => ({
  table: 'safeguarding_case_events',
  rowId: eventId,
  column: 'note',
});

/** Any member of staff or mentor raises a concern about a person; it opens a case. */
export async function raiseConcern(
  ctx: AuthedContext,
  input: {
    subjectUserId: string;
    category: RiskCategory;
    severity: RiskSeverity;
    note: string;
  },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const keyring = requireKeyring(runtime);
  const [subject] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenant.id), eq(users.id, input.subjectUserId)));
  if (!subject) throw notFound('User');
  const now = runtime.now();
  const { caseId } = await openCase(
    tx,
    tenant,
    {
      sourceKind: 'concern',
      sourceId: randomUUID(),
      subjectUserId: input.subjectUserId,
      category: input.category,
      severity: input.severity,
      raisedBy: actor.userId,
    },
    now,
  );
  const eventId = randomUUID();
  const cipher = await keyring.forTenant(tx, tenant.id);
  await tx.insert(safeguardingCaseEvents).values({
    tenantId: tenant.id,
    id: eventId,
    caseId,
    at: now,
    actorId: actor.userId,
    kind: 'note',
    note: cipher.encrypt(noteRef(eventId), input.note),
  });
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'safeguarding.concern.raise',
    subjectType: 'safeguarding_case',
    subjectId: caseId,
    at: now,
  });
  return { caseId, status: 'open' as const };
}

async function loadCase(ctx: AuthedContext, caseId: string, lock = false) {
  const query = ctx.tx
    .select()
    .from(safeguardingCases)
    .where(and(eq(safeguardingCases.tenantId, ctx.tenant.id), eq(safeguardingCases.id, caseId)));
  const [found] = lock ? await query.for('update') : await query;
  if (!found) throw notFound('Case');
  return found;
}

type CaseRow = typeof safeguardingCases.$inferSelect;

/**
 * Checks the procedure's rule against this case: leads, its assignee and (for acknowledging,
 * `asResponder`) whoever its current step reaches while it is open — by the same rule that
 * alerts them, as things stand now: a mentor whose relationship with the young person has
 * closed no longer qualifies. Someone the rule does not admit is told the case does not exist,
 * exactly as for a case of another organisation.
 */
async function authorizeCase(
  ctx: AuthedContext,
  found: CaseRow,
  options: { asResponder?: boolean } = {},
): Promise<void> {
  // The person a case is about never handles it or reads it, whatever their roles — a lead
  // reported by a young person included: allegations about staff are handled by others.
  if (found.subjectUserId === ctx.actor.userId) throw notFound('Case');
  const admits = (responders: string[]) => {
    try {
      ctx.authorize({
        relationships: { assignee: found.assigneeId ? [found.assigneeId] : [], responders },
      });
      return true;
    } catch {
      return false;
    }
  };
  if (admits([])) return;
  const ladder = ctx.tenant.config.safeguarding.ladder;
  if (
    options.asResponder &&
    found.status === 'open' &&
    (await stepResponders(ctx.tx, ctx.tenant.id, ladder, found, found.step, ctx.actor.userId))
      .length > 0 &&
    admits([ctx.actor.userId])
  ) {
    return;
  }
  throw notFound('Case');
}

/** Loads a case for a change: locked, admitted, and at the version the caller saw. */
async function caseForChange(
  ctx: AuthedContext,
  input: { caseId: string; expectedVersion?: number },
  options: { asResponder?: boolean } = {},
): Promise<CaseRow> {
  const found = await loadCase(ctx, input.caseId, true);
  await authorizeCase(ctx, found, options);
  if (input.expectedVersion !== undefined && input.expectedVersion !== found.version) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `This case has changed since you opened it (now version ${found.version}). Reload it and decide again.`,
    });
  }
  return found;
}

function refuse(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

function stepName(config: TenantConfig, step: number): string {
  return config.safeguarding.ladder[step]?.name ?? 'Beyond the ladder';
}

/** What whoever raised a concern may know: its progress, never its notes. */
export async function concernStatus(ctx: AuthedContext, input: { caseId: string }) {
  const found = await loadCase(ctx, input.caseId);
  try {
    ctx.authorize({ ownerId: found.raisedBy ?? undefined });
  } catch {
    throw notFound('Case');
  }
  await recordAudit(ctx.tx, {
    tenantId: ctx.tenant.id,
    actorId: ctx.actor.userId,
    action: 'safeguarding.case.status.read',
    subjectType: 'safeguarding_case',
    subjectId: found.id,
    at: ctx.runtime.now(),
  });
  return {
    caseId: found.id,
    status: found.status,
    step: stepName(ctx.tenant.config, found.step),
    openedAt: found.openedAt.toISOString(),
    closedAt: found.closedAt?.toISOString() ?? null,
  };
}

function summary(config: TenantConfig, c: CaseRow) {
  return {
    id: c.id,
    sourceKind: c.sourceKind,
    category: c.category as RiskCategory,
    severity: c.severity as RiskSeverity,
    status: c.status,
    step: c.step,
    stepName: stepName(config, c.step),
    subjectUserId: c.subjectUserId,
    raisedBy: c.raisedBy,
    assigneeId: c.assigneeId,
    openedAt: c.openedAt.toISOString(),
    deadlineAt: c.deadlineAt?.toISOString() ?? null,
    acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
    outcome: (c.outcome as CaseOutcome | null) ?? null,
    /** Name it as `expectedVersion` when changing the case. */
    version: c.version,
  };
}
export type CaseSummary = ReturnType<typeof summary>;

/** The tenant's cases that are not closed, most urgent deadline first. */
export async function listCases(ctx: AuthedContext) {
  const rows = await ctx.tx
    .select()
    .from(safeguardingCases)
    .where(
      and(
        eq(safeguardingCases.tenantId, ctx.tenant.id),
        inArray(safeguardingCases.status, ['open', 'acknowledged']),
        or(
          isNull(safeguardingCases.subjectUserId),
          ne(safeguardingCases.subjectUserId, ctx.actor.userId),
        ),
      ),
    )
    .orderBy(asc(safeguardingCases.deadlineAt), desc(safeguardingCases.openedAt))
    .limit(200);
  await recordAudit(ctx.tx, {
    tenantId: ctx.tenant.id,
    actorId: ctx.actor.userId,
    action: 'safeguarding.cases.list',
    subjectType: 'safeguarding_case',
    detail: { count: rows.length },
    at: ctx.runtime.now(),
  });
  return rows.map((c) => summary(ctx.tenant.config, c));
}

/** The whole case with its timeline and decrypted notes, for a lead or the case's assignee. */
export async function getCase(ctx: AuthedContext, input: { caseId: string }) {
  const found = await loadCase(ctx, input.caseId);
  await authorizeCase(ctx, found);
  const keyring = requireKeyring(ctx.runtime);
  const cipher = await keyring.forTenant(ctx.tx, ctx.tenant.id);
  const events = await ctx.tx
    .select()
    .from(safeguardingCaseEvents)
    .where(
      and(
        eq(safeguardingCaseEvents.tenantId, ctx.tenant.id),
        eq(safeguardingCaseEvents.caseId, found.id),
      ),
    )
    .orderBy(asc(safeguardingCaseEvents.seq));
  const timeline = [];
  for (const e of events) {
    timeline.push({
      id: e.id,
      at: e.at.toISOString(),
      actorId: e.actorId,
      kind: e.kind,
      detail: e.detail as Record<string, unknown>,
      note: e.note ? await cipher.decrypt(noteRef(e.id), e.note) : null,
    });
  }
  await recordAudit(ctx.tx, {
    tenantId: ctx.tenant.id,
    actorId: ctx.actor.userId,
    action: 'safeguarding.case.read',
    subjectType: 'safeguarding_case',
    subjectId: found.id,
    at: ctx.runtime.now(),
  });
  return { ...summary(ctx.tenant.config, found), timeline };
}

/**
 * Writes one entry of a case's timeline (its note encrypted) and the audit entry for it, and,
 * when `changes` are given, updates the case and moves its version on.
 */
async function record(
  ctx: AuthedContext,
  found: CaseRow,
  entry: { kind: string; detail?: Record<string, unknown>; note?: string | undefined },
  changes?: Partial<typeof safeguardingCases.$inferInsert>,
): Promise<CaseRow> {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  let updated = found;
  if (changes) {
    const [row] = await tx
      .update(safeguardingCases)
      .set({ ...changes, version: found.version + 1 })
      .where(and(eq(safeguardingCases.tenantId, tenant.id), eq(safeguardingCases.id, found.id)))
      .returning();
    updated = row!;
  }
  const eventId = randomUUID();
  let note: string | null = null;
  if (entry.note !== undefined) {
    const cipher = await requireKeyring(runtime).forTenant(tx, tenant.id);
    note = cipher.encrypt(noteRef(eventId), entry.note);
  }
  await tx.insert(safeguardingCaseEvents).values({
    tenantId: tenant.id,
    id: eventId,
    caseId: found.id,
    at: now,
    actorId: actor.userId,
    kind: entry.kind,
    detail: entry.detail ?? {},
    note,
  });
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: `safeguarding.case.${entry.kind}`,
    subjectType: 'safeguarding_case',
    subjectId: found.id,
    at: now,
  });
  return updated;
}

/** Someone at the current step takes the case on: its deadline stops escalating it. */
export async function acknowledgeCase(ctx: AuthedContext, input: { caseId: string }) {
  const found = await caseForChange(ctx, input, { asResponder: true });
  if (found.status !== 'open') return summary(ctx.tenant.config, found);
  // Someone who is not a lead takes the case on as its assignee, so that they can read it, add
  // to it and escalate it; a case is never acknowledged by someone who then cannot act on it.
  const takesItOn = !ctx.actor.roles.includes('safeguarding_lead') && !found.assigneeId;
  const updated = await record(
    ctx,
    found,
    {
      kind: 'acknowledged',
      detail: { step: found.step, ...(takesItOn ? { assignee: ctx.actor.userId } : {}) },
    },
    {
      status: 'acknowledged',
      acknowledgedAt: ctx.runtime.now(),
      acknowledgedBy: ctx.actor.userId,
      deadlineAt: null,
      ...(takesItOn ? { assigneeId: ctx.actor.userId } : {}),
    },
  );
  return summary(ctx.tenant.config, updated);
}

/** A later note on the case — also after it was closed. */
export async function addCaseNote(ctx: AuthedContext, input: { caseId: string; note: string }) {
  const found = await caseForChange(ctx, input);
  const updated = await record(ctx, found, { kind: 'note', note: input.note });
  return summary(ctx.tenant.config, updated);
}

function requireOpen(found: CaseRow): void {
  if (found.status === 'closed') throw refuse('This case is closed; you can still add notes to it');
}

/**
 * A lead sets how severe the case is and who looks after it. A new severity resets the current
 * step's time limit from now; an assignee is alerted and may then read, note and escalate it.
 */
export async function triageCase(
  ctx: AuthedContext,
  input: {
    caseId: string;
    expectedVersion: number;
    severity?: RiskSeverity | undefined;
    assigneeId?: string | null | undefined;
    note?: string | undefined;
  },
) {
  const { tx, tenant } = ctx;
  const found = await caseForChange(ctx, input);
  requireOpen(found);
  if (input.assigneeId === found.subjectUserId && input.assigneeId) {
    throw fieldError('BAD_REQUEST', {
      assigneeId: ['The person a case is about cannot look after it'],
    });
  }
  if (input.assigneeId) {
    const [person] = await tx
      .select({ kind: users.kind, disabledAt: users.disabledAt })
      .from(users)
      .where(and(eq(users.tenantId, tenant.id), eq(users.id, input.assigneeId)));
    if (!person || person.kind !== 'staff' || person.disabledAt) {
      throw fieldError('BAD_REQUEST', {
        assigneeId: ['Choose an active member of staff or a mentor'],
      });
    }
  }
  const now = ctx.runtime.now();
  const changes: Partial<typeof safeguardingCases.$inferInsert> = {};
  const detail: Record<string, unknown> = {};
  if (input.severity !== undefined && input.severity !== found.severity) {
    changes.severity = input.severity;
    detail.severity = { from: found.severity, to: input.severity };
    if (found.status === 'open') {
      changes.deadlineAt = acknowledgeDeadline(
        tenant.config.safeguarding.ladder,
        found.step,
        input.severity,
        now,
      );
    }
  }
  if (input.assigneeId !== undefined && input.assigneeId !== found.assigneeId) {
    changes.assigneeId = input.assigneeId;
    detail.assignee = { from: found.assigneeId, to: input.assigneeId };
  }
  if (Object.keys(changes).length === 0) throw refuse('Nothing would change');
  const updated = await record(ctx, found, { kind: 'triaged', detail, note: input.note }, changes);
  if (changes.deadlineAt !== undefined) {
    await scheduleDeadline(tx, tenant.id, found.id, found.step, updated.deadlineAt);
  }
  if (changes.assigneeId) {
    await enqueue(tx, {
      tenantId: tenant.id,
      id: derivedId(tenant.id, found.id, 'assigned', String(updated.version)),
      topic: CASE_ASSIGNED,
      payload: { caseId: found.id, assigneeId: changes.assigneeId },
    });
  }
  return summary(tenant.config, updated);
}

/**
 * Moves the case up the ladder by hand, saying why: the next step is alerted and must
 * acknowledge within its own time limit.
 */
export async function escalateCase(
  ctx: AuthedContext,
  input: { caseId: string; expectedVersion: number; note: string },
) {
  const { tx, tenant } = ctx;
  const found = await caseForChange(ctx, input);
  requireOpen(found);
  const ladder = tenant.config.safeguarding.ladder;
  const next = found.step + 1;
  if (next >= ladder.length) throw refuse('This case is already at the last step of the ladder');
  const now = ctx.runtime.now();
  const deadline = acknowledgeDeadline(ladder, next, found.severity as RiskSeverity, now);
  const updated = await record(
    ctx,
    found,
    {
      kind: 'escalated',
      detail: { from: ladder[found.step]!.id, to: ladder[next]!.id, reason: 'by hand' },
      note: input.note,
    },
    {
      step: next,
      status: 'open',
      deadlineAt: deadline,
      acknowledgedAt: null,
      acknowledgedBy: null,
    },
  );
  await scheduleStep(tx, tenant.id, found.id, next, now, deadline);
  return summary(tenant.config, updated);
}

/** Who information was (or was not) shared with. */
export const sharingRecipients = [
  'parent_carer',
  'school',
  'police',
  'childrens_social_care',
  'adult_social_care',
  'health',
  'other_agency',
] as const;

/** A decision to share information, or not to, with the reason — recorded either way. */
export async function recordSharing(
  ctx: AuthedContext,
  input: {
    caseId: string;
    shared: boolean;
    recipient: (typeof sharingRecipients)[number];
    reason: string;
  },
) {
  const found = await caseForChange(ctx, input);
  const updated = await record(ctx, found, {
    kind: 'sharing',
    detail: { shared: input.shared, recipient: input.recipient },
    note: input.reason,
  });
  return summary(ctx.tenant.config, updated);
}

/** How a young person was told. */
export const toldMethods = ['in_person', 'phone', 'message', 'letter'] as const;

/**
 * Whether the young person was told (and how) before anything was passed on, or why not —
 * recorded before any referral.
 */
export async function recordToldYoungPerson(
  ctx: AuthedContext,
  input: {
    caseId: string;
    told: boolean;
    how?: (typeof toldMethods)[number] | undefined;
    note: string;
  },
) {
  if (input.told && !input.how)
    throw fieldError('BAD_REQUEST', { how: ['Say how they were told'] });
  if (!input.told && input.how) {
    throw fieldError('BAD_REQUEST', { how: ['Leave this out when they were not told'] });
  }
  const found = await caseForChange(ctx, input);
  const updated = await record(ctx, found, {
    kind: 'told_young_person',
    detail: { told: input.told, ...(input.how ? { how: input.how } : {}) },
    note: input.note,
  });
  return summary(ctx.tenant.config, updated);
}

/** Agencies a case is referred to. */
export const referralAgencies = [
  'police',
  'childrens_social_care',
  'adult_social_care',
  'camhs',
  'gp_health',
  'school',
  'other',
] as const;

/** A referral to an agency outside the organisation, once the young person was told (or why not). */
export async function recordReferral(
  ctx: AuthedContext,
  input: {
    caseId: string;
    agency: (typeof referralAgencies)[number];
    reference?: string | undefined;
    note: string;
  },
) {
  const found = await caseForChange(ctx, input);
  const [told] = await ctx.tx
    .select({ id: safeguardingCaseEvents.id })
    .from(safeguardingCaseEvents)
    .where(
      and(
        eq(safeguardingCaseEvents.tenantId, ctx.tenant.id),
        eq(safeguardingCaseEvents.caseId, found.id),
        eq(safeguardingCaseEvents.kind, 'told_young_person'),
      ),
    )
    .limit(1);
  if (!told) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'First record whether the young person was told about this referral, or why not',
    });
  }
  const updated = await record(ctx, found, {
    kind: 'referral',
    detail: { agency: input.agency, ...(input.reference ? { reference: input.reference } : {}) },
    note: input.note,
  });
  return summary(ctx.tenant.config, updated);
}

/** How a case ended. */
export const caseOutcomes = [
  'no_further_action',
  'support_provided',
  'referred',
  'concern_unfounded',
  'transferred',
  'other',
] as const;
export type CaseOutcome = (typeof caseOutcomes)[number];

/** Closes the case with its outcome; it stops escalating, and notes can still be added. */
export async function closeCase(
  ctx: AuthedContext,
  input: { caseId: string; expectedVersion: number; outcome: CaseOutcome; note: string },
) {
  const found = await caseForChange(ctx, input);
  requireOpen(found);
  const updated = await record(
    ctx,
    found,
    { kind: 'closed', detail: { outcome: input.outcome }, note: input.note },
    {
      status: 'closed',
      closedAt: ctx.runtime.now(),
      closedBy: ctx.actor.userId,
      outcome: input.outcome,
      deadlineAt: null,
    },
  );
  return summary(ctx.tenant.config, updated);
}
