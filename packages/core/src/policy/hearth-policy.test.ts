import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Role, roles } from '../identity/roles.js';
import { parseTenantConfig } from '../tenancy/config.js';
import { type HearthAction, hearthPolicy } from './hearth-policy.js';
import { type Actor, can, evaluate } from './policy.js';

type Who = Role | 'anonymous';

const everyone: readonly Who[] = ['anonymous', ...roles];
const signedIn: readonly Who[] = roles;
const orgAdmins: readonly Who[] = ['org_admin'];
const platformAdmins: readonly Who[] = ['platform_admin'];

// Written out by hand rather than derived from the policy, so a change to a rule has to be
// made deliberately in both places.
const allowedWhenSignUpIsOpen: Record<HearthAction, readonly Who[]> = {
  'tenancy.branding.read': everyone,
  'tenancy.config.read': orgAdmins,
  'tenancy.config.update': orgAdmins,
  'tenancy.config.history': orgAdmins,
  'tenancy.tenants.create': platformAdmins,
  'identity.signUp': everyone,
  'identity.signIn': everyone,
  'identity.invitations.accept': everyone,
  'identity.signOut': signedIn,
  // Answers null for an anonymous visitor rather than refusing.
  'identity.me': everyone,
  'identity.users.list': orgAdmins,
  'identity.users.disable': orgAdmins,
  'identity.invitations.create': orgAdmins,
  'identity.invitations.list': orgAdmins,
  'identity.invitations.revoke': orgAdmins,
  // Mentors see their own profile and supervisors their supervisees', decided with the profile.
  'mentoring.profile.get': orgAdmins,
  'mentoring.profile.update': ['mentor'],
  'mentoring.vetting.update': orgAdmins,
  'mentoring.mentors.list': ['senior_mentor', 'org_admin'],
  // Only where members choose (this config has coordinators approve): see below.
  'mentoring.match.propose': [],
  'mentoring.match.request': ['member'],
  'mentoring.match.candidates': ['senior_mentor', 'org_admin'],
  // The chosen mentor may accept or decline, and the member withdraw, per relationship.
  'mentoring.match.approve': ['senior_mentor', 'org_admin'],
  'mentoring.match.decline': ['senior_mentor', 'org_admin'],
  'mentoring.relationships.list': ['member', 'mentor', 'senior_mentor', 'org_admin'],
  'mentoring.relationships.get': orgAdmins,
  'mentoring.relationships.transition': orgAdmins,
  'mentoring.supervision.record': [],
  'mentoring.supervision.list': [],
  'safeguarding.concerns.raise': [
    'mentor',
    'senior_mentor',
    'moderator',
    'safeguarding_lead',
    'practitioner',
    'org_admin',
  ],
  // Without the case in hand only the lead is allowed; the raiser is allowed on their own case.
  'safeguarding.concerns.status': ['safeguarding_lead'],
  'safeguarding.cases.list': ['safeguarding_lead'],
  // Assignees and (to acknowledge) those alerted at the current step are allowed per case.
  'safeguarding.cases.get': ['safeguarding_lead'],
  'safeguarding.cases.acknowledge': ['safeguarding_lead'],
  'safeguarding.cases.addNote': ['safeguarding_lead'],
  'safeguarding.cases.triage': ['safeguarding_lead'],
  'safeguarding.cases.escalate': ['safeguarding_lead'],
  'safeguarding.cases.recordSharing': ['safeguarding_lead'],
  'safeguarding.cases.recordToldYoungPerson': ['safeguarding_lead'],
  'safeguarding.cases.recordReferral': ['safeguarding_lead'],
  'safeguarding.cases.close': ['safeguarding_lead'],
  'safeguarding.reports.create': signedIn,
  'safeguarding.moderation.list': ['moderator', 'safeguarding_lead'],
  'safeguarding.moderation.get': ['moderator', 'safeguarding_lead'],
  'safeguarding.moderation.act': ['moderator', 'safeguarding_lead'],
  // Whose profile someone may see is decided with the profile in hand.
  'identity.profile.get': signedIn,
  'identity.profile.updateAbout': signedIn,
  // Conversations answer only to those in them; that is checked with the conversation.
  'messaging.conversations.list': signedIn,
  'messaging.conversations.openDirect': ['member', 'mentor'],
  'messaging.conversations.createGroup': [
    'senior_mentor',
    'moderator',
    'practitioner',
    'org_admin',
  ],
  'messaging.conversations.receipts': signedIn,
  // Senior mentors only for the mentors they supervise, decided with the conversation.
  'messaging.conversations.oversee': ['safeguarding_lead'],
  'messaging.messages.send': signedIn,
  'messaging.messages.list': signedIn,
  'messaging.messages.markRead': signedIn,
  'messaging.messages.live': signedIn,
};

const openConfig = parseTenantConfig({ displayName: 'Future You' });
const closedConfig = parseTenantConfig({
  displayName: 'Future You',
  identity: { allowMemberSignUp: false },
});

function actorFor(who: Who): Actor | null {
  return who === 'anonymous' ? null : { userId: `u_${who}`, tenantId: 't_1', roles: [who] };
}

const actions = Object.keys(allowedWhenSignUpIsOpen) as HearthAction[];
const cases = actions.flatMap((action) =>
  everyone.map((who) => ({ action, who, allowed: allowedWhenSignUpIsOpen[action].includes(who) })),
);

describe('hearthPolicy', () => {
  it('defines exactly the foundation actions', () => {
    expect(Object.keys(hearthPolicy).sort()).toEqual([...actions].sort());
    expectTypeOf<HearthAction>().toEqualTypeOf<keyof typeof allowedWhenSignUpIsOpen>();
  });

  it('is frozen, so it cannot be loosened at run time', () => {
    expect(Object.isFrozen(hearthPolicy)).toBe(true);
    expect(Object.isFrozen(hearthPolicy['tenancy.config.update'][0]?.[0])).toBe(true);
  });

  it.each(cases)('$action for $who: $allowed', ({ action, who, allowed }) => {
    const decision = evaluate(hearthPolicy, action, { actor: actorFor(who), config: openConfig });
    expect(decision.allowed).toBe(allowed);
  });

  it.each(everyone)('with member sign-up closed, %s cannot sign up', (who) => {
    expect(
      can(hearthPolicy, 'identity.signUp', { actor: actorFor(who), config: closedConfig }),
    ).toBe(false);
  });

  it('denies sign-up when the tenant config is not supplied', () => {
    expect(evaluate(hearthPolicy, 'identity.signUp', { actor: null })).toEqual({
      allowed: false,
      reason:
        '"identity.signUp" denied: alternative 0 needs setting identity.allowMemberSignUp = true',
    });
  });

  it('gives platform admins no tenant rights through their role', () => {
    const platformAdmin = actorFor('platform_admin');
    for (const action of ['tenancy.config.read', 'identity.users.list'] as const) {
      expect(can(hearthPolicy, action, { actor: platformAdmin, config: openConfig })).toBe(false);
    }
  });

  it('lets a case’s assignee, and whoever is alerted at its step, act on that case only', () => {
    const mentor = actorFor('mentor');
    const onCase = (relationships: Record<string, readonly string[]>) => ({
      actor: mentor,
      config: openConfig,
      resource: { relationships },
    });
    const assigned = onCase({ assignee: ['u_mentor'], responders: [] });
    const alerted = onCase({ assignee: [], responders: ['u_mentor'] });
    const neither = onCase({ assignee: ['u_other'], responders: [] });
    expect(can(hearthPolicy, 'safeguarding.cases.get', assigned)).toBe(true);
    expect(can(hearthPolicy, 'safeguarding.cases.addNote', assigned)).toBe(true);
    expect(can(hearthPolicy, 'safeguarding.cases.escalate', assigned)).toBe(true);
    expect(can(hearthPolicy, 'safeguarding.cases.acknowledge', alerted)).toBe(true);
    // Being alerted is enough to say "I am on it", not to read the case.
    expect(can(hearthPolicy, 'safeguarding.cases.get', alerted)).toBe(false);
    for (const action of [
      'safeguarding.cases.get',
      'safeguarding.cases.acknowledge',
      'safeguarding.cases.addNote',
    ] as const) {
      expect(can(hearthPolicy, action, neither)).toBe(false);
    }
    // Decisions stay with leads even for the assignee.
    for (const action of [
      'safeguarding.cases.triage',
      'safeguarding.cases.close',
      'safeguarding.cases.recordReferral',
      'safeguarding.cases.recordSharing',
    ] as const) {
      expect(can(hearthPolicy, action, assigned)).toBe(false);
    }
  });

  it('shows members mentor proposals only where members choose', () => {
    const choosing = parseTenantConfig({
      displayName: 'Future You',
      mentoring: { matching: 'member-chooses' },
    });
    for (const who of everyone) {
      expect(
        can(hearthPolicy, 'mentoring.match.propose', { actor: actorFor(who), config: choosing }),
        who,
      ).toBe(who === 'member');
    }
    expect(
      can(hearthPolicy, 'mentoring.match.propose', {
        actor: actorFor('member'),
        config: openConfig,
      }),
    ).toBe(false);
  });

  it('lets the people around a mentoring relationship act on it, and no one else', () => {
    const on = (who: Who, relationships: Record<string, readonly string[]>, ownerId = 'u_x') => ({
      actor: actorFor(who),
      config: openConfig,
      resource: { ownerId, relationships },
    });
    const none = { mentor: [], supervisor: [], coordinators: [] };
    // The member (owner) and the mentor.
    expect(can(hearthPolicy, 'mentoring.relationships.get', on('member', none, 'u_member'))).toBe(
      true,
    );
    expect(
      can(hearthPolicy, 'mentoring.relationships.transition', on('member', none, 'u_member')),
    ).toBe(true);
    expect(can(hearthPolicy, 'mentoring.match.decline', on('member', none, 'u_member'))).toBe(true);
    expect(can(hearthPolicy, 'mentoring.match.approve', on('member', none, 'u_member'))).toBe(
      false,
    );
    const mentorOf = on('mentor', { ...none, mentor: ['u_mentor'] });
    for (const action of [
      'mentoring.relationships.get',
      'mentoring.relationships.transition',
      'mentoring.match.approve',
      'mentoring.match.decline',
    ] as const) {
      expect(can(hearthPolicy, action, mentorOf), action).toBe(true);
      expect(can(hearthPolicy, action, on('mentor', none)), action).toBe(false);
    }
    // The supervisor sees and steers the relationship, and does not approve it as supervisor.
    const supervisorOf = on('senior_mentor', { ...none, supervisor: ['u_senior_mentor'] });
    expect(can(hearthPolicy, 'mentoring.relationships.get', supervisorOf)).toBe(true);
    expect(can(hearthPolicy, 'mentoring.relationships.transition', supervisorOf)).toBe(true);
    expect(can(hearthPolicy, 'mentoring.supervision.record', supervisorOf)).toBe(true);
    expect(can(hearthPolicy, 'mentoring.supervision.list', supervisorOf)).toBe(true);
    expect(can(hearthPolicy, 'mentoring.profile.get', supervisorOf)).toBe(true);
    expect(can(hearthPolicy, 'mentoring.supervision.record', on('senior_mentor', none))).toBe(
      false,
    );
    expect(can(hearthPolicy, 'mentoring.relationships.get', on('senior_mentor', none))).toBe(false);
    // Coordinators see a relationship while it waits for its match.
    const waiting = on('senior_mentor', { ...none, coordinators: ['u_senior_mentor'] });
    expect(can(hearthPolicy, 'mentoring.relationships.get', waiting)).toBe(true);
    expect(can(hearthPolicy, 'mentoring.relationships.transition', waiting)).toBe(false);
    // Being named as supervisor or coordinator is not enough without the role.
    const mentorAsSupervisor = on('mentor', {
      ...none,
      supervisor: ['u_mentor'],
      coordinators: ['u_mentor'],
    });
    expect(can(hearthPolicy, 'mentoring.relationships.get', mentorAsSupervisor)).toBe(false);
    expect(can(hearthPolicy, 'mentoring.supervision.list', mentorAsSupervisor)).toBe(false);
    // A mentor's own profile.
    expect(can(hearthPolicy, 'mentoring.profile.get', on('mentor', none, 'u_mentor'))).toBe(true);
    expect(can(hearthPolicy, 'mentoring.profile.get', on('mentor', none, 'u_other'))).toBe(false);
  });

  it('grants an actor with several roles what any one of them grants', () => {
    const both: Actor = { userId: 'u_1', tenantId: 't_1', roles: ['mentor', 'org_admin'] };
    expect(can(hearthPolicy, 'identity.invitations.create', { actor: both })).toBe(true);
    expect(can(hearthPolicy, 'tenancy.tenants.create', { actor: both })).toBe(false);
  });
});
