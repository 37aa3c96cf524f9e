import { randomUUID } from 'node:crypto';
import { type Actor, type Helpline, isUnder18, type RiskMatch } from '@hearth/core';
import {
  moderationActions,
  moderationItems,
  safeguardingCaseEvents,
  type Tx,
  users,
} from '@hearth/db';
import { and, eq, sql } from 'drizzle-orm';
import type { PlatformRuntime, TenantScope } from '../../context.js';
import { openCase } from './cases.js';
import { moderateText } from './moderation.js';

/** Whether others can see a piece of content. */
export type Visibility = 'visible' | 'held' | 'removed';

/** A piece of content as moderators see it. */
export interface LoadedContent {
  /** Who wrote it, when known. */
  authorId: string | null;
  text: string;
}

/**
 * A kind of content people write (a profile's "about me", a message, a post) that moderation
 * can hold, release and remove. Each capability that stores user text registers one with the
 * platform under a name such as `messaging.message`; the moderation queue reaches the content
 * only through it. Every function runs in the tenant's transaction.
 */
export interface ContentKind {
  /** The text and its author, for a moderator deciding; null if it no longer exists. */
  load(tx: Tx, tenantId: string, contentId: string): Promise<LoadedContent | null>;
  /** Shows, holds or removes the content for everyone but moderators. */
  setVisibility(tx: Tx, tenantId: string, contentId: string, visibility: Visibility): Promise<void>;
  /**
   * Whether this person can see the content now — only what someone can see can they report,
   * and content they cannot see is answered exactly like content that does not exist.
   */
  canSee(tx: Tx, tenantId: string, contentId: string, actor: Actor): Promise<boolean>;
}

/** The `content_kind` of a report about a person rather than something they wrote. */
export const USER_TARGET = 'identity.user';

/** What the writer is told about their own text, in the answer to the action that wrote it. */
export interface WriterAnswer {
  /**
   * `published`: others can see it. `held`: a moderator reads it first. `blocked`: it was not
   * kept; `explanation` says why, kindly. Text that was published and flagged for moderators
   * reads as `published`: the writer is not told they are being watched more closely.
   */
  status: 'published' | 'held' | 'blocked';
  explanation: string | null;
  /** The tenant's helplines, when the writer's own words show they may be at risk. */
  helplines: Helpline[];
}

export interface Screened {
  /** What to store: `visible` or `held`; null when the text must not be kept at all. */
  visibility: Exclude<Visibility, 'removed'> | null;
  answer: WriterAnswer;
  /** Safeguarding cases the text opened (or joined, if it was screened before). */
  caseIds: string[];
}

export interface ScreenInput {
  /** A registered content kind, such as `identity.profile.about`. */
  contentKind: string;
  /** The id the content is (or, if blocked, would have been) stored under. */
  contentId: string;
  text: string;
  authorId: string;
  /**
   * The author's kind and age band, when the caller already read them in this transaction (a
   * message send reads them with its other checks); read from `users` otherwise.
   */
  writer?: { kind: string | null; ageBand: string | null };
}

interface ScreenContext {
  tx: Tx;
  tenant: TenantScope;
  runtime: PlatformRuntime;
}

/**
 * Screens a piece of text someone wrote before anyone else can see it: the tenant's risk rules
 * and moderation policy decide whether it is published, published and flagged, held or
 * blocked; held and flagged text joins the moderators' queue; findings severe enough open a
 * safeguarding case with the words as evidence (encrypted) — even when the text is blocked and
 * never stored. Call it in the same transaction that stores the content, then store it with the
 * returned visibility (or not at all when it is null) and return `answer` to the writer.
 */
export async function screenText(ctx: ScreenContext, input: ScreenInput): Promise<Screened> {
  const { tx, tenant, runtime } = ctx;
  if (!runtime.contentKinds.has(input.contentKind)) {
    // A programming error, not bad input: moderators could never act on such content.
    throw new Error(
      `screenText: "${input.contentKind}" is not a registered content kind; pass it to createPlatform({ content })`,
    );
  }
  const [writer] = input.writer
    ? [input.writer]
    : await tx
        .select({ kind: users.kind, ageBand: users.ageBand })
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), eq(users.id, input.authorId)));
  const isMember = writer?.kind === 'member';
  const under18 = isMember && writer?.ageBand != null && isUnder18(writer.ageBand as never);
  const outcome = moderateText(runtime.riskEngines, tenant.config, input.text, {
    isMember,
    under18,
  });
  const now = runtime.now();
  const findings = outcome.findings.map(findingRecord);

  if (outcome.action === 'hold' || outcome.action === 'publish_and_flag') {
    const held = outcome.action === 'hold';
    const [item] = await tx
      .insert(moderationItems)
      .values({
        tenantId: tenant.id,
        contentKind: input.contentKind,
        contentId: input.contentId,
        authorId: input.authorId,
        visibility: held ? 'held' : 'visible',
        reasons: [held ? 'held' : 'flagged'],
        maxSeverity: outcome.maxSeverity,
        findings,
        openedAt: now,
      })
      .onConflictDoUpdate({
        target: [moderationItems.tenantId, moderationItems.contentKind, moderationItems.contentId],
        set: {
          status: 'open',
          visibility: held ? 'held' : 'visible',
          reasons: sql`array(select distinct unnest(${moderationItems.reasons} || excluded.reasons) order by 1)`,
          maxSeverity: outcome.maxSeverity,
          findings,
          resolvedAt: null,
          resolvedBy: null,
          version: sql`${moderationItems.version} + 1`,
        },
      })
      .returning({ id: moderationItems.id });
    await tx.insert(moderationActions).values({
      tenantId: tenant.id,
      itemId: item!.id,
      at: now,
      actorId: null,
      action: held ? 'hold' : 'flag',
      reason: `Moderation policy: ${describeFindings(outcome.findings)}`,
    });
  }

  const caseIds: string[] = [];
  const seen = new Set<string>();
  for (const finding of outcome.opensCases) {
    if (seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    const opened = await openCase(
      tx,
      tenant,
      {
        sourceKind: 'signal',
        sourceId: input.contentId,
        ruleId: finding.ruleId,
        subjectUserId: input.authorId,
        category: finding.category,
        severity: finding.severity,
      },
      now,
    );
    caseIds.push(opened.caseId);
    if (opened.created) await recordEvidence(ctx, opened.caseId, input, finding, outcome.action);
  }

  return {
    visibility: outcome.action === 'block' ? null : outcome.action === 'hold' ? 'held' : 'visible',
    answer: {
      status:
        outcome.action === 'block' ? 'blocked' : outcome.action === 'hold' ? 'held' : 'published',
      explanation: outcome.explanation,
      helplines: outcome.helplines,
    },
    caseIds,
  };
}

function findingRecord(match: RiskMatch) {
  return {
    ruleId: match.ruleId,
    category: match.category,
    severity: match.severity,
    span: [match.span.start, match.span.end],
    /** How it matched (the rule's phrase or detector); never the writer's words. */
    reason: match.reason,
  };
}

function describeFindings(findings: readonly RiskMatch[]): string {
  const rules = [...new Set(findings.map((f) => `${f.ruleId} (${f.severity})`))];
  return rules.length > 0 ? rules.join(', ') : 'no findings';
}

/**
 * The words that opened a case, kept with it (encrypted) so the case can be understood even when
 * the content is later changed, removed, or was never stored because it was blocked.
 */
async function recordEvidence(
  ctx: ScreenContext,
  caseId: string,
  input: ScreenInput,
  finding: RiskMatch,
  action: string,
): Promise<void> {
  const eventId = randomUUID();
  const detail = {
    contentKind: input.contentKind,
    contentId: input.contentId,
    ruleId: finding.ruleId,
    span: [finding.span.start, finding.span.end],
    moderation: action,
  };
  const keyring = ctx.runtime.keyring;
  if (!keyring) {
    await ctx.tx.insert(safeguardingCaseEvents).values({
      tenantId: ctx.tenant.id,
      id: eventId,
      caseId,
      at: ctx.runtime.now(),
      kind: 'evidence',
      detail: { ...detail, text: 'not kept: createPlatform has no encryption.masterKeys' },
    });
    return;
  }
  const cipher = await keyring.forTenant(ctx.tx, ctx.tenant.id);
  await ctx.tx.insert(safeguardingCaseEvents).values({
    tenantId: ctx.tenant.id,
    id: eventId,
    caseId,
    at: ctx.runtime.now(),
    kind: 'evidence',
    detail,
    note: cipher.encrypt(
      { table: 'safeguarding_case_events', rowId: eventId, column: 'note' },
      input.text,
    ),
  });
}
