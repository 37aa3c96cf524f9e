import { auditEvents, type Tx } from '@hearth/db';

export interface AuditEntry {
  tenantId: string;
  /** Null when the platform itself acted. */
  actorId: string | null;
  /** `capability.noun.verb`, e.g. `safeguarding.case.read`. */
  action: string;
  subjectType: string;
  subjectId?: string | null;
  /** Context for a reviewer — never the sensitive content itself. */
  detail?: Record<string, unknown>;
  at?: Date;
}

/**
 * Adds an entry to the tenant's append-only audit trail, in the same transaction as the read
 * or change it records: if the change rolls back, so does its entry.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    tenantId: entry.tenantId,
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    detail: entry.detail ?? {},
    ...(entry.at ? { at: entry.at } : {}),
  });
}
