import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseTenantConfig } from '../tenancy/config.js';
import {
  type ActionOf,
  type Actor,
  type Condition,
  can,
  definePolicy,
  evaluate,
  mergePolicies,
  type Policy,
  type PolicyContext,
} from './policy.js';

const member: Actor = { userId: 'u_member', tenantId: 't_1', roles: ['member'] };
const mentor: Actor = { userId: 'u_mentor', tenantId: 't_1', roles: ['mentor'] };
const admin: Actor = { userId: 'u_admin', tenantId: 't_1', roles: ['org_admin'] };
const config = parseTenantConfig({ displayName: 'Future You' });
const closedConfig = parseTenantConfig({
  displayName: 'Future You',
  identity: { allowMemberSignUp: false },
});

const policy = definePolicy({
  'open.read': [[{ public: true }]],
  'account.read': [[{ signedIn: true }]],
  'admin.do': [[{ role: ['org_admin', 'platform_admin'] }]],
  'goal.edit': [[{ owner: true }], [{ relationship: 'mentors' }, { role: ['mentor'] }]],
  'signUp.do': [[{ public: true }, { setting: 'identity.allowMemberSignUp', equals: true }]],
  'staff.signUp': [[{ signedIn: true }, { setting: 'identity.allowMemberSignUp', equals: true }]],
  'nobody.do': [],
});

describe('evaluate', () => {
  it('grants public actions to everyone, anonymous included', () => {
    expect(evaluate(policy, 'open.read', { actor: null })).toEqual({
      allowed: true,
      reason: '"open.read" granted by alternative 0 (public)',
    });
    expect(can(policy, 'open.read', { actor: member })).toBe(true);
  });

  it('denies an unknown action', () => {
    expect(evaluate(policy, 'open.write', { actor: admin })).toEqual({
      allowed: false,
      reason: '"open.write" is not an action of this policy',
    });
  });

  it.each([
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    '',
  ])('denies the inherited or empty name %j', (action) => {
    expect(can(policy, action, { actor: admin })).toBe(false);
  });

  it('denies an empty rule', () => {
    expect(evaluate(policy, 'nobody.do', { actor: admin })).toEqual({
      allowed: false,
      reason: '"nobody.do" has no rule that grants',
    });
  });

  it('denies an empty alternative (in a policy that bypassed definePolicy)', () => {
    const raw: Policy = { 'x.do': [[]], 'y.do': [[], [{ public: true }]] };
    expect(evaluate(raw, 'x.do', { actor: admin })).toEqual({
      allowed: false,
      reason: '"x.do" denied: alternative 0 is empty',
    });
    expect(evaluate(raw, 'y.do', { actor: null }).allowed).toBe(true);
  });

  it('denies a role condition that lists no roles', () => {
    const raw: Policy = { 'x.do': [[{ role: [] }]] };
    for (const actor of [member, mentor, admin, null]) {
      expect(can(raw, 'x.do', { actor })).toBe(false);
    }
  });

  it('grants a role condition to an actor holding any listed role', () => {
    expect(can(policy, 'admin.do', { actor: admin })).toBe(true);
    expect(
      can(policy, 'admin.do', { actor: { ...member, roles: ['member', 'platform_admin'] } }),
    ).toBe(true);
    expect(evaluate(policy, 'admin.do', { actor: mentor })).toEqual({
      allowed: false,
      reason: '"admin.do" denied: alternative 0 needs role org_admin or platform_admin',
    });
    expect(can(policy, 'admin.do', { actor: { ...admin, roles: [] } })).toBe(false);
  });

  it('requires a signed-in actor for signedIn', () => {
    expect(can(policy, 'account.read', { actor: member })).toBe(true);
    expect(evaluate(policy, 'account.read', { actor: null })).toEqual({
      allowed: false,
      reason: '"account.read" denied: alternative 0 needs signed in',
    });
  });

  describe('owner and relationship', () => {
    it('grants the owner', () => {
      expect(
        evaluate(policy, 'goal.edit', { actor: member, resource: { ownerId: 'u_member' } }),
      ).toEqual({ allowed: true, reason: '"goal.edit" granted by alternative 0 (owner)' });
    });

    it('denies owner without a resource or owner id', () => {
      expect(can(policy, 'goal.edit', { actor: member })).toBe(false);
      expect(can(policy, 'goal.edit', { actor: member, resource: {} })).toBe(false);
      expect(can(policy, 'goal.edit', { actor: member, resource: { ownerId: 'u_other' } })).toBe(
        false,
      );
    });

    it('never matches an empty user id to an empty owner id', () => {
      const nobody: Actor = { userId: '', tenantId: 't_1', roles: ['member'] };
      expect(can(policy, 'goal.edit', { actor: nobody, resource: { ownerId: '' } })).toBe(false);
    });

    it('grants a related actor only when every condition of the alternative holds', () => {
      const resource = { ownerId: 'u_member', relationships: { mentors: ['u_mentor'] } };
      expect(evaluate(policy, 'goal.edit', { actor: mentor, resource })).toEqual({
        allowed: true,
        reason: '"goal.edit" granted by alternative 1 (relationship "mentors" and role mentor)',
      });
      // In the relationship but without the mentor role.
      const formerMentor: Actor = { ...mentor, roles: ['member'] };
      expect(evaluate(policy, 'goal.edit', { actor: formerMentor, resource })).toEqual({
        allowed: false,
        reason: '"goal.edit" denied: alternative 0 needs owner; alternative 1 needs role mentor',
      });
    });

    it('denies a relationship that is missing, inherited or not a list', () => {
      const other: Actor = { ...mentor, userId: 'u_other' };
      const cases: PolicyContext['resource'][] = [
        undefined,
        {},
        { relationships: {} },
        { relationships: { carers: ['u_mentor'] } },
        { relationships: { mentors: [] } },
        { relationships: { mentors: 'u_mentor' as unknown as string[] } },
      ];
      for (const resource of cases) {
        expect(can(policy, 'goal.edit', { actor: mentor, resource })).toBe(false);
      }
      expect(
        can(policy, 'goal.edit', {
          actor: other,
          resource: { relationships: { mentors: ['u_mentor'] } },
        }),
      ).toBe(false);
      const inherited: Policy = { 'x.do': [[{ relationship: 'constructor' }]] };
      expect(can(inherited, 'x.do', { actor: mentor, resource: { relationships: {} } })).toBe(
        false,
      );
    });
  });

  it.each([
    ['owner', 'goal.edit', { ownerId: 'u_member' }],
    ['relationship', 'goal.edit', { relationships: { mentors: [''] } }],
    ['signedIn', 'account.read', undefined],
    ['role', 'admin.do', undefined],
  ] as const)('fails %s for an anonymous actor', (_, action, resource) => {
    expect(can(policy, action, { actor: null, resource, config })).toBe(false);
  });

  describe('setting', () => {
    it('grants when the setting equals the value, even for anonymous actors', () => {
      expect(evaluate(policy, 'signUp.do', { actor: null, config })).toEqual({
        allowed: true,
        reason:
          '"signUp.do" granted by alternative 0 (public and setting identity.allowMemberSignUp = true)',
      });
    });

    it('denies when the setting differs', () => {
      expect(evaluate(policy, 'signUp.do', { actor: null, config: closedConfig })).toEqual({
        allowed: false,
        reason: '"signUp.do" denied: alternative 0 needs setting identity.allowMemberSignUp = true',
      });
    });

    it('denies without a config', () => {
      expect(can(policy, 'signUp.do', { actor: member })).toBe(false);
    });

    it('compares strictly and never follows inherited properties', () => {
      const raw: Policy = {
        'a.do': [[{ setting: 'identity.sessionIdleMinutes', equals: '30' }]],
        'b.do': [[{ setting: 'identity.sessionIdleMinutes', equals: 30 }]],
        'c.do': [[{ setting: 'constructor.name', equals: 'Object' }]],
        'd.do': [[{ setting: 'identity.missing', equals: false }]],
      };
      expect(can(raw, 'a.do', { actor: admin, config })).toBe(false);
      expect(can(raw, 'b.do', { actor: admin, config })).toBe(true);
      expect(can(raw, 'c.do', { actor: admin, config })).toBe(false);
      expect(can(raw, 'd.do', { actor: admin, config })).toBe(false);
    });

    it('still needs the other conditions of its alternative', () => {
      expect(can(policy, 'staff.signUp', { actor: null, config })).toBe(false);
      expect(can(policy, 'staff.signUp', { actor: admin, config })).toBe(true);
    });
  });

  describe('never throws', () => {
    const hostile: [string, unknown, unknown, unknown][] = [
      ['a null policy', null, 'x', { actor: admin }],
      ['a string policy', 'policy', 'x', { actor: admin }],
      ['a symbol action', policy, Symbol('x'), { actor: admin }],
      ['a number action', policy, 42, { actor: admin }],
      ['a null context', policy, 'account.read', null],
      ['an undefined context', policy, 'account.read', undefined],
      ['an actor without roles', policy, 'admin.do', { actor: { userId: 'u', tenantId: 't' } }],
      ['an actor that is a string', policy, 'account.read', { actor: 'admin' }],
      ['a rule that is not a list', { 'x.do': 'everyone' }, 'x.do', { actor: admin }],
      [
        'an alternative that is not a list',
        { 'x.do': [{ public: true }] },
        'x.do',
        { actor: admin },
      ],
      ['a null condition', { 'x.do': [[null]] }, 'x.do', { actor: admin }],
      [
        'a condition of two kinds',
        { 'x.do': [[{ public: true, owner: true }]] },
        'x.do',
        { actor: null },
      ],
      [
        'a condition with an unknown key',
        { 'x.do': [[{ public: true, when: 1 }]] },
        'x.do',
        { actor: null },
      ],
      ['a false public condition', { 'x.do': [[{ public: false }]] }, 'x.do', { actor: null }],
      [
        'a role that is not a list',
        { 'x.do': [[{ role: 'org_admin' }]] },
        'x.do',
        { actor: admin },
      ],
      [
        'a throwing getter',
        {
          get 'x.do'() {
            throw new Error('boom');
          },
        },
        'x.do',
        { actor: admin },
      ],
      [
        'a proxy that throws',
        new Proxy(
          {},
          {
            getOwnPropertyDescriptor() {
              throw new Error('boom');
            },
          },
        ),
        'x.do',
        { actor: admin },
      ],
    ];

    it.each(hostile)('and denies for %s', (_, hostilePolicy, action, ctx) => {
      const decision = evaluate(hostilePolicy as Policy, action as string, ctx as PolicyContext);
      expect(decision.allowed).toBe(false);
      expect(typeof decision.reason).toBe('string');
    });
  });
});

describe('definePolicy', () => {
  it('returns the same policy, frozen all the way down', () => {
    const input = { 'x.do': [[{ role: ['mentor'] }]] } as const;
    const defined = definePolicy(input);
    expect(defined).toBe(input);
    expect(Object.isFrozen(defined)).toBe(true);
    expect(Object.isFrozen(defined['x.do'][0])).toBe(true);
    expect(Object.isFrozen(defined['x.do'][0]?.[0]?.role)).toBe(true);
  });

  it('accepts an empty rule, which denies everyone', () => {
    expect(() => definePolicy({ 'x.do': [] })).not.toThrow();
  });

  it.each([
    [
      'an empty alternative',
      { 'x.do': [[{ public: true }], []] },
      'Policy action "x.do", alternative 1: is empty; an empty alternative grants nothing (use an empty rule [] to deny everyone)',
    ],
    [
      'a condition with no kind',
      { 'x.do': [[{}]] },
      'Policy action "x.do", alternative 0, condition 0: names no condition (expected one of public, signedIn, role, owner, relationship, setting)',
    ],
    [
      'a condition with several kinds',
      { 'x.do': [[{ signedIn: true, role: ['mentor'] }]] },
      'Policy action "x.do", alternative 0, condition 0: names several conditions (signedIn, role); list them as separate conditions of the alternative',
    ],
    [
      'a condition with an unknown key',
      { 'x.do': [[{ signedIn: true }, { rol: ['mentor'] }]] },
      'Policy action "x.do", alternative 0, condition 1: has unknown key(s) rol',
    ],
    [
      'equals without setting',
      { 'x.do': [[{ owner: true, equals: true }]] },
      'Policy action "x.do", alternative 0, condition 0: "equals" only goes with "setting"',
    ],
    [
      'setting without equals',
      { 'x.do': [[{ setting: 'identity.allowMemberSignUp' }]] },
      'Policy action "x.do", alternative 0, condition 0: "setting" needs "equals" with a string, number or boolean',
    ],
    [
      'an empty setting path',
      { 'x.do': [[{ setting: '', equals: true }]] },
      'Policy action "x.do", alternative 0, condition 0: "setting" must be a dotted path',
    ],
    [
      'public: false',
      { 'x.do': [[{ public: false }]] },
      'Policy action "x.do", alternative 0, condition 0: "public" must be true',
    ],
    [
      'an empty role list',
      { 'x.do': [[{ role: [] }]] },
      'Policy action "x.do", alternative 0, condition 0: "role" lists no roles, so it can never hold (use an empty rule to deny everyone)',
    ],
    [
      'an unknown role',
      { 'x.do': [[{ role: ['admin'] }]] },
      'Policy action "x.do", alternative 0, condition 0: "role" names an unknown role "admin"',
    ],
    [
      'an empty relationship name',
      { 'x.do': [[{ relationship: '' }]] },
      'Policy action "x.do", alternative 0, condition 0: "relationship" must name a relationship',
    ],
    [
      'a rule that is not a list',
      { 'x.do': { public: true } },
      'Policy action "x.do": the rule must be a list of alternatives',
    ],
    [
      'an alternative that is not a list',
      { 'x.do': [{ public: true }] },
      'Policy action "x.do", alternative 0: must be a list of conditions',
    ],
    [
      'a condition that is not an object',
      { 'x.do': [['public']] },
      'Policy action "x.do", alternative 0, condition 0: is not an object',
    ],
    ['an unnamed action', { '': [[{ public: true }]] }, 'Policy actions must have a name'],
  ])('throws on %s', (_, input, message) => {
    expect(() => definePolicy(input as never)).toThrow(message);
  });

  it('rejects mixed conditions at compile time too', () => {
    // @ts-expect-error a condition names exactly one kind
    const mixed: Condition = { public: true, role: ['mentor'] };
    // @ts-expect-error roles are checked against the known roles
    const unknownRole: Condition = { role: ['admin'] };
    expect([mixed, unknownRole]).toHaveLength(2);
  });

  it('keeps action names as literal types', () => {
    expectTypeOf<ActionOf<typeof policy>>().toEqualTypeOf<
      | 'open.read'
      | 'account.read'
      | 'admin.do'
      | 'goal.edit'
      | 'signUp.do'
      | 'staff.signUp'
      | 'nobody.do'
    >();
  });
});

describe('mergePolicies', () => {
  const goals = definePolicy({ 'goals.read': [[{ owner: true }]] });
  const journal = definePolicy({ 'journal.read': [[{ owner: true }]], 'journal.delete': [] });

  it('combines the actions of every policy', () => {
    const merged = mergePolicies(goals, journal);
    expect(Object.keys(merged)).toEqual(['goals.read', 'journal.read', 'journal.delete']);
    expect(can(merged, 'journal.read', { actor: member, resource: { ownerId: 'u_member' } })).toBe(
      true,
    );
    expect(Object.isFrozen(merged)).toBe(true);
    expectTypeOf<ActionOf<typeof merged>>().toEqualTypeOf<
      'goals.read' | 'journal.read' | 'journal.delete'
    >();
  });

  it('throws when two policies define the same action', () => {
    expect(() => mergePolicies(goals, journal, { 'goals.read': [[{ public: true }]] })).toThrow(
      'Policy action "goals.read" is defined by more than one policy',
    );
  });

  it('validates policies that did not come from definePolicy', () => {
    expect(() => mergePolicies(goals, { 'x.do': [[]] })).toThrow(
      'Policy action "x.do", alternative 0: is empty',
    );
  });

  it('keeps an action named __proto__ as an own action rather than a prototype', () => {
    const odd = JSON.parse('{"__proto__": [[{"public": true}]]}') as Policy;
    const merged = mergePolicies(odd);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(can(merged, '__proto__', { actor: null })).toBe(true);
  });

  it('returns an empty policy for no policies', () => {
    expect(mergePolicies()).toEqual({});
  });
});

describe('resourcePending', () => {
  const rules = definePolicy({
    read: [[{ owner: true }], [{ relationship: 'mentors' }, { role: ['mentor'] }]],
    staffOnly: [[{ role: ['org_admin'] }]],
  });
  const member: Actor = { userId: 'u1', tenantId: 't1', roles: ['member'] };
  const mentor: Actor = { userId: 'u2', tenantId: 't1', roles: ['mentor'] };

  it('treats resource conditions as possible for a signed-in actor, and only those', () => {
    expect(evaluate(rules, 'read', { actor: member }).allowed).toBe(false);
    expect(evaluate(rules, 'read', { actor: member }, { resourcePending: true }).allowed).toBe(
      true,
    );
    expect(evaluate(rules, 'read', { actor: null }, { resourcePending: true }).allowed).toBe(false);
    // The other conditions of an alternative still have to hold.
    expect(evaluate(rules, 'staffOnly', { actor: member }, { resourcePending: true }).allowed).toBe(
      false,
    );
  });

  it('is decided for real once the resource is given', () => {
    expect(evaluate(rules, 'read', { actor: member, resource: { ownerId: 'u9' } }).allowed).toBe(
      false,
    );
    expect(
      evaluate(rules, 'read', { actor: mentor, resource: { relationships: { mentors: ['u2'] } } })
        .allowed,
    ).toBe(true);
  });
});
