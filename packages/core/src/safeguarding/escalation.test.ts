import { describe, expect, it } from 'vitest';
import { acknowledgeDeadline, escalationLadderSchema, rolesAtStep } from './escalation.js';

const ladder = escalationLadderSchema.parse(undefined);
const at = new Date('2026-11-29T10:00:00Z');

describe('the default ladder', () => {
  it('runs mentor → senior mentor → safeguarding lead → external agency', () => {
    expect(ladder.map((s) => s.id)).toEqual([
      'mentor',
      'senior-mentor',
      'safeguarding-lead',
      'external',
    ]);
    expect(ladder.at(-1)?.external).toBe(true);
  });

  it('gives a critical case 15 minutes at the first step', () => {
    expect(acknowledgeDeadline(ladder, 0, 'critical', at)?.toISOString()).toBe(
      '2026-11-29T10:15:00.000Z',
    );
    expect(acknowledgeDeadline(ladder, 2, 'high', at)?.toISOString()).toBe(
      '2026-11-29T12:00:00.000Z',
    );
  });

  it('has no deadline where a step sets none, or past the top', () => {
    expect(acknowledgeDeadline(ladder, 0, 'low', at)).toBeNull();
    expect(acknowledgeDeadline(ladder, 3, 'critical', at)).toBeNull();
    expect(acknowledgeDeadline(ladder, 9, 'critical', at)).toBeNull();
    expect(rolesAtStep(ladder, 9)).toEqual([]);
    expect(rolesAtStep(ladder, 2)).toEqual(['safeguarding_lead']);
  });
});

describe('a tenant ladder', () => {
  it('is validated: steps, ids, roles and limits', () => {
    const ROLE_ERROR =
      'Choose from the roles that handle cases: mentor, senior_mentor, moderator, safeguarding_lead, practitioner, org_admin';
    const cases: [unknown, string][] = [
      [[], 'The ladder needs at least one step'],
      [
        [
          { id: 'a', name: 'A', roles: ['mentor'] },
          { id: 'a', name: 'B', roles: ['mentor'] },
        ],
        'Each step needs its own id',
      ],
      [[{ id: 'a', name: 'A', roles: [] }], 'Name at least one role to alert'],
      [
        [{ id: 'A B', name: 'A', roles: ['mentor'] }],
        'Use 1–40 lower-case letters, digits or hyphens',
      ],
      [
        [{ id: 'a', name: 'A', roles: ['mentor'], acknowledgeWithinMinutes: { critical: 0 } }],
        'Must be at least 1 minutes',
      ],
      [[{ id: 'a', name: 'A', roles: ['wizard'] }], ROLE_ERROR],
      // Young people are never alerted about cases; platform admins have no tenant rights.
      [[{ id: 'a', name: 'A', roles: ['member'] }], ROLE_ERROR],
      [[{ id: 'a', name: 'A', roles: ['mentor', 'platform_admin'] }], ROLE_ERROR],
    ];
    for (const [input, message] of cases) {
      const result = escalationLadderSchema.safeParse(input);
      expect(result.success, JSON.stringify(input)).toBe(false);
      if (message) expect(result.error!.issues.map((i) => i.message)).toContain(message);
    }
  });
});
