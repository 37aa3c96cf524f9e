import type { Me } from '../queries.js';

/** What the signed-in person may do with safeguarding cases. */
export interface CaseRights {
  list: boolean;
  read: boolean;
  acknowledge: boolean;
  addNote: boolean;
  escalate: boolean;
  triage: boolean;
  recordSharing: boolean;
  recordToldYoungPerson: boolean;
  recordReferral: boolean;
  close: boolean;
}

/**
 * The `safeguarding.cases.*` rules of Hearth's policy for `me` and a case (leads; and the case's
 * assignee for reading, notes, acknowledging and escalating). They are restated here rather than
 * read from `hearthPolicy`, because evaluating that brings the whole configuration schema into a
 * browser bundle; `case-rights.test.ts` checks the two agree. Someone alerted at a case's step
 * may also acknowledge it, which only the server can tell.
 */
export function caseRights(
  me: Pick<NonNullable<Me>, 'id' | 'roles'> | null | undefined,
  c?: { assigneeId: string | null },
): CaseRights {
  const lead = !!me && me.roles.includes('safeguarding_lead');
  const assignee = !!me && !!c?.assigneeId && c.assigneeId === me.id;
  const handles = lead || assignee;
  return {
    list: lead,
    read: handles,
    acknowledge: handles,
    addNote: handles,
    escalate: handles,
    triage: lead,
    recordSharing: lead,
    recordToldYoungPerson: lead,
    recordReferral: lead,
    close: lead,
  };
}
