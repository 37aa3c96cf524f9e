import { can, hearthPolicy, roles } from '@hearth/core';
import { describe, expect, it } from 'vitest';
import { type CaseRights, caseRights } from './case-rights.js';

const actions: (keyof CaseRights)[] = [
  'list',
  'read',
  'acknowledge',
  'addNote',
  'escalate',
  'triage',
  'recordSharing',
  'recordToldYoungPerson',
  'recordReferral',
  'close',
];
const policyAction = (action: keyof CaseRights) =>
  `safeguarding.cases.${action === 'read' ? 'get' : action}`;

describe('caseRights', () => {
  it('agrees with hearthPolicy for every role, assigned or not', () => {
    for (const role of roles) {
      for (const assigned of [false, true]) {
        const me = { id: 'u1', roles: [role] };
        const c = { assigneeId: assigned ? 'u1' : 'u2' };
        const rights = caseRights(me, c);
        for (const action of actions) {
          const allowed = can(hearthPolicy, policyAction(action), {
            actor: { userId: 'u1', tenantId: 't1', roles: [role] },
            resource: { relationships: { assignee: [c.assigneeId], responders: [] } },
          });
          expect({ role, assigned, action, allowed: rights[action] }).toEqual({
            role,
            assigned,
            action,
            allowed,
          });
        }
      }
    }
  });

  it('grants nothing to someone signed out', () => {
    expect(Object.values(caseRights(null)).some(Boolean)).toBe(false);
  });
});
