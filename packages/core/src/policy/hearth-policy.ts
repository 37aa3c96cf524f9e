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
  // A mentor's profile: themselves, the senior mentor who supervises them, and org admins.
  'mentoring.profile.get': [
    [{ role: ['org_admin'] }],
    [{ owner: true }],
    [{ role: ['senior_mentor'] }, { relationship: 'supervisor' }],
  ],
  // What a mentor offers is theirs to say; their vetting is not.
  'mentoring.profile.update': [[{ role: ['mentor'] }]],
  // Background checks and training are the organisation's record, kept by its admins.
  'mentoring.vetting.update': [[{ role: ['org_admin'] }]],
  // Admins see every mentor, flagged when they may not be matched; senior mentors, supervisees.
  'mentoring.mentors.list': [[{ role: ['org_admin', 'senior_mentor'] }]],
  // Members see proposals only where they choose their mentor themselves.
  'mentoring.match.propose': [
    [{ role: ['member'] }, { setting: 'mentoring.matching', equals: 'member-chooses' }],
  ],
  'mentoring.match.request': [[{ role: ['member'] }]],
  // Coordinators: senior mentors and org admins.
  'mentoring.match.candidates': [[{ role: ['senior_mentor', 'org_admin'] }]],
  // A coordinator, or the mentor the member chose.
  'mentoring.match.approve': [
    [{ role: ['senior_mentor', 'org_admin'] }],
    [{ role: ['mentor'] }, { relationship: 'mentor' }],
  ],
  // Also the member, withdrawing their own request.
  'mentoring.match.decline': [
    [{ role: ['senior_mentor', 'org_admin'] }],
    [{ role: ['mentor'] }, { relationship: 'mentor' }],
    [{ owner: true }],
  ],
  // Each sees the relationships they may: their own, their supervisees', or (admins) all.
  'mentoring.relationships.list': [[{ role: ['member', 'mentor', 'senior_mentor', 'org_admin'] }]],
  // The member, the mentor, the mentor's supervisor, org admins, and coordinators while the
  // relationship waits for a match.
  'mentoring.relationships.get': [
    [{ role: ['org_admin'] }],
    [{ owner: true }],
    [{ relationship: 'mentor' }],
    [{ role: ['senior_mentor'] }, { relationship: 'supervisor' }],
    [{ role: ['senior_mentor'] }, { relationship: 'coordinators' }],
  ],
  // Pause, resume and close: the two people in it, the mentor's supervisor, and org admins.
  'mentoring.relationships.transition': [
    [{ role: ['org_admin'] }],
    [{ owner: true }],
    [{ relationship: 'mentor' }],
    [{ role: ['senior_mentor'] }, { relationship: 'supervisor' }],
  ],
  // Supervision notes are between a senior mentor and the mentors they supervise.
  'mentoring.supervision.record': [[{ role: ['senior_mentor'] }, { relationship: 'supervisor' }]],
  'mentoring.supervision.list': [[{ role: ['senior_mentor'] }, { relationship: 'supervisor' }]],
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
  // Conversations answer only to those in them; the service checks membership.
  'messaging.conversations.list': [[{ signedIn: true }]],
  'messaging.conversations.openDirect': [[{ role: ['member', 'mentor'] }]],
  'messaging.conversations.createGroup': [
    [{ role: ['moderator', 'senior_mentor', 'practitioner', 'org_admin'] }],
  ],
  'messaging.conversations.receipts': [[{ signedIn: true }]],
  // A lead, or the senior mentor supervising the conversation's mentor; every read audited.
  'messaging.conversations.oversee': [
    [{ role: ['safeguarding_lead'] }],
    [{ role: ['senior_mentor'] }, { relationship: 'supervisor' }],
  ],
  'messaging.messages.send': [[{ signedIn: true }]],
  'messaging.messages.list': [[{ signedIn: true }]],
  'messaging.messages.markRead': [[{ signedIn: true }]],
  'messaging.messages.live': [[{ signedIn: true }]],
  // Anyone signed in can report what they see, or a person.
  'safeguarding.reports.create': [[{ signedIn: true }]],
  'safeguarding.moderation.list': [[{ role: ['moderator', 'safeguarding_lead'] }]],
  'safeguarding.moderation.get': [[{ role: ['moderator', 'safeguarding_lead'] }]],
  'safeguarding.moderation.act': [[{ role: ['moderator', 'safeguarding_lead'] }]],
});

export type HearthAction = keyof typeof hearthPolicy;
