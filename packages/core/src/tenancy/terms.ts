// What each organisation calls its roles. Kept apart from the configuration schema, with no
// dependencies, so a browser bundle that only needs the words does not carry zod.

/** The roles whose names a tenant can change, as keys of `terminology`. */
export const termKeys = [
  'member',
  'mentor',
  'seniorMentor',
  'moderator',
  'safeguardingLead',
  'practitioner',
  'orgAdmin',
] as const;
export type TermKey = (typeof termKeys)[number];

/** A role's name in the singular and plural. */
export interface Term {
  /** @example 'buddy' */
  singular: string;
  /** @example 'buddies' */
  plural: string;
}

/** Hearth's own names for each role, used wherever a tenant has not chosen its own. */
export const defaultTerminology: Readonly<Record<TermKey, Readonly<Term>>> = Object.freeze({
  member: Object.freeze({ singular: 'member', plural: 'members' }),
  mentor: Object.freeze({ singular: 'mentor', plural: 'mentors' }),
  seniorMentor: Object.freeze({ singular: 'senior mentor', plural: 'senior mentors' }),
  moderator: Object.freeze({ singular: 'moderator', plural: 'moderators' }),
  safeguardingLead: Object.freeze({ singular: 'safeguarding lead', plural: 'safeguarding leads' }),
  practitioner: Object.freeze({ singular: 'practitioner', plural: 'practitioners' }),
  orgAdmin: Object.freeze({ singular: 'organisation admin', plural: 'organisation admins' }),
});

/** Options for {@link term}. */
export interface TermOptions {
  /**
   * Use the plural form.
   * @default false
   */
  plural?: boolean;
  /**
   * Upper-case the first letter, for the start of a sentence or a heading.
   * @default false
   */
  capitalize?: boolean;
}

/**
 * What this tenant calls a role, falling back to Hearth's default name.
 * @example
 * term(config, 'mentor', { plural: true, capitalize: true }) // 'Buddies'
 */
export function term(
  config: { terminology?: Partial<Record<TermKey, Term | undefined>> | undefined },
  key: TermKey,
  options: TermOptions = {},
): string {
  const own =
    config.terminology !== undefined && Object.hasOwn(config.terminology, key)
      ? config.terminology[key]
      : undefined;
  const names = own ?? defaultTerminology[key];
  const word = options.plural ? names.plural : names.singular;
  return options.capitalize ? word.replace(/^\p{Ll}/u, (letter) => letter.toUpperCase()) : word;
}
