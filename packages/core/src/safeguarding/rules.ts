import { z } from 'zod';
import { languageTagSchema } from '../language-tag.js';
import { patternProblem } from './pattern-safety.js';
import { phraseProblem } from './phrases.js';

/** What a warning sign is about. A tenant's policy and escalation ladder key on these. */
export const riskCategories = [
  'suicide_self_harm',
  'abuse_neglect',
  'sexual_exploitation_grooming',
  'bullying_threats',
  'personal_details',
  'offensive_language',
] as const;
export type RiskCategory = (typeof riskCategories)[number];

/** From least to most serious; comparisons use this order. */
export const riskSeverities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type RiskSeverity = (typeof riskSeverities)[number];

/**
 * Built-in detectors for things a phrase list cannot describe. Their lead-in phrases are
 * English; other languages add phrase rules.
 */
export const riskDetectors = [
  /** Phone numbers (10–15 digits starting 0 or +, however spaced; spelled-out digits). */
  'phone_number',
  /** Email addresses, including "name at gmail dot com". */
  'email',
  /** House number and street, postcode, "my address is …". */
  'street_address',
  /** "@name", "snap me jess_x", "my insta is …", Discord tags. */
  'social_handle',
  /** Web addresses. */
  'url',
  /** "I go to Westfield Academy". */
  'school_name',
  /** "meet me at", "come to my house", "what's your address". */
  'meeting_up',
] as const;
export type RiskDetector = (typeof riskDetectors)[number];

/** The index of a severity in {@link riskSeverities}, for comparing two severities. */
export function severityRank(severity: RiskSeverity): number {
  return riskSeverities.indexOf(severity);
}

const ruleIdSchema = z
  .string({ error: 'Rule ids must be text' })
  .max(100, { error: 'Rule ids must be at most 100 characters', abort: true })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$/, {
    error:
      'Rule ids are lower-case words with dashes, in parts separated by dots, such as en.self-harm.want-to-die',
  });

const languageSchema = languageTagSchema(
  'Languages',
  (value) =>
    `${JSON.stringify(value)} is not a language tag — use one like en, en-GB or cy ("und" for any language)`,
);

const severitySchema = z.enum(riskSeverities, {
  error: (issue) =>
    `Unknown severity ${JSON.stringify(issue.input)} — expected one of ${riskSeverities.join(', ')}`,
});

const phraseSchema = z
  .string({ error: 'Phrases must be text' })
  .max(500, { error: 'Phrases must be at most 500 characters', abort: true })
  .superRefine((phrase, ctx) => {
    const problem = phraseProblem(phrase);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * The first letter a pattern spells twice in a row, outside escapes and character classes. The
 * words view folds repeated letters to one (so "soooo" and "so" read the same), so such a
 * pattern could never match.
 */
function doubledLetter(source: string): string | null {
  let previous = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      previous = '';
    } else if (c === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      previous = '';
    } else if (/[a-z]/i.test(c)) {
      if (c.toLowerCase() === previous) return previous;
      previous = c.toLowerCase();
    } else {
      previous = '';
    }
  }
  return null;
}

/** One rule of a risk rule set, as written in data. */
export const riskRuleSchema = z
  .strictObject({
    /**
     * Stable id, `language.topic.name`. Cases, audit records and tenant overrides refer to it,
     * so never reuse an id for a different meaning.
     * @example 'en.self-harm.want-to-die'
     */
    id: ruleIdSchema,
    category: z.enum(riskCategories, {
      error: (issue) =>
        `Unknown category ${JSON.stringify(issue.input)} — expected one of ${riskCategories.join(', ')}`,
    }),
    severity: severitySchema,
    /**
     * BCP 47 tag of the rule's language; only the primary subtag is compared, so `en` rules
     * check `en-GB` text. `und` rules (phone numbers, links) check text in every language.
     * @example 'en'
     */
    language: languageSchema,
    /** Why the rule exists, for moderators and whoever tunes the rule set. */
    description: z
      .string({ error: 'Descriptions must be text' })
      .max(500, { error: 'Descriptions must be at most 500 characters' })
      .optional(),
    /**
     * Phrases matched as whole words after normalisation, with any whitespace or punctuation
     * between words. `(a|b|)` offers alternatives, `#` stands for any number.
     * @example ["(want|wanna) to die", 'kms']
     */
    phrases: z
      .array(phraseSchema, { error: 'Phrases must be a list' })
      .min(1, { error: 'Give at least one phrase' })
      .max(1000, { error: 'At most 1000 phrases per rule' })
      .optional(),
    /**
     * A regular expression run on the normalised words view (lower case, numbers as `#`, one
     * space between words). Repetition must be bounded (at most 20) so no pattern can stall
     * the engine.
     * @example '\\bi (?:\\w{1,20} ){0,3}want to die\\b'
     */
    pattern: z
      .string({ error: 'Patterns must be text' })
      .superRefine((source, ctx) => {
        const problem = patternProblem(source);
        if (problem) ctx.addIssue({ code: 'custom', message: `Pattern ${problem}` });
        const doubled = doubledLetter(source);
        if (doubled) {
          ctx.addIssue({
            code: 'custom',
            message: `Pattern spells "${doubled}${doubled}": repeated letters are read as one before matching ("feel" as "fel"), so write the letter once`,
          });
        }
      })
      .optional(),
    /** A built-in detector instead of phrases or a pattern. */
    detector: z
      .enum(riskDetectors, {
        error: (issue) =>
          `Unknown detector ${JSON.stringify(issue.input)} — expected one of ${riskDetectors.join(', ')}`,
      })
      .optional(),
    /**
     * Phrases that cancel a match of this rule when they overlap it, for the ordinary uses of
     * a risky phrase.
     * @example ['killing it', 'dying of laughter']
     */
    exceptions: z
      .array(phraseSchema, { error: 'Exceptions must be a list of phrases' })
      .max(500, { error: 'At most 500 exceptions per rule' })
      .optional(),
  })
  .superRefine((rule, ctx) => {
    const matchers = [rule.phrases, rule.pattern, rule.detector].filter((m) => m !== undefined);
    if (matchers.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'A rule needs exactly one of "phrases", "pattern" or "detector"',
      });
    }
  });

export type RiskRuleInput = z.input<typeof riskRuleSchema>;
export type RiskRule = z.output<typeof riskRuleSchema>;

/** A tenant's changes to a base rule set. */
export const riskRuleOverridesSchema = z.strictObject({
  /** Rules of the tenant's own, for example in another language. Ids must be new. */
  add: z.array(riskRuleSchema, { error: '"add" must be a list of rules' }).max(5000).optional(),
  /** Ids of base rules to switch off. */
  disable: z.array(ruleIdSchema, { error: '"disable" must be a list of rule ids' }).optional(),
  /**
   * New severities by rule id.
   * @example { 'en.offensive.swearing': 'info' }
   */
  regrade: z
    .record(ruleIdSchema, severitySchema, { error: '"regrade" must map rule ids to severities' })
    .optional(),
  /**
   * The languages to check (primary subtags compared). Rules in other languages are left out;
   * `und` rules always stay. Omit to keep every language.
   * @example ['en', 'cy']
   */
  languages: z
    .array(languageSchema, { error: '"languages" must be a list of language tags' })
    .min(1, { error: 'Give at least one language, or leave "languages" out' })
    .optional(),
});
export type RiskRuleOverrides = z.input<typeof riskRuleOverridesSchema>;

/** A validated, frozen rule set, ready for `createRiskEngine`. */
export interface RiskRuleSet {
  readonly rules: readonly Readonly<RiskRule>[];
  /** Primary language subtags checked, or `null` for all. */
  readonly languages: readonly string[] | null;
}

const builtRuleSets = new WeakSet<RiskRuleSet>();

/** Whether a value came from {@link buildRuleSet}, so its rules are known to be valid. */
export function isBuiltRuleSet(value: unknown): value is RiskRuleSet {
  return typeof value === 'object' && value !== null && builtRuleSets.has(value as RiskRuleSet);
}

/** The primary language subtag of a canonical tag: `en-GB` → `en`. */
export function primaryLanguage(tag: string): string {
  const dash = tag.indexOf('-');
  return (dash < 0 ? tag : tag.slice(0, dash)).toLowerCase();
}

function issuesOf(error: z.ZodError, prefix: (path: PropertyKey[]) => string): string[] {
  return error.issues.map((issue) => `${prefix(issue.path)}${issue.message}`);
}

function duplicatesIn(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

function ruleLabel(rules: readonly unknown[], path: PropertyKey[], where: string): string {
  const index = path[0];
  const rule = typeof index === 'number' ? rules[index] : undefined;
  const id =
    typeof rule === 'object' && rule !== null && typeof (rule as { id?: unknown }).id === 'string'
      ? ` (${(rule as { id: string }).id})`
      : '';
  const field = path.slice(1).join('.');
  return `${where}[${String(index)}]${id}${field ? `.${field}` : ''}: `;
}

/**
 * Validates a base rule set (such as `defaultEnglishRiskRules`) and applies a tenant's
 * overrides. Fails loudly, so a mistake in a tenant's configuration shows up when it is saved
 * or the platform starts, never as a missed warning sign.
 *
 * @throws Error listing every problem: invalid rules, duplicate ids, unknown ids in `disable`
 *   or `regrade`, an id both disabled and regraded, added rules in a language left out by
 *   `languages`.
 * @example
 * const ruleSet = buildRuleSet(defaultEnglishRiskRules, {
 *   disable: ['en.offensive.mild-swearing'],
 *   regrade: { 'en.grooming.age-question': 'medium' },
 * });
 */
export function buildRuleSet(
  base: readonly RiskRuleInput[] | RiskRuleSet,
  overrides: RiskRuleOverrides = {},
): RiskRuleSet {
  const problems: string[] = [];
  const baseInput: readonly unknown[] = isBuiltRuleSet(base) ? base.rules : (base as unknown[]);
  const parsedBase = z.array(riskRuleSchema).safeParse(baseInput);
  if (!parsedBase.success) {
    problems.push(...issuesOf(parsedBase.error, (path) => ruleLabel(baseInput, path, 'rules')));
  }
  const parsedOverrides = riskRuleOverridesSchema.safeParse(overrides);
  if (!parsedOverrides.success) {
    const addInput = (overrides as { add?: unknown[] }).add ?? [];
    problems.push(
      ...issuesOf(parsedOverrides.error, (path) =>
        path[0] === 'add' ? ruleLabel(addInput, path.slice(1), 'add') : `${path.join('.')}: `,
      ),
    );
  }
  if (!parsedBase.success || !parsedOverrides.success) {
    throw new Error(`Invalid risk rules:\n- ${problems.join('\n- ')}`);
  }

  const rules = parsedBase.data;
  const { add = [], disable = [], regrade = {}, languages } = parsedOverrides.data;
  for (const id of duplicatesIn(rules.map((rule) => rule.id))) {
    problems.push(`rule id ${id} is used by more than one rule`);
  }
  const baseIds = new Set(rules.map((rule) => rule.id));
  for (const id of duplicatesIn(add.map((rule) => rule.id))) {
    problems.push(`add: rule id ${id} is used by more than one rule`);
  }
  for (const rule of add) {
    if (baseIds.has(rule.id)) {
      problems.push(
        `add: rule id ${rule.id} already exists — regrade or disable it, or give the new rule a new id`,
      );
    }
  }
  const known = new Set([...baseIds, ...add.map((rule) => rule.id)]);
  for (const id of duplicatesIn(disable)) problems.push(`disable: ${id} is listed twice`);
  for (const id of disable) {
    if (!known.has(id)) problems.push(`disable: unknown rule id ${id}`);
    if (Object.hasOwn(regrade, id)) problems.push(`${id} is both disabled and regraded`);
    if (add.some((rule) => rule.id === id)) problems.push(`${id} is both added and disabled`);
  }
  for (const id of Object.keys(regrade)) {
    if (!known.has(id)) problems.push(`regrade: unknown rule id ${id}`);
  }
  const checked = languages ? new Set(languages.map(primaryLanguage)) : null;
  if (checked) {
    for (const rule of add) {
      const language = primaryLanguage(rule.language);
      if (language !== 'und' && !checked.has(language)) {
        problems.push(
          `add: rule ${rule.id} is in ${rule.language}, which "languages" leaves out — add the language or remove the rule`,
        );
      }
    }
  }
  if (problems.length > 0) throw new Error(`Invalid risk rules:\n- ${problems.join('\n- ')}`);

  const disabled = new Set(disable);
  const result = [...rules, ...add]
    .filter((rule) => !disabled.has(rule.id))
    .filter((rule) => {
      const language = primaryLanguage(rule.language);
      return !checked || language === 'und' || checked.has(language);
    })
    .map((rule) => {
      const severity = Object.hasOwn(regrade, rule.id) ? regrade[rule.id]! : rule.severity;
      return Object.freeze({ ...rule, severity });
    });
  const ruleSet: RiskRuleSet = Object.freeze({
    rules: Object.freeze(result),
    languages: checked ? Object.freeze([...checked]) : null,
  });
  builtRuleSets.add(ruleSet);
  return ruleSet;
}
