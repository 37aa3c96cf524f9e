import type { RiskCategory, RiskSeverity, Role, TermKey, TermOptions } from '@hearth/core';

/** Risk categories in the words staff use. */
export const categoryLabels: Record<RiskCategory, string> = {
  suicide_self_harm: 'Suicide or self-harm',
  abuse_neglect: 'Abuse or neglect',
  sexual_exploitation_grooming: 'Sexual exploitation or grooming',
  bullying_threats: 'Bullying or threats',
  personal_details: 'Personal details',
  offensive_language: 'Offensive language',
};

export const severityLabels: Record<RiskSeverity, string> = {
  info: 'Information',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

/** Why an item is in the moderation queue. */
export const queueReasonLabels: Record<string, string> = {
  held: 'Held by the safety rules',
  flagged: 'Flagged by the safety rules',
  reported: 'Reported',
};

/** What a moderator can do, as a choice and as something that was done. */
export const moderationActionLabels: Record<string, { choice: string; done: string }> = {
  hold: { choice: 'Hold it — hide it until someone decides', done: 'Held' },
  release: { choice: 'Release it — let people see it again', done: 'Released' },
  remove: { choice: 'Remove it for good', done: 'Removed' },
  warn: { choice: 'Warn the writer — send them a message', done: 'Warned the writer' },
  dismiss: { choice: 'Dismiss — nothing needs doing', done: 'Dismissed' },
  flag: { choice: 'Flag', done: 'Flagged by the safety rules' },
};

export const visibilityLabels: Record<string, string> = {
  visible: 'Others can see it',
  held: 'Hidden until someone decides',
  removed: 'Removed',
};

/** Hearth's own kinds of content; an app's own kinds fall back to their id. */
const contentKindLabels: Record<string, string> = {
  'identity.user': 'A person',
  'identity.profile.about': 'Profile “about me”',
  'messaging.message': 'Message',
  'mentoring.request': 'What a member wrote when asking for a mentor',
};

export function contentKindLabel(kind: string): string {
  return contentKindLabels[kind] ?? kind;
}

export const caseStatusLabels: Record<string, string> = {
  open: 'Waiting to be picked up',
  acknowledged: 'Being handled',
  closed: 'Closed',
};

export const caseSourceLabels: Record<string, string> = {
  concern: 'a concern raised by staff',
  signal: 'something someone wrote',
  report: 'a report',
};

export const sharingRecipientLabels = {
  parent_carer: 'Parent or carer',
  school: 'School',
  police: 'Police',
  childrens_social_care: "Children's social care",
  adult_social_care: 'Adult social care',
  health: 'Health services',
  other_agency: 'Another agency',
} as const;

export const referralAgencyLabels = {
  police: 'Police',
  childrens_social_care: "Children's social care",
  adult_social_care: 'Adult social care',
  camhs: 'CAMHS',
  gp_health: 'GP or health service',
  school: 'School',
  other: 'Another agency',
} as const;

export const toldMethodLabels = {
  in_person: 'In person',
  phone: 'By phone',
  message: 'By message',
  letter: 'By letter',
} as const;

export const caseOutcomeLabels = {
  no_further_action: 'No further action',
  support_provided: 'Support provided',
  referred: 'Referred to another agency',
  concern_unfounded: 'The concern was unfounded',
  transferred: 'Transferred to another organisation',
  other: 'Something else',
} as const;

const roleTerms: Partial<Record<Role, TermKey>> = {
  member: 'member',
  mentor: 'mentor',
  senior_mentor: 'seniorMentor',
  moderator: 'moderator',
  safeguarding_lead: 'safeguardingLead',
  practitioner: 'practitioner',
  org_admin: 'orgAdmin',
};

/** A role in this organisation's own words (`t` from `useTerm`). */
export function roleLabel(
  role: Role,
  t: (key: TermKey, options?: TermOptions) => string,
  options?: TermOptions,
): string {
  const key = roleTerms[role];
  if (key) return t(key, options);
  return options?.capitalize ? 'Platform admin' : 'platform admin';
}

/** Looks up a label, falling back to the raw value with underscores as spaces. */
export function labelOf(labels: Record<string, string>, value: string): string {
  return labels[value] ?? value.replaceAll('_', ' ');
}
