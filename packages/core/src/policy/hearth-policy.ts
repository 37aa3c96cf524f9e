import { definePolicy } from './policy.js';

/**
 * The rules for Hearth's foundation: tenancy and identity. Platform admins run deployments but
 * get no tenant rights from that role, because they have no business reading a tenant's people.
 */
export const hearthPolicy = definePolicy({
  // Branding is shown on the sign-in page, before anyone has signed in.
  'tenancy.branding.read': [[{ public: true }]],
  'tenancy.config.read': [[{ role: ['org_admin'] }]],
  'tenancy.config.update': [[{ role: ['org_admin'] }]],
  'tenancy.config.history': [[{ role: ['org_admin'] }]],
  'tenancy.tenants.create': [[{ role: ['platform_admin'] }]],
  'identity.signUp': [[{ public: true }, { setting: 'identity.allowMemberSignUp', equals: true }]],
  'identity.signIn': [[{ public: true }]],
  // The invitation token is the credential; the invitee has no account yet.
  'identity.invitations.accept': [[{ public: true }]],
  'identity.signOut': [[{ signedIn: true }]],
  // Anyone may ask who they are; an anonymous visitor gets null.
  'identity.me': [[{ public: true }]],
  // Who may see whose profile is decided with the profile (themselves and staff).
  'identity.profile.get': [[{ signedIn: true }]],
  'identity.profile.updateAbout': [[{ signedIn: true }]],
  'identity.users.list': [[{ role: ['org_admin'] }]],
  'identity.users.disable': [[{ role: ['org_admin'] }]],
  'identity.invitations.create': [[{ role: ['org_admin'] }]],
  'identity.invitations.list': [[{ role: ['org_admin'] }]],
  'identity.invitations.revoke': [[{ role: ['org_admin'] }]],
  // Anyone who works with young people can raise a concern; members report instead.
  'safeguarding.concerns.raise': [
    [
      {
        role: [
          'mentor',
          'senior_mentor',
          'moderator',
          'safeguarding_lead',
          'practitioner',
          'org_admin',
        ],
      },
    ],
  ],
  // Whoever raised a concern sees its progress (never its notes).
  'safeguarding.concerns.status': [[{ owner: true }], [{ role: ['safeguarding_lead'] }]],
  'safeguarding.cases.list': [[{ role: ['safeguarding_lead'] }]],
  // A lead, and whoever a lead assigned the case to.
  'safeguarding.cases.get': [[{ role: ['safeguarding_lead'] }], [{ relationship: 'assignee' }]],
  // Also anyone alerted at the case's current step: "I have seen this and I am on it".
  'safeguarding.cases.acknowledge': [
    [{ role: ['safeguarding_lead'] }],
    [{ relationship: 'assignee' }],
    [{ relationship: 'responders' }],
  ],
  'safeguarding.cases.addNote': [[{ role: ['safeguarding_lead'] }], [{ relationship: 'assignee' }]],
  'safeguarding.cases.triage': [[{ role: ['safeguarding_lead'] }]],
  'safeguarding.cases.escalate': [
    [{ role: ['safeguarding_lead'] }],
    [{ relationship: 'assignee' }],
  ],
  'safeguarding.cases.recordSharing': [[{ role: ['safeguarding_lead'] }]],
  'safeguarding.cases.recordToldYoungPerson': [[{ role: ['safeguarding_lead'] }]],
  'safeguarding.cases.recordReferral': [[{ role: ['safeguarding_lead'] }]],
  'safeguarding.cases.close': [[{ role: ['safeguarding_lead'] }]],
  // Anyone signed in can report what they see, or a person.
  'safeguarding.reports.create': [[{ signedIn: true }]],
  'safeguarding.moderation.list': [[{ role: ['moderator', 'safeguarding_lead'] }]],
  'safeguarding.moderation.get': [[{ role: ['moderator', 'safeguarding_lead'] }]],
  'safeguarding.moderation.act': [[{ role: ['moderator', 'safeguarding_lead'] }]],
});

export type HearthAction = keyof typeof hearthPolicy;
