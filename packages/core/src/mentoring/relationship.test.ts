import { describe, expect, it } from 'vitest';
import {
  allowedRelationshipEvents,
  closeReasons,
  type RelationshipEvent,
  type RelationshipState,
  type RelationshipStatus,
  relationshipEventSchema,
  relationshipEventTypes,
  relationshipStatuses,
  relationshipTransitions,
  transitionRelationship,
} from './relationship.js';

const caseId = '3f1c8a52-7d4e-4b9a-9c1e-2a6b5d4e3f21';

const stateOf = (status: RelationshipStatus): RelationshipState =>
  status === 'closed' ? { status, reason: 'goals-met' } : { status };

const eventOf = (type: RelationshipEvent['type']): RelationshipEvent =>
  type === 'close' ? { type, reason: 'other' } : { type };

describe('relationshipTransitions', () => {
  it('runs requested → active | declined; active ⇄ paused; active | paused → closed', () => {
    expect(relationshipTransitions).toEqual({
      requested: { accept: 'active', decline: 'declined' },
      active: { pause: 'paused', close: 'closed' },
      paused: { resume: 'active', close: 'closed' },
      declined: {},
      closed: {},
    });
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(relationshipTransitions)).toBe(true);
    for (const status of relationshipStatuses) {
      expect(Object.isFrozen(relationshipTransitions[status])).toBe(true);
    }
  });

  it('lists what can happen next', () => {
    expect(allowedRelationshipEvents('requested')).toEqual(['accept', 'decline']);
    expect(allowedRelationshipEvents('active')).toEqual(['pause', 'close']);
    expect(allowedRelationshipEvents('paused')).toEqual(['resume', 'close']);
    expect(allowedRelationshipEvents('declined')).toEqual([]);
    expect(allowedRelationshipEvents('closed')).toEqual([]);
    expect(allowedRelationshipEvents('toString' as RelationshipStatus)).toEqual([]);
  });
});

describe('transitionRelationship', () => {
  it('follows the table for every status and event', () => {
    for (const status of relationshipStatuses) {
      for (const type of relationshipEventTypes) {
        const result = transitionRelationship(stateOf(status), eventOf(type));
        const next = relationshipTransitions[status][type];
        if (next === undefined) {
          expect(result.ok, `${status} + ${type}`).toBe(false);
        } else {
          expect(result, `${status} + ${type}`).toEqual({
            ok: true,
            state: next === 'closed' ? { status: next, reason: 'other' } : { status: next },
          });
        }
      }
    }
  });

  it('explains a change that is not possible', () => {
    expect(transitionRelationship({ status: 'requested' }, { type: 'pause' })).toEqual({
      ok: false,
      error: {
        code: 'not-allowed',
        message: "Can't pause a requested relationship — it can only be accepted or declined",
      },
    });
    expect(transitionRelationship({ status: 'paused' }, { type: 'pause' })).toEqual({
      ok: false,
      error: {
        code: 'not-allowed',
        message: "Can't pause a paused relationship — it can only be resumed or closed",
      },
    });
    expect(
      transitionRelationship({ status: 'closed', reason: 'goals-met' }, { type: 'resume' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'not-allowed',
        message: "Can't resume a closed relationship — it has ended",
      },
    });
    expect(
      transitionRelationship({ status: 'requested' }, { type: 'close', reason: 'member-left' }),
    ).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
  });

  it('closes with each reason, keeping a case id when given', () => {
    for (const reason of closeReasons) {
      if (reason === 'concern') continue;
      expect(transitionRelationship({ status: 'active' }, { type: 'close', reason })).toEqual({
        ok: true,
        state: { status: 'closed', reason },
      });
    }
    expect(
      transitionRelationship(
        { status: 'paused' },
        { type: 'close', reason: 'concern', safeguardingCaseId: caseId },
      ),
    ).toEqual({
      ok: true,
      state: { status: 'closed', reason: 'concern', safeguardingCaseId: caseId },
    });
    expect(
      transitionRelationship(
        { status: 'active' },
        { type: 'close', reason: 'member-left', safeguardingCaseId: caseId },
      ),
    ).toEqual({
      ok: true,
      state: { status: 'closed', reason: 'member-left', safeguardingCaseId: caseId },
    });
  });

  it('needs the safeguarding case to close for a concern', () => {
    expect(
      transitionRelationship({ status: 'active' }, {
        type: 'close',
        reason: 'concern',
      } as RelationshipEvent),
    ).toEqual({
      ok: false,
      error: {
        code: 'case-required',
        message: 'Closing because of a concern needs the safeguarding case id',
      },
    });
    expect(
      transitionRelationship(
        { status: 'active' },
        { type: 'close', reason: 'concern', safeguardingCaseId: 'case 12' },
      ),
    ).toEqual({
      ok: false,
      error: { code: 'invalid-case-id', message: 'Not a valid safeguarding case id' },
    });
  });

  it('needs a known reason to close, and a known event', () => {
    expect(
      transitionRelationship({ status: 'active' }, {
        type: 'close',
        reason: 'bored',
      } as unknown as RelationshipEvent),
    ).toEqual({
      ok: false,
      error: {
        code: 'reason-required',
        message:
          'Say why the relationship is closing: one of goals-met, member-left, mentor-left, concern, other',
      },
    });
    expect(
      transitionRelationship({ status: 'active' }, { type: 'close' } as RelationshipEvent),
    ).toMatchObject({ ok: false, error: { code: 'reason-required' } });
    expect(
      transitionRelationship({ status: 'active' }, {
        type: 'restart',
      } as unknown as RelationshipEvent),
    ).toEqual({ ok: false, error: { code: 'unknown-event', message: 'Unknown change "restart"' } });
    expect(
      transitionRelationship({ status: 'active' }, {
        type: 'constructor',
      } as unknown as RelationshipEvent),
    ).toMatchObject({ ok: false, error: { code: 'unknown-event' } });
  });

  it('never changes the state it is given', () => {
    const state: RelationshipState = Object.freeze({ status: 'active' });
    const result = transitionRelationship(state, { type: 'pause' });
    expect(state).toEqual({ status: 'active' });
    expect(result.ok && result.state).not.toBe(state);
  });

  it('ends every random walk in a final state only through decline or close', () => {
    let seed = 5;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let walk = 0; walk < 200; walk++) {
      let state: RelationshipState = { status: 'requested' };
      for (let step = 0; step < 12; step++) {
        const type = relationshipEventTypes[Math.floor(random() * relationshipEventTypes.length)]!;
        const result = transitionRelationship(state, eventOf(type));
        expect(result.ok).toBe(allowedRelationshipEvents(state.status).includes(type));
        if (!result.ok) continue;
        if (result.state.status === 'declined') expect(type).toBe('decline');
        if (result.state.status === 'closed') expect(type).toBe('close');
        state = result.state;
      }
    }
  });
});

describe('relationshipEventSchema', () => {
  const problems = (input: unknown) => {
    const result = relationshipEventSchema.safeParse(input);
    return result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts each event', () => {
    for (const type of ['accept', 'decline', 'pause', 'resume'] as const) {
      expect(relationshipEventSchema.parse({ type })).toEqual({ type });
    }
    expect(
      relationshipEventSchema.parse({
        type: 'close',
        reason: 'concern',
        safeguardingCaseId: caseId,
      }),
    ).toEqual({ type: 'close', reason: 'concern', safeguardingCaseId: caseId });
  });

  it('explains what is wrong', () => {
    expect(problems({ type: 'restart' })).toEqual([
      'type: Use one of accept, decline, pause, resume, close',
    ]);
    expect(problems({ type: 'close' })).toEqual([
      'reason: Say why the relationship is closing: one of goals-met, member-left, mentor-left, concern, other',
    ]);
    expect(problems({ type: 'close', reason: 'concern' })).toEqual([
      'safeguardingCaseId: Closing because of a concern needs the safeguarding case id',
    ]);
    expect(problems({ type: 'close', reason: 'other', safeguardingCaseId: '12' })).toEqual([
      'safeguardingCaseId: Not a valid safeguarding case id',
    ]);
    expect(problems({ type: 'pause', reason: 'exams' })).toEqual([': Unrecognized key: "reason"']);
  });
});
