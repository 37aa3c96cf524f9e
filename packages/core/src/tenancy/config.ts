import { z } from 'zod';
import { emailSchema } from '../identity/fields.js';
import { ageBandSchema, ageBands } from '../identity/roles.js';
import { languageTagSchema } from '../language-tag.js';
import { mentoringSettingsSchema } from '../mentoring/settings.js';
import { defaultEnglishRiskRules } from '../safeguarding/default-rules.en.js';
import { escalationLadderSchema } from '../safeguarding/escalation.js';
import { moderationPolicySchema } from '../safeguarding/moderation.js';
import { buildRuleSet, riskRuleOverridesSchema } from '../safeguarding/rules.js';
import { safeText } from '../text.js';
import { httpsUrlSchema, phoneNumberSchema } from './addresses.js';
import { brandingSchema } from './branding.js';

/**
 * Every capability Hearth knows. A capability has this name in every package: its config,
 * tables, routes and policy actions all start with it.
 */
export const capabilityIds = [
  'identity',
  'tenancy',
  'mentoring',
  'messaging',
  'safeguarding',
  'goals',
  'journal',
  'outcomes',
  'community',
  'directory',
  'network',
  'privacy',
] as const;
export type CapabilityId = (typeof capabilityIds)[number];
export const capabilityIdSchema = z.enum(capabilityIds, {
  error: (issue) =>
    `Unknown capability ${JSON.stringify(issue.input)} — expected one of ${capabilityIds.join(', ')}`,
});

// Without these a tenant has no way in and no way to be configured.
const requiredCapabilities = ['identity', 'tenancy'] as const satisfies readonly CapabilityId[];

const termSchema = z.strictObject({
  /** @example 'buddy' */
  singular: safeText({ max: 40 }),
  /** @example 'buddies' */
  plural: safeText({ max: 40 }),
});

// Canonicalising makes 'en-gb' and 'en-GB' the same locale when checking `defaultLocale`.
const localeSchema = languageTagSchema(
  'Locales',
  (value) => `${JSON.stringify(value)} is not a locale — use a language tag like en-GB or cy`,
);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function duplicatesIn(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

function wholeNumber(min: number, max: number) {
  const error = `Must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const helplineSchema = z
  .strictObject({
    /** @example 'Childline' */
    name: safeText({ max: 80 }),
    /** @example 'Free, confidential support for anyone under 19' */
    description: safeText({ max: 300 }).optional(),
    /** @example '0800 1111' */
    phone: phoneNumberSchema.optional(),
    /** @example { number: '85258', keyword: 'SHOUT' } */
    sms: z
      .strictObject({
        number: phoneNumberSchema,
        /** The word to text, when the service needs one. */
        keyword: safeText({ max: 20 }).optional(),
      })
      .optional(),
    /** @example 'https://www.childline.org.uk' */
    url: httpsUrlSchema.optional(),
    /** @example '24 hours a day, every day' */
    hours: safeText({ max: 80 }).optional(),
  })
  .refine(
    (helpline) =>
      helpline.phone !== undefined || helpline.sms !== undefined || helpline.url !== undefined,
    {
      error: 'Each helpline needs a phone number, an SMS number or a website',
    },
  );
export type Helpline = z.output<typeof helplineSchema>;

const safeguardingContactSchema = z.strictObject({
  /** @example 'Sam Patel' */
  name: safeText({ max: 80 }),
  /** @example 'Designated safeguarding lead' */
  role: safeText({ max: 80 }),
  email: emailSchema.optional(),
  phone: phoneNumberSchema.optional(),
});
export type SafeguardingContact = z.output<typeof safeguardingContactSchema>;

const identitySettingsSchema = z
  .strictObject({
    /**
     * Whether young people can create their own accounts. Turn off for services where staff
     * invite every member.
     * @default true
     */
    allowMemberSignUp: z.boolean({ error: 'Must be true or false' }).default(true),
    /**
     * The age bands a member may choose at sign-up; a service for 13–17s lists only those.
     * @default every band
     * @example ['13-15', '16-17']
     */
    memberAgeBands: z
      .array(ageBandSchema)
      .min(1, { error: 'List at least one age band' })
      .refine((bands) => duplicatesIn(bands).length === 0, {
        error: 'Each age band can only be listed once',
      })
      .default(() => [...ageBands]),
    /**
     * Minutes without activity before someone is signed out. Short by default because members
     * often use shared or family devices.
     * @default 30
     */
    sessionIdleMinutes: wholeNumber(5, 1440).default(30),
    /**
     * Hours after signing in when a session ends however active it is.
     * @default 12
     */
    sessionAbsoluteHours: wholeNumber(1, 720).default(12),
    /**
     * Days an invitation link stays valid.
     * @default 7
     */
    inviteExpiryDays: wholeNumber(1, 30).default(7),
  })
  .prefault({});

/** The safeguarding section: moderation policy, changes to the risk rules, escalation ladder. */
const safeguardingSettingsSchema = z
  .strictObject({
    moderation: moderationPolicySchema.prefault({}),
    /** Changes to Hearth's default risk rules. @default {} */
    rules: riskRuleOverridesSchema.prefault({}).check((ctx) => {
      // The schema checks each rule; only applying the changes to Hearth's own rules finds an
      // unknown id to disable or re-grade, or an added id that clashes with one of Hearth's.
      try {
        buildRuleSet(defaultEnglishRiskRules, ctx.value);
      } catch (error) {
        const lines = String((error as Error).message)
          .split('\n- ')
          .slice(1);
        for (const message of lines.length > 0 ? lines : [String(error)]) {
          ctx.issues.push({ code: 'custom', input: ctx.value, message });
        }
      }
    }),
    ladder: escalationLadderSchema,
  })
  .prefault({});

/**
 * A tenant's configuration: everything that makes one organisation's service its own. Tenants
 * are data, not releases. Objects are strict so a misspelt or unsupported key fails when the
 * config is saved, instead of being silently ignored.
 *
 * @example
 * parseTenantConfig({
 *   displayName: 'Future You',
 *   capabilities: ['identity', 'tenancy', 'mentoring', 'messaging', 'safeguarding'],
 *   terminology: { mentor: { singular: 'buddy', plural: 'buddies' } },
 *   helplines: [{ name: 'Childline', phone: '0800 1111', url: 'https://www.childline.org.uk' }],
 * });
 */
export const tenantConfigSchema = z
  .strictObject({
    /**
     * The service's name as people see it.
     * @example 'Future You'
     */
    displayName: safeText({ max: 80 }),
    /**
     * A short name for tight spaces such as a phone's home screen.
     * @example 'FY'
     */
    shortName: safeText({ max: 24 }).optional(),
    /** Logo, colours, corner radius and font. */
    branding: brandingSchema,
    /**
     * What this tenant calls each role, for example mentors as "buddies". Roles left out use
     * `defaultTerminology`.
     * @default {}
     */
    terminology: z
      .strictObject({
        member: termSchema.optional(),
        mentor: termSchema.optional(),
        seniorMentor: termSchema.optional(),
        moderator: termSchema.optional(),
        safeguardingLead: termSchema.optional(),
        practitioner: termSchema.optional(),
        orgAdmin: termSchema.optional(),
      })
      .prefault({}),
    /**
     * The locale used when a person has not chosen one. Must be one of `locales`.
     * @default 'en-GB'
     */
    defaultLocale: localeSchema.default('en-GB'),
    /**
     * Locales the service is offered in, as BCP 47 tags (stored in canonical form).
     * @default ['en-GB']
     * @example ['en-GB', 'cy']
     */
    locales: z
      .array(localeSchema)
      .min(1, { error: 'List at least one locale' })
      .max(20, { error: 'List at most 20 locales' })
      .refine((locales) => duplicatesIn(locales).length === 0, {
        error: 'Each locale can only be listed once',
      })
      .default(() => ['en-GB']),
    /**
     * The IANA time zone for reminders, escalation deadlines and reports.
     * @default 'Europe/London'
     */
    timeZone: z
      .string({ error: 'Time zone must be text' })
      .max(64, { error: 'Time zone must be at most 64 characters', abort: true })
      .refine(isTimeZone, { error: 'Not a time zone — use a name like Europe/London' })
      .default('Europe/London'),
    /**
     * Capabilities switched on for this tenant. `identity` and `tenancy` are always required.
     * @default ['identity', 'tenancy']
     */
    capabilities: z
      .array(capabilityIdSchema)
      .check((ctx) => {
        for (const id of duplicatesIn(ctx.value)) {
          ctx.issues.push({
            code: 'custom',
            input: ctx.value,
            message: `Capability "${id}" is listed more than once`,
          });
        }
        for (const id of requiredCapabilities) {
          if (!ctx.value.includes(id)) {
            ctx.issues.push({
              code: 'custom',
              input: ctx.value,
              message: `Capabilities must include "${id}"`,
            });
          }
        }
      })
      .default(() => [...requiredCapabilities]),
    /**
     * Services a member is shown at once when their words suggest they are at risk, and on
     * every "get help now" screen.
     * @default []
     */
    helplines: z
      .array(helplineSchema)
      .max(10, { error: 'List at most 10 helplines' })
      .default(() => []),
    /**
     * Where Quick Exit goes: a neutral site that gives nothing away to someone looking over a
     * young person's shoulder. Quick Exit replaces the page in the browser's history, so the
     * back button does not return.
     * @default 'https://www.bbc.co.uk/weather'
     */
    quickExitUrl: httpsUrlSchema.default('https://www.bbc.co.uk/weather'),
    /**
     * Who in the organisation handles safeguarding concerns, shown to staff when they raise one.
     * @default []
     */
    safeguardingContacts: z
      .array(safeguardingContactSchema)
      .max(20, { error: 'List at most 20 safeguarding contacts' })
      .default(() => []),
    /** Sign-up, session and invitation settings. */
    identity: identitySettingsSchema,
    /**
     * How the tenant moderates what people write, which risk rules it adds, turns off or
     * re-grades, and the escalation ladder for safeguarding cases.
     */
    safeguarding: safeguardingSettingsSchema,
    /**
     * How mentors are matched and proposed, how long training stays valid, and the quiet hours
     * when notifications to members are held.
     */
    mentoring: mentoringSettingsSchema.prefault({}),
  })
  .refine((config) => config.locales.includes(config.defaultLocale), {
    error: 'The default locale must be one of the listed locales',
    path: ['defaultLocale'],
  });

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;

/**
 * Validates a tenant's configuration and fills in defaults.
 * @throws ZodError listing every problem, each with the path to the offending field.
 */
export function parseTenantConfig(input: unknown): TenantConfig {
  return tenantConfigSchema.parse(input);
}

/**
 * Reads a setting by its dotted path, as policy `setting` conditions do. Only the config's own
 * properties are followed, so a path such as `constructor.name` or `__proto__` finds nothing.
 *
 * @returns The value, or `undefined` when any segment is missing.
 * @example getSetting(config, 'identity.allowMemberSignUp') // true
 */
export function getSetting(config: TenantConfig, path: string): unknown {
  let current: unknown = config;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
