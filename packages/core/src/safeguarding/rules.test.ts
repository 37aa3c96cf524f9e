import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { defaultEnglishRiskRules } from './default-rules.en.js';
import { createRiskEngine } from './engine.js';
import {
  buildRuleSet,
  isBuiltRuleSet,
  primaryLanguage,
  type RiskRuleInput,
  riskRuleSchema,
  severityRank,
} from './rules.js';

const rule = (overrides: Partial<RiskRuleInput> = {}): RiskRuleInput => ({
  id: 'en.test.rule',
  category: 'bullying_threats',
  severity: 'medium',
  language: 'en',
  phrases: ['go away forever'],
  ...overrides,
});

function problemsWith(input: unknown): string[] {
  const result = riskRuleSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map(
    (issue: z.core.$ZodIssue) => `${issue.path.join('.')}: ${issue.message}`,
  );
}

describe('riskRuleSchema', () => {
  it('accepts a phrase rule, a pattern rule and a detector rule', () => {
    expect(problemsWith(rule())).toEqual([]);
    expect(
      problemsWith(rule({ phrases: undefined, pattern: '\\bgo (?:\\w{1,20} ){0,2}away\\b' })),
    ).toEqual([]);
    expect(problemsWith(rule({ phrases: undefined, detector: 'phone_number' }))).toEqual([]);
  });

  it('canonicalises the language tag', () => {
    expect(riskRuleSchema.parse(rule({ language: 'en-gb' })).language).toBe('en-GB');
    expect(riskRuleSchema.parse(rule({ language: 'und' })).language).toBe('und');
  });

  it('needs exactly one matcher', () => {
    expect(problemsWith(rule({ phrases: undefined }))).toEqual([
      ': A rule needs exactly one of "phrases", "pattern" or "detector"',
    ]);
    expect(problemsWith(rule({ detector: 'email' }))).toEqual([
      ': A rule needs exactly one of "phrases", "pattern" or "detector"',
    ]);
  });

  it('explains each invalid field', () => {
    expect(
      problemsWith({
        id: 'Not An Id',
        category: 'rudeness',
        severity: 'severe',
        language: 'not a language!',
        phrases: ['(unclosed'],
        extra: true,
      }),
    ).toEqual([
      'id: Rule ids are lower-case words with dashes, in parts separated by dots, such as en.self-harm.want-to-die',
      'category: Unknown category "rudeness" — expected one of suicide_self_harm, abuse_neglect, sexual_exploitation_grooming, bullying_threats, personal_details, offensive_language',
      'severity: Unknown severity "severe" — expected one of info, low, medium, high, critical',
      'language: "not a language!" is not a language tag — use one like en, en-GB or cy ("und" for any language)',
      'phrases.0: unmatched "(" in "(unclosed"',
      ': Unrecognized key: "extra"',
    ]);
  });

  it('rejects unsafe patterns with the reason', () => {
    expect(problemsWith(rule({ phrases: undefined, pattern: 'go.*away' }))).toEqual([
      'pattern: Pattern unbounded repetition "*" is not allowed — write a bound of at most 20, such as {0,20}',
    ]);
  });

  it('rejects a pattern that spells a letter twice, which the folded words view never holds', () => {
    expect(problemsWith(rule({ phrases: undefined, pattern: '\\bi feel awful\\b' }))).toEqual([
      'pattern: Pattern spells "ee": repeated letters are read as one before matching ("feel" as "fel"), so write the letter once',
    ]);
    expect(problemsWith(rule({ phrases: undefined, pattern: 'KiLl' }))).toContain(
      'pattern: Pattern spells "ll": repeated letters are read as one before matching ("feel" as "fel"), so write the letter once',
    );
    // Written once, escaped or in a class, the letters are fine.
    for (const pattern of ['\\bi fel awful\\b', 'a\\ba', '[ll]o', 'go{1,2}d', 'x\\.x']) {
      expect(problemsWith(rule({ phrases: undefined, pattern })), pattern).toEqual([]);
    }
    // And written once, the rule finds the doubled word.
    const engine = createRiskEngine(
      buildRuleSet([], {
        add: [{ ...rule({ phrases: undefined, pattern: '\\bfel awful\\b' }) }],
      }),
    );
    expect(engine.assess('I feel awful today').matches).toHaveLength(1);
  });

  it('rejects unknown detectors and phrases that cannot match', () => {
    expect(problemsWith(rule({ phrases: undefined, detector: 'shoe_size' as 'email' }))).toEqual([
      'detector: Unknown detector "shoe_size" — expected one of phone_number, email, street_address, social_handle, url, school_name, meeting_up',
    ]);
    expect(problemsWith(rule({ phrases: ['!!'] }))).toEqual([
      'phrases.0: "!!" has no letters once normalised',
    ]);
  });
});

describe('buildRuleSet', () => {
  const base = [
    rule({ id: 'en.test.one', severity: 'low' }),
    rule({ id: 'en.test.two', phrases: ['leave me alone'] }),
    rule({ id: 'und.test.phone', language: 'und', phrases: undefined, detector: 'phone_number' }),
  ];

  it('validates and freezes a rule set', () => {
    const ruleSet = buildRuleSet(base);
    expect(ruleSet.rules.map((r) => r.id)).toEqual([
      'en.test.one',
      'en.test.two',
      'und.test.phone',
    ]);
    expect(ruleSet.languages).toBeNull();
    expect(Object.isFrozen(ruleSet.rules)).toBe(true);
    expect(Object.isFrozen(ruleSet.rules[0])).toBe(true);
    expect(isBuiltRuleSet(ruleSet)).toBe(true);
    expect(isBuiltRuleSet({ rules: [], languages: null })).toBe(false);
  });

  it('adds, disables and regrades rules', () => {
    const ruleSet = buildRuleSet(base, {
      add: [rule({ id: 'cy.test.welsh', language: 'cy', phrases: ['dwi eisiau marw'] })],
      disable: ['en.test.two'],
      regrade: { 'en.test.one': 'high', 'cy.test.welsh': 'critical' },
    });
    expect(ruleSet.rules.map((r) => [r.id, r.severity])).toEqual([
      ['en.test.one', 'high'],
      ['und.test.phone', 'medium'],
      ['cy.test.welsh', 'critical'],
    ]);
  });

  it('keeps only the chosen languages, and language-neutral rules', () => {
    const ruleSet = buildRuleSet(base, {
      languages: ['cy'],
      add: [rule({ id: 'cy.test.welsh', language: 'cy', phrases: ['dwi eisiau marw'] })],
    });
    expect(ruleSet.rules.map((r) => r.id)).toEqual(['und.test.phone', 'cy.test.welsh']);
    expect(ruleSet.languages).toEqual(['cy']);
  });

  it('applies overrides on top of an already built rule set', () => {
    const once = buildRuleSet(base);
    const twice = buildRuleSet(once, { regrade: { 'en.test.two': 'info' } });
    expect(twice.rules.find((r) => r.id === 'en.test.two')?.severity).toBe('info');
  });

  it('fails loudly, listing every problem', () => {
    expect(() =>
      buildRuleSet([...base, rule({ id: 'en.test.one' })], {
        add: [rule({ id: 'en.test.two' }), rule({ id: 'pl.test.new', language: 'pl' })],
        disable: ['en.test.missing', 'en.test.one', 'en.test.one'],
        regrade: { 'en.test.one': 'high', 'en.test.gone': 'low' },
        languages: ['en'],
      }),
    ).toThrow(
      [
        'Invalid risk rules:',
        '- rule id en.test.one is used by more than one rule',
        '- add: rule id en.test.two already exists — regrade or disable it, or give the new rule a new id',
        '- disable: en.test.one is listed twice',
        '- disable: unknown rule id en.test.missing',
        '- en.test.one is both disabled and regraded',
        '- en.test.one is both disabled and regraded',
        '- regrade: unknown rule id en.test.gone',
        '- add: rule pl.test.new is in pl, which "languages" leaves out — add the language or remove the rule',
      ].join('\n'),
    );
  });

  it('names the rule and field of a schema problem', () => {
    expect(() => buildRuleSet([rule({ id: 'en.test.bad', severity: 'huge' as 'low' })])).toThrow(
      'rules[0] (en.test.bad).severity: Unknown severity "huge"',
    );
    expect(() => buildRuleSet(base, { add: [rule({ id: 'x' })] })).toThrow('add[0] (x).id:');
    expect(() => buildRuleSet(base, { disable: 'en.test.one' as unknown as string[] })).toThrow(
      'disable: "disable" must be a list of rule ids',
    );
  });

  it('accepts the default English rules', () => {
    const ruleSet = buildRuleSet(defaultEnglishRiskRules);
    expect(ruleSet.rules.length).toBe(defaultEnglishRiskRules.length);
    // Stable ids: cases and tenant overrides refer to them.
    for (const r of ruleSet.rules) expect(r.id).toMatch(/^(en|und)\./);
  });
});

describe('helpers', () => {
  it('orders severities', () => {
    expect(severityRank('info')).toBeLessThan(severityRank('critical'));
  });

  it('compares primary language subtags', () => {
    expect(primaryLanguage('en-GB')).toBe('en');
    expect(primaryLanguage('CY')).toBe('cy');
  });
});
