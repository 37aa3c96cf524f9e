import { createHash, randomUUID } from 'node:crypto';
import {
  acknowledgeDeadline,
  type RiskCategory,
  type RiskSeverity,
  rolesAtStep,
  type TenantConfig,
  tenantConfigSchema,
} from '@hearth/core';
import { safeguardingCaseEvents, safeguardingCases, type Tx, tenants, users } from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, arrayOverlaps, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { AuthedContext, PlatformRuntime } from '../../context.js';
import { notFound } from '../../errors.js';
import type { OutboxHandler } from '../../outbox/dispatcher.js';
import { enqueue } from '../../outbox/enqueue.js';
import { recordAudit } from '../privacy/audit.js';

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
  await scheduleStep(tx, tenant.id, created.id, 0, deadline);
  return { caseId: created.id, created: true };
}

async function scheduleStep(
  tx: Tx,
  tenantId: string,
  caseId: string,
  step: number,
  deadline: Date | null,
): Promise<void> {
  await enqueue(tx, {
    tenantId,
    id: derivedId(tenantId, caseId, String(step), 'alert'),
    topic: CASE_ALERT,
    payload: { caseId, step },
  });
  if (deadline) {
    await enqueue(tx, {
      tenantId,
      id: derivedId(tenantId, caseId, String(step), 'deadline'),
      topic: CASE_DEADLINE,
      payload: { caseId, step },
      availableAt: deadline,
    });
  }
}

async function configOf(tx: Tx, tenantId: string): Promise<TenantConfig> {
  const [row] = await tx
    .select({ config: tenants.currentConfig })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return tenantConfigSchema.parse(row!.config);
}

function casePayload(payload: unknown): { caseId: string; step: number } {
  const { caseId, step } = payload as { caseId: string; step: number };
  return { caseId, step };
}

/** Alerts everyone holding a role of the case's current ladder step, in the app. */
export const alertHandler: OutboxHandler = async (event, tx) => {
  const { caseId, step } = casePayload(event.payload);
  const config = await configOf(tx, event.tenantId);
  const roles = rolesAtStep(config.safeguarding.ladder, step);
  if (roles.length === 0) return [];
  const [found] = await tx
    .select({ severity: safeguardingCases.severity, category: safeguardingCases.category })
    .from(safeguardingCases)
    .where(and(eq(safeguardingCases.tenantId, event.tenantId), eq(safeguardingCases.id, caseId)));
  if (!found) return [];
  const people = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.tenantId, event.tenantId),
        arrayOverlaps(users.roles, [...roles]),
        isNull(users.disabledAt),
      ),
    );
  return people.map((p) => ({
    recipient: `user:${p.id}`,
    channel: 'inApp',
    // Enough to draw "a new high-severity case needs you"; the case itself is read in the app.
    content: {
      kind: 'safeguarding.case',
      caseId,
      step,
      severity: found.severity,
      category: found.category,
    },
  }));
};

/**
 * A step's time limit passed. If the case is still open at that step, it moves up the ladder by
 * itself and the next step is alerted — whether or not any server was up when the limit passed.
 */
export const deadlineHandler: OutboxHandler = async (event, tx) => {
  const { caseId, step } = casePayload(event.payload);
  const [found] = await tx
    .select()
    .from(safeguardingCases)
    .where(and(eq(safeguardingCases.tenantId, event.tenantId), eq(safeguardingCases.id, caseId)))
    .for('update');
  if (!found || found.status !== 'open' || found.step !== step) return [];
  const config = await configOf(tx, event.tenantId);
  const next = step + 1;
  if (next >= config.safeguarding.ladder.length) return [];
  const now = event.availableAt;
  const deadline = acknowledgeDeadline(
    config.safeguarding.ladder,
    next,
    found.severity as RiskSeverity,
    now,
  );
  await tx
    .update(safeguardingCases)
    .set({ step: next, deadlineAt: deadline })
    .where(and(eq(safeguardingCases.tenantId, event.tenantId), eq(safeguardingCases.id, caseId)));
  await tx.insert(safeguardingCaseEvents).values({
    tenantId: event.tenantId,
    caseId,
    at: now,
    actorId: null,
    kind: 'escalated',
    detail: {
      from: config.safeguarding.ladder[step]!.id,
      to: config.safeguarding.ladder[next]!.id,
      reason: 'time limit passed',
    },
  });
  await scheduleStep(tx, event.tenantId, caseId, next, deadline);
  return [];
};

/** The outbox handlers the safeguarding capability needs; createPlatform installs them. */
export const safeguardingHandlers = {
  [CASE_ALERT]: alertHandler,
  [CASE_DEADLINE]: deadlineHandler,
};

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

async function loadCase(ctx: AuthedContext, caseId: string) {
  const [found] = await ctx.tx
    .select()
    .from(safeguardingCases)
    .where(and(eq(safeguardingCases.tenantId, ctx.tenant.id), eq(safeguardingCases.id, caseId)));
  if (!found) throw notFound('Case');
  return found;
}

function stepName(config: TenantConfig, step: number): string {
  return config.safeguarding.ladder[step]?.name ?? 'Beyond the ladder';
}

/** What whoever raised a concern may know: its progress, never its notes. */
export async function concernStatus(ctx: AuthedContext, input: { caseId: string }) {
  const found = await loadCase(ctx, input.caseId);
  ctx.authorize({ ownerId: found.raisedBy ?? undefined });
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

function summary(config: TenantConfig, c: typeof safeguardingCases.$inferSelect) {
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
    openedAt: c.openedAt.toISOString(),
    deadlineAt: c.deadlineAt?.toISOString() ?? null,
    acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
  };
}

/** The tenant's cases that are not closed, most urgent deadline first. */
export async function listCases(ctx: AuthedContext) {
  const rows = await ctx.tx
    .select()
    .from(safeguardingCases)
    .where(
      and(
        eq(safeguardingCases.tenantId, ctx.tenant.id),
        inArray(safeguardingCases.status, ['open', 'acknowledged']),
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

/** The whole case with its timeline and decrypted notes, for the safeguarding lead. */
export async function getCase(ctx: AuthedContext, input: { caseId: string }) {
  const found = await loadCase(ctx, input.caseId);
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

/** Someone at the current step takes the case on: its deadline stops escalating it. */
export async function acknowledgeCase(ctx: AuthedContext, input: { caseId: string }) {
  const found = await loadCase(ctx, input.caseId);
  if (found.status !== 'open') return summary(ctx.tenant.config, found);
  const now = ctx.runtime.now();
  const [updated] = await ctx.tx
    .update(safeguardingCases)
    .set({
      status: 'acknowledged',
      acknowledgedAt: now,
      acknowledgedBy: ctx.actor.userId,
      deadlineAt: null,
    })
    .where(and(eq(safeguardingCases.tenantId, ctx.tenant.id), eq(safeguardingCases.id, found.id)))
    .returning();
  await ctx.tx.insert(safeguardingCaseEvents).values({
    tenantId: ctx.tenant.id,
    caseId: found.id,
    at: now,
    actorId: ctx.actor.userId,
    kind: 'acknowledged',
    detail: { step: found.step },
  });
  await recordAudit(ctx.tx, {
    tenantId: ctx.tenant.id,
    actorId: ctx.actor.userId,
    action: 'safeguarding.case.acknowledge',
    subjectType: 'safeguarding_case',
    subjectId: found.id,
    at: now,
  });
  return summary(ctx.tenant.config, updated!);
}
