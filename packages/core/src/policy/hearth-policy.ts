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
  'safeguarding.cases.get': [[{ role: ['safeguarding_lead'] }]],
  'safeguarding.cases.acknowledge': [[{ role: ['safeguarding_lead'] }]],
});

export type HearthAction = keyof typeof hearthPolicy;
