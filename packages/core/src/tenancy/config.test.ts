import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { defaultEnglishRiskRules } from '../safeguarding/default-rules.en.js';
import { defaultFontFamily } from './branding.js';
import {
  getSetting,
  parseTenantConfig,
  type TenantConfig,
  type TenantConfigInput,
  tenantConfigSchema,
} from './config.js';
import { defaultTerminology, term, termKeys } from './terms.js';

const minimal = { displayName: 'Future You' } satisfies TenantConfigInput;

/** Every problem with `input` as `path: message`, to assert on exactly what an admin is told. */
function problemsWith(input: unknown): string[] {
  const result = tenantConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map(
    (issue: z.core.$ZodIssue) => `${issue.path.join('.')}: ${issue.message}`,
  );
}

function withBranding(branding: Record<string, unknown>) {
  return { ...minimal, branding };
}

describe('tenantConfigSchema defaults', () => {
  it('fills in every default from just a display name', () => {
    expect(parseTenantConfig(minimal)).toEqual({
      displayName: 'Future You',
      branding: {
        colors: {
          primary: '#5b2a86',
          onPrimary: '#ffffff',
          accent: '#f4a259',
          background: '#ffffff',
          surface: '#f5f3f7',
          text: '#1f1a24',
          danger: '#b3261e',
        },
        radius: 8,
        fontFamily: defaultFontFamily,
      },
      terminology: {},
      defaultLocale: 'en-GB',
      locales: ['en-GB'],
      timeZone: 'Europe/London',
      capabilities: ['identity', 'tenancy'],
      helplines: [],
      quickExitUrl: 'https://www.bbc.co.uk/weather',
      safeguardingContacts: [],
      identity: {
        allowMemberSignUp: true,
        memberAgeBands: ['under-13', '13-15', '16-17', '18-21', '22-25', '26-plus'],
        sessionIdleMinutes: 30,
        sessionAbsoluteHours: 12,
        inviteExpiryDays: 7,
      },
      safeguarding: {
        moderation: {
          bySeverity: {
            info: 'publish',
            low: 'publish',
            medium: 'publish_and_flag',
            high: 'hold',
            critical: 'hold',
          },
          rules: [
            {
              category: 'personal_details',
              under18: true,
              action: 'block',
              explanation:
                "To keep you safe, please don't share contact details here — like phone numbers, addresses, your school or social media names.",
            },
          ],
          crisisSeverity: 'high',
          caseSeverity: 'high',
        },
        rules: {},
        ladder: [
          {
            id: 'mentor',
            name: 'Mentor',
            roles: ['mentor'],
            acknowledgeWithinMinutes: { critical: 15, high: 60, medium: 240 },
            external: false,
          },
          {
            id: 'senior-mentor',
            name: 'Senior mentor',
            roles: ['senior_mentor'],
            acknowledgeWithinMinutes: { critical: 15, high: 60, medium: 480 },
            external: false,
          },
          {
            id: 'safeguarding-lead',
            name: 'Safeguarding lead',
            roles: ['safeguarding_lead'],
            acknowledgeWithinMinutes: { critical: 30, high: 120, medium: 1440 },
            external: false,
          },
          {
            id: 'external',
            name: 'External agency',
            roles: ['safeguarding_lead', 'org_admin'],
            acknowledgeWithinMinutes: {},
            external: true,
          },
        ],
      },
      mentoring: {
        matching: 'coordinator-approves',
        proposals: 5,
        trainingValidityMonths: 24,
        quietHours: { start: '21:00', end: '08:00' },
        maxMenteesDefault: 2,
        weights: { help: 30, interests: 25, language: 10, availability: 25, capacity: 10 },
      },
    } satisfies TenantConfig);
  });

  it('treats an empty branding object like a missing one', () => {
    expect(parseTenantConfig(withBranding({})).branding).toEqual(
      parseTenantConfig(minimal).branding,
    );
    expect(parseTenantConfig(withBranding({ colors: {} })).branding.colors.primary).toBe('#5b2a86');
  });

  it('does not share default arrays between parsed configs', () => {
    const first = parseTenantConfig(minimal);
    first.capabilities.push('goals');
    first.identity.memberAgeBands.pop();
    const second = parseTenantConfig(minimal);
    expect(second.capabilities).toEqual(['identity', 'tenancy']);
    expect(second.identity.memberAgeBands).toHaveLength(6);
  });

  it('accepts a full configuration and normalises what it can', () => {
    const config = parseTenantConfig({
      displayName: '  Future You ',
      shortName: 'FY',
      branding: {
        logoUrl: 'https://cdn.example.org/future-you/logo.svg',
        colors: { primary: '#ABC', text: '#1A2B3C' },
        radius: 0,
        fontFamily: '"Atkinson Hyperlegible", Arial, sans-serif',
      },
      terminology: { mentor: { singular: 'buddy', plural: 'buddies' } },
      defaultLocale: 'cy-gb',
      locales: ['en-gb', 'cy-GB'],
      timeZone: 'Europe/London',
      capabilities: ['identity', 'tenancy', 'mentoring', 'messaging', 'safeguarding'],
      helplines: [
        {
          name: 'Shout',
          description: 'Free, confidential text support, 24/7',
          sms: { number: '85258', keyword: 'SHOUT' },
          url: 'https://giveusashout.org',
        },
        { name: 'Childline', phone: '0800 1111', hours: '24 hours a day' },
      ],
      safeguardingContacts: [
        { name: 'Sam Patel', role: 'Designated safeguarding lead', email: 'Sam@Example.org ' },
      ],
      identity: { allowMemberSignUp: false, memberAgeBands: ['13-15', '16-17'] },
    });
    expect(config.displayName).toBe('Future You');
    expect(config.branding.colors).toMatchObject({ primary: '#abc', text: '#1a2b3c' });
    expect(config.branding.radius).toBe(0);
    expect(config.locales).toEqual(['en-GB', 'cy-GB']);
    expect(config.defaultLocale).toBe('cy-GB');
    expect(config.safeguardingContacts[0]?.email).toBe('sam@example.org');
    expect(config.identity).toEqual({
      allowMemberSignUp: false,
      memberAgeBands: ['13-15', '16-17'],
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      inviteExpiryDays: 7,
    });
  });

  it('accepts a logo served from the same site', () => {
    expect(parseTenantConfig(withBranding({ logoUrl: '/brand/logo.svg' })).branding.logoUrl).toBe(
      '/brand/logo.svg',
    );
  });
});

describe('tenantConfigSchema rejects', () => {
  it('a missing display name, and non-objects', () => {
    expect(problemsWith({})).toEqual(['displayName: Must be text']);
    expect(problemsWith(null)).toHaveLength(1);
    expect(() => parseTenantConfig('Future You')).toThrow();
  });

  it('unknown keys at every level', () => {
    expect(problemsWith({ ...minimal, theme: 'dark' })).toEqual([': Unrecognized key: "theme"']);
    expect(problemsWith(withBranding({ colours: {} }))).toEqual([
      'branding: Unrecognized key: "colours"',
    ]);
    expect(problemsWith(withBranding({ colors: { link: '#000' } }))).toEqual([
      'branding.colors: Unrecognized key: "link"',
    ]);
    expect(
      problemsWith({ ...minimal, terminology: { volunteer: { singular: 'v', plural: 'vs' } } }),
    ).toEqual(['terminology: Unrecognized key: "volunteer"']);
    expect(problemsWith({ ...minimal, identity: { allowSignUp: true } })).toEqual([
      'identity: Unrecognized key: "allowSignUp"',
    ]);
    expect(
      problemsWith({
        ...minimal,
        helplines: [{ name: 'Shout', phone: '85258', email: 'x@y.org' }],
      }),
    ).toEqual(['helplines.0: Unrecognized key: "email"']);
  });

  it.each([
    'red',
    '#12345',
    '#1234567',
    '#ggg',
    '123456',
    '#1234',
    'rgb(0,0,0)',
    'var(--x)',
  ])('the colour %j', (colour) => {
    expect(problemsWith(withBranding({ colors: { primary: colour } }))).toEqual([
      'branding.colors.primary: Colours must be a hex code like #1a2b3c or #abc',
    ]);
  });

  it.each([
    [
      'x); background:url(evil)',
      'Font family can only use letters, numbers, spaces, commas, quotes and dashes',
    ],
    [
      'Arial; color: red',
      'Font family can only use letters, numbers, spaces, commas, quotes and dashes',
    ],
    [
      'Arial</style><script>',
      'Font family can only use letters, numbers, spaces, commas, quotes and dashes',
    ],
    [
      'Arial /* comment */',
      'Font family can only use letters, numbers, spaces, commas, quotes and dashes',
    ],
    [
      '"Arial',
      'Font family must be a comma-separated list of font names, each in matching quotes or none',
    ],
    [
      '"Arial\', serif',
      'Font family must be a comma-separated list of font names, each in matching quotes or none',
    ],
    [
      'Arial,, serif',
      'Font family must be a comma-separated list of font names, each in matching quotes or none',
    ],
    [
      'a"b"',
      'Font family must be a comma-separated list of font names, each in matching quotes or none',
    ],
    ['a'.repeat(201), 'Font family must be at most 200 characters'],
  ])('the font family %j', (fontFamily, message) => {
    expect(problemsWith(withBranding({ fontFamily }))).toEqual([`branding.fontFamily: ${message}`]);
  });

  const unsafeUrlMessage =
    "Logo URL can't contain spaces, quotes, parentheses, backslashes or other characters that aren't safe in a web address";
  const logoLocationMessage =
    'Logo URL must start with https:// or be a path starting with a single /';

  it.each([
    ['x); background:url(evil)', unsafeUrlMessage],
    ['https://evil.example/x.png"); background: url("https://evil.example/y', unsafeUrlMessage],
    ["/logo.png') ; x: url('", unsafeUrlMessage],
    ['/logo.png\\";x', unsafeUrlMessage],
    ['/logo one.png', unsafeUrlMessage],
    ['/logo.png;color:red', unsafeUrlMessage],
    ['/x<style>', unsafeUrlMessage],
    ['http://example.org/logo.png', logoLocationMessage],
    ['javascript:alert(1)', unsafeUrlMessage],
    ['data:image/svg+xml,abc', logoLocationMessage],
    ['//evil.example/logo.png', logoLocationMessage],
    ['logo.png', logoLocationMessage],
    ['https://trusted.example@evil.example/logo.png', logoLocationMessage],
    [`/${'a'.repeat(2048)}`, 'Logo URL must be at most 2048 characters'],
  ])('the logo URL %j', (logoUrl, message) => {
    expect(problemsWith(withBranding({ logoUrl }))).toEqual([`branding.logoUrl: ${message}`]);
  });

  it.each([-1, 33, Number.NaN, Number.POSITIVE_INFINITY, '8px'])('the radius %j', (radius) => {
    expect(problemsWith(withBranding({ radius }))).toHaveLength(1);
    expect(problemsWith(withBranding({ radius }))[0]).toMatch(/^branding\.radius: Radius must be/);
  });

  it.each([
    'javascript:alert(1)',
    'http://www.bbc.co.uk/weather',
    'https://trusted.example@evil.example/',
    '/weather',
  ])('a Quick Exit address that is not an https web address: %j', (quickExitUrl) => {
    expect(problemsWith({ ...minimal, quickExitUrl })).toEqual([
      'quickExitUrl: Must be a web address starting with https://',
    ]);
  });

  it('an unknown capability, naming it and the known ones', () => {
    expect(problemsWith({ ...minimal, capabilities: ['identity', 'tenancy', 'chat'] })).toEqual([
      'capabilities.2: Unknown capability "chat" — expected one of identity, tenancy, mentoring, messaging, safeguarding, goals, journal, outcomes, community, directory, network, privacy',
    ]);
  });

  it('capabilities without identity or tenancy', () => {
    expect(problemsWith({ ...minimal, capabilities: ['tenancy', 'mentoring'] })).toEqual([
      'capabilities: Capabilities must include "identity"',
    ]);
    expect(problemsWith({ ...minimal, capabilities: [] })).toEqual([
      'capabilities: Capabilities must include "identity"',
      'capabilities: Capabilities must include "tenancy"',
    ]);
  });

  it('a capability listed twice', () => {
    expect(
      problemsWith({ ...minimal, capabilities: ['identity', 'tenancy', 'goals', 'goals'] }),
    ).toEqual(['capabilities: Capability "goals" is listed more than once']);
  });

  it.each([
    'Mars/Olympus_Mons',
    'London',
    '',
    'Europe/London ',
    'GMT+25',
  ])('the time zone %j', (timeZone) => {
    expect(problemsWith({ ...minimal, timeZone })).toEqual([
      'timeZone: Not a time zone — use a name like Europe/London',
    ]);
  });

  it('accepts real time zones however they are cased', () => {
    expect(parseTenantConfig({ ...minimal, timeZone: 'America/New_York' }).timeZone).toBe(
      'America/New_York',
    );
    expect(parseTenantConfig({ ...minimal, timeZone: 'UTC' }).timeZone).toBe('UTC');
  });

  it.each(['en_GB', 'en-', 'e', '', '12-34'])('the locale %j', (locale) => {
    expect(problemsWith({ ...minimal, defaultLocale: locale, locales: [locale] })).toEqual([
      `defaultLocale: ${JSON.stringify(locale)} is not a locale — use a language tag like en-GB or cy`,
      `locales.0: ${JSON.stringify(locale)} is not a locale — use a language tag like en-GB or cy`,
    ]);
  });

  it('a default locale that is not offered', () => {
    expect(problemsWith({ ...minimal, defaultLocale: 'cy' })).toEqual([
      'defaultLocale: The default locale must be one of the listed locales',
    ]);
    expect(problemsWith({ ...minimal, locales: ['cy'] })).toEqual([
      'defaultLocale: The default locale must be one of the listed locales',
    ]);
  });

  it('no locales, or the same locale twice', () => {
    expect(problemsWith({ ...minimal, locales: [] })).toContain(
      'locales: List at least one locale',
    );
    expect(problemsWith({ ...minimal, locales: ['en-GB', 'en-gb'] })).toEqual([
      'locales: Each locale can only be listed once',
    ]);
  });

  it('a helpline nobody can contact', () => {
    expect(problemsWith({ ...minimal, helplines: [{ name: 'Childline' }] })).toEqual([
      'helplines.0: Each helpline needs a phone number, an SMS number or a website',
    ]);
  });

  it('bad helpline details', () => {
    expect(
      problemsWith({
        ...minimal,
        helplines: [
          { name: 'A', phone: 'call us' },
          { name: 'B', url: 'http://example.org' },
          { name: 'C', sms: { keyword: 'HELP' } },
        ],
      }),
    ).toEqual([
      'helplines.0.phone: Phone numbers can only use digits, spaces and + ( ) -, up to 20 characters',
      'helplines.1.url: Must be a web address starting with https://',
      'helplines.2.sms.number: Phone numbers must be text',
    ]);
  });

  it('too many helplines or safeguarding contacts', () => {
    const helpline = { name: 'Childline', phone: '0800 1111' };
    expect(problemsWith({ ...minimal, helplines: Array(11).fill(helpline) })).toEqual([
      'helplines: List at most 10 helplines',
    ]);
    const contact = { name: 'Sam', role: 'DSL' };
    expect(problemsWith({ ...minimal, safeguardingContacts: Array(21).fill(contact) })).toEqual([
      'safeguardingContacts: List at most 20 safeguarding contacts',
    ]);
  });

  it('a safeguarding contact with a bad email', () => {
    expect(
      problemsWith({
        ...minimal,
        safeguardingContacts: [{ name: 'Sam', role: 'DSL', email: 'sam' }],
      }),
    ).toEqual(['safeguardingContacts.0.email: Enter an email address like name@example.org']);
  });

  it('oversized strings, naming the limit', () => {
    expect(problemsWith({ displayName: 'x'.repeat(81) })).toEqual([
      'displayName: Must be at most 80 characters',
    ]);
    expect(problemsWith({ ...minimal, shortName: 'x'.repeat(25) })).toEqual([
      'shortName: Must be at most 24 characters',
    ]);
    expect(
      problemsWith({
        ...minimal,
        terminology: { member: { singular: 'x'.repeat(41), plural: 'xs' } },
      }),
    ).toEqual(['terminology.member.singular: Must be at most 40 characters']);
    expect(
      problemsWith({
        ...minimal,
        helplines: [{ name: 'A', phone: '999', description: 'x'.repeat(301) }],
      }),
    ).toEqual(['helplines.0.description: Must be at most 300 characters']);
  });

  it.each([
    ['zero-width space', 'Future\u200BYou', "Can't contain invisible characters"],
    ['byte order mark', 'Future\uFEFFYou', "Can't contain invisible characters"],
    [
      'right-to-left override',
      'Future \u202EuoY',
      "Can't contain characters that change the direction of text",
    ],
    ['isolate', 'Future \u2067You', "Can't contain characters that change the direction of text"],
    [
      'control character',
      'Future\u0007You',
      "Can't contain line breaks, tabs or hidden control characters",
    ],
    ['line break', 'Future\nYou', "Can't contain line breaks, tabs or hidden control characters"],
  ])('a display name with a %s', (_, displayName, message) => {
    expect(problemsWith({ displayName })).toEqual([`displayName: ${message}`]);
  });

  it('identity settings out of range', () => {
    expect(
      problemsWith({
        ...minimal,
        identity: {
          allowMemberSignUp: 'yes',
          memberAgeBands: [],
          sessionIdleMinutes: 4,
          sessionAbsoluteHours: 1.5,
          inviteExpiryDays: 31,
        },
      }),
    ).toEqual([
      'identity.allowMemberSignUp: Must be true or false',
      'identity.memberAgeBands: List at least one age band',
      'identity.sessionIdleMinutes: Must be a whole number from 5 to 1440',
      'identity.sessionAbsoluteHours: Must be a whole number from 1 to 720',
      'identity.inviteExpiryDays: Must be a whole number from 1 to 30',
    ]);
    expect(problemsWith({ ...minimal, identity: { memberAgeBands: ['16-17', '16-17'] } })).toEqual([
      'identity.memberAgeBands: Each age band can only be listed once',
    ]);
    expect(problemsWith({ ...minimal, identity: { memberAgeBands: ['adult'] } })).toHaveLength(1);
  });
});

describe('term', () => {
  const config = parseTenantConfig({
    ...minimal,
    terminology: {
      member: { singular: 'young person', plural: 'young people' },
      mentor: { singular: 'buddy', plural: 'buddies' },
    },
  });

  it('uses the tenant’s names where it has them', () => {
    expect(term(config, 'member')).toBe('young person');
    expect(term(config, 'member', { plural: true })).toBe('young people');
    expect(term(config, 'mentor', { plural: true, capitalize: true })).toBe('Buddies');
  });

  it('falls back to Hearth’s names', () => {
    expect(term(config, 'orgAdmin')).toBe('organisation admin');
    expect(term(config, 'safeguardingLead', { plural: true, capitalize: true })).toBe(
      'Safeguarding leads',
    );
    expect(term({ terminology: {} }, 'seniorMentor', { capitalize: true })).toBe('Senior mentor');
  });

  it('has a default for every term key', () => {
    for (const key of termKeys) {
      expect(term({ terminology: {} }, key)).toBe(defaultTerminology[key].singular);
      expect(term({ terminology: {} }, key, { plural: true })).toBe(defaultTerminology[key].plural);
    }
  });

  it('capitalises only a leading lower-case letter', () => {
    const custom = { terminology: { mentor: { singular: 'éclaireur', plural: '1-to-1s' } } };
    expect(term(custom, 'mentor', { capitalize: true })).toBe('Éclaireur');
    expect(term(custom, 'mentor', { plural: true, capitalize: true })).toBe('1-to-1s');
  });

  it('cannot be changed by mutating the defaults', () => {
    expect(Object.isFrozen(defaultTerminology)).toBe(true);
    expect(Object.isFrozen(defaultTerminology.member)).toBe(true);
  });
});

describe('getSetting', () => {
  const config = parseTenantConfig({ ...minimal, identity: { allowMemberSignUp: false } });

  it('reads dotted paths', () => {
    expect(getSetting(config, 'identity.allowMemberSignUp')).toBe(false);
    expect(getSetting(config, 'identity.sessionIdleMinutes')).toBe(30);
    expect(getSetting(config, 'branding.colors.primary')).toBe('#5b2a86');
    expect(getSetting(config, 'displayName')).toBe('Future You');
    expect(getSetting(config, 'capabilities.0')).toBe('identity');
  });

  it('returns undefined for missing segments', () => {
    expect(getSetting(config, 'identity.nope')).toBeUndefined();
    expect(getSetting(config, 'nope.deeper')).toBeUndefined();
    expect(getSetting(config, 'displayName.length')).toBeUndefined();
    expect(getSetting(config, '')).toBeUndefined();
    expect(getSetting(config, 'identity.')).toBeUndefined();
    expect(getSetting(config, 'branding.logoUrl')).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(getSetting(config, 'constructor')).toBeUndefined();
    expect(getSetting(config, '__proto__')).toBeUndefined();
    expect(getSetting(config, 'identity.constructor.name')).toBeUndefined();
    expect(getSetting(config, 'toString')).toBeUndefined();
    expect(getSetting(config, 'identity.hasOwnProperty')).toBeUndefined();
  });
});

describe('safeguarding settings', () => {
  it("refuses changes to risk rules that Hearth's rule set does not have", () => {
    const result = tenantConfigSchema.safeParse({
      ...minimal,
      safeguarding: {
        rules: { disable: ['en.nope.nothing'], regrade: { 'en.also.nothing': 'low' } },
      },
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['safeguarding.rules', 'disable: unknown rule id en.nope.nothing'],
      ['safeguarding.rules', 'regrade: unknown rule id en.also.nothing'],
    ]);
  });

  it('accepts re-grading and switching off rules that exist', () => {
    const config = parseTenantConfig({
      ...minimal,
      safeguarding: { rules: { regrade: { [defaultEnglishRiskRules[0]!.id]: 'critical' } } },
    });
    expect(config.safeguarding.rules.regrade).toEqual({
      [defaultEnglishRiskRules[0]!.id]: 'critical',
    });
  });
});

describe('mentoring settings', () => {
  it('keeps what a tenant sets and fills in the rest', () => {
    const config = parseTenantConfig({
      ...minimal,
      mentoring: {
        matching: 'member-chooses',
        quietHours: { start: '22:30' },
        weights: { availability: 0 },
      },
    });
    expect(config.mentoring).toEqual({
      matching: 'member-chooses',
      proposals: 5,
      trainingValidityMonths: 24,
      quietHours: { start: '22:30', end: '08:00' },
      maxMenteesDefault: 2,
      weights: { help: 30, interests: 25, language: 10, availability: 0, capacity: 10 },
    });
    expect(getSetting(config, 'mentoring.matching')).toBe('member-chooses');
  });

  it('explains each mistake', () => {
    expect(
      problemsWith({
        ...minimal,
        mentoring: {
          matching: 'automatic',
          proposals: 0,
          trainingValidityMonths: 1.5,
          quietHours: { start: '9pm', end: '24:00' },
          maxMenteesDefault: 21,
          weights: { help: -1, luck: 5 },
        },
      }),
    ).toEqual([
      'mentoring.matching: Use one of coordinator-approves, member-chooses',
      'mentoring.proposals: Must be a whole number from 1 to 20',
      'mentoring.trainingValidityMonths: Must be a whole number from 1 to 120',
      'mentoring.quietHours.start: Use a 24-hour time like 08:00 or 21:30',
      'mentoring.quietHours.end: Use a 24-hour time like 08:00 or 21:30',
      'mentoring.maxMenteesDefault: Must be a whole number from 1 to 20',
      'mentoring.weights.help: Must be a whole number from 0 to 100',
      'mentoring.weights: Unrecognized key: "luck"',
    ]);
    expect(problemsWith({ ...minimal, mentoring: { autoMatch: true } })).toEqual([
      'mentoring: Unrecognized key: "autoMatch"',
    ]);
  });

  it('refuses quiet hours that start when they end, and weights that are all 0', () => {
    expect(
      problemsWith({
        ...minimal,
        mentoring: {
          quietHours: { start: '08:00', end: '08:00' },
          weights: { help: 0, interests: 0, language: 0, availability: 0, capacity: 0 },
        },
      }),
    ).toEqual([
      'mentoring.quietHours.end: Quiet hours must start and end at different times',
      'mentoring.weights: Give at least one factor a weight above 0',
    ]);
  });
});
