import type { AgeBand, TenantConfigInput } from '@hearth/core';

/**
 * The demo organisations. A charity adopting this template changes this file (or, once
 * running, the configuration screens): names, colours, words and helplines are data.
 */
export interface DemoTenant {
  slug: string;
  domains: string[];
  config: TenantConfigInput;
  /** Demo accounts, all with DEMO_PASSWORD. */
  accounts: {
    username: string;
    roles: (
      | 'member'
      | 'mentor'
      | 'senior_mentor'
      | 'moderator'
      | 'safeguarding_lead'
      | 'org_admin'
    )[];
    ageBand?: '13-15' | '16-17' | '18-21';
    displayName?: string;
    email?: string;
    /** For mentors: what they offer and who they are cleared to mentor (vetted as in date). */
    mentor?: {
      skills: string[];
      interests: string[];
      languages: string[];
      capacity: number;
      clearedAgeBands: AgeBand[];
    };
  }[];
}

export const DEMO_PASSWORD = 'hearth-demo-password';

const ukHelplines: TenantConfigInput['helplines'] = [
  {
    name: 'Childline',
    description: 'Free, private and confidential help for anyone under 19.',
    phone: '0800 1111',
    url: 'https://www.childline.org.uk',
    hours: 'Any time, day or night',
  },
  {
    name: 'Shout',
    description: 'Text support when you are struggling to cope.',
    sms: { number: '85258', keyword: 'SHOUT' },
    hours: 'Any time, day or night',
  },
  {
    name: 'Samaritans',
    description: 'Someone to talk to, whatever you are going through.',
    phone: '116 123',
    url: 'https://www.samaritans.org',
  },
];

export const demoTenants: DemoTenant[] = [
  {
    slug: 'future-you',
    domains: ['localhost', '127.0.0.1'],
    config: {
      displayName: 'Future You',
      shortName: 'Future You',
      branding: {
        colors: {
          primary: '#5b2a86',
          onPrimary: '#ffffff',
          accent: '#f4a300',
          background: '#faf7fc',
          surface: '#ffffff',
          text: '#1f1a24',
        },
        radius: 12,
      },
      terminology: {},
      capabilities: ['identity', 'tenancy', 'mentoring', 'messaging', 'safeguarding'],
      helplines: ukHelplines,
      identity: { memberAgeBands: ['13-15', '16-17', '18-21', '22-25'] },
      // Members choose from the proposed mentors, and the mentor accepts.
      mentoring: { matching: 'member-chooses' },
      safeguardingContacts: [
        {
          name: 'Sam Patel',
          role: 'Designated safeguarding lead',
          email: 'dsl@future-you.example.org',
        },
      ],
    },
    accounts: [
      {
        username: 'fy_admin',
        roles: ['org_admin'],
        displayName: 'Alex Admin',
        email: 'admin@future-you.example.org',
      },
      {
        username: 'fy_dsl',
        roles: ['safeguarding_lead'],
        displayName: 'Sam Patel',
        email: 'dsl@future-you.example.org',
      },
      {
        username: 'fy_moderator',
        roles: ['moderator'],
        displayName: 'Mo Moderator',
        email: 'moderation@future-you.example.org',
      },
      {
        username: 'fy_mentor',
        roles: ['mentor'],
        displayName: 'Jo Mentor',
        email: 'jo@future-you.example.org',
        mentor: {
          skills: ['confidence', 'school', 'friendships'],
          interests: ['music', 'football', 'drawing'],
          languages: ['en'],
          capacity: 5,
          clearedAgeBands: ['13-15', '16-17', '18-21'],
        },
      },
      {
        username: 'fy_mentor2',
        roles: ['mentor'],
        displayName: 'Priya Mentor',
        email: 'priya@future-you.example.org',
        mentor: {
          skills: ['exams', 'anxiety', 'college applications'],
          interests: ['gaming', 'reading', 'baking'],
          languages: ['en', 'pa'],
          capacity: 3,
          clearedAgeBands: ['16-17', '18-21', '22-25'],
        },
      },
      { username: 'fy_member', roles: ['member'], ageBand: '16-17' },
    ],
  },
  {
    slug: 'northside-buddies',
    domains: ['second.localhost'],
    config: {
      displayName: 'Northside Buddies',
      shortName: 'Buddies',
      branding: {
        colors: {
          primary: '#00695c',
          onPrimary: '#ffffff',
          accent: '#ff7043',
          background: '#f3faf8',
          surface: '#ffffff',
          text: '#10302b',
        },
        radius: 4,
        fontFamily: 'Georgia, serif',
      },
      terminology: {
        member: { singular: 'young person', plural: 'young people' },
        mentor: { singular: 'buddy', plural: 'buddies' },
      },
      capabilities: ['identity', 'tenancy', 'mentoring', 'messaging', 'safeguarding'],
      helplines: ukHelplines,
      identity: { memberAgeBands: ['13-15', '16-17'] },
      // A coordinator (the admin, or a senior mentor) chooses each young person's buddy.
      mentoring: { matching: 'coordinator-approves' },
    },
    accounts: [
      {
        username: 'nb_admin',
        roles: ['org_admin'],
        displayName: 'Nia Admin',
        email: 'admin@northside.example.org',
      },
      {
        username: 'nb_dsl',
        roles: ['safeguarding_lead'],
        displayName: 'Dev Lead',
        email: 'dsl@northside.example.org',
      },
      {
        username: 'nb_buddy',
        roles: ['mentor'],
        displayName: 'Ben Buddy',
        email: 'ben@northside.example.org',
        mentor: {
          skills: ['confidence', 'bullying'],
          interests: ['skateboarding', 'music'],
          languages: ['en'],
          capacity: 4,
          clearedAgeBands: ['13-15', '16-17'],
        },
      },
      { username: 'nb_member', roles: ['member'], ageBand: '13-15' },
    ],
  },
];
