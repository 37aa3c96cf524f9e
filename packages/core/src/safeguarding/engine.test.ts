import { describe, expect, it } from 'vitest';
import { riskyMessages } from './corpus/risky.en.js';
import { defaultEnglishRiskRules } from './default-rules.en.js';
import { createRiskEngine } from './engine.js';
import { buildRuleSet, type RiskRuleInput } from './rules.js';

const engine = createRiskEngine(buildRuleSet(defaultEnglishRiskRules));

const rule = (overrides: Partial<RiskRuleInput>): RiskRuleInput => ({
  id: 'en.test.rule',
  category: 'bullying_threats',
  severity: 'medium',
  language: 'en',
  ...overrides,
});

describe('createRiskEngine', () => {
  it('explains each match: rule, category, severity, span in the original text, reason', () => {
    const text = 'honestly I w4nt t0 d!e rn';
    expect(engine.assess(text)).toEqual({
      maxSeverity: 'high',
      categories: ['suicide_self_harm'],
      matches: [
        {
          ruleId: 'en.suicide.want-to-die',
          category: 'suicide_self_harm',
          severity: 'high',
          span: { start: 11, end: 22 },
          excerpt: 'w4nt t0 d!e',
          reason: 'matches "want to die", seen through leetspeak',
        },
      ],
    });
  });

  it('returns nothing for ordinary text', () => {
    expect(engine.assess('see you at football practice')).toEqual({
      maxSeverity: null,
      categories: [],
      matches: [],
    });
    expect(engine.assess('')).toEqual({ maxSeverity: null, categories: [], matches: [] });
  });

  it('points spans at the original text however it was disguised', () => {
    const cases: [string, string][] = [
      ['ok k i l l m y s e l f ok', 'k i l l m y s e l f'],
      ['why not kиll myself', 'kиll myself'],
      ['s.u.i.c.i.d.e is on my mind', 's.u.i.c.i.d.e'],
      ['I will KIIIILLLL MYSELF', 'KIIIILLLL MYSELF'],
      ['𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟 tbh', '𝐤𝐢𝐥𝐥 𝐦𝐲𝐬𝐞𝐥𝐟'],
      ['k̷i̷l̷l̷ myself', 'k̷i̷l̷l̷ myself'],
      ['i want to kill\u200B myself', 'kill\u200B myself'],
    ];
    for (const [text, excerpt] of cases) {
      const match =
        engine.assess(text).matches.find((m) => m.ruleId === 'en.suicide.kill-myself') ??
        engine.assess(text).matches[0];
      expect(match?.excerpt, text).toBe(excerpt);
      expect(text.slice(match!.span.start, match!.span.end)).toBe(excerpt);
    }
  });

  it('names the tricks it saw through', () => {
    const reason = (text: string) => engine.assess(text).matches[0]?.reason;
    expect(reason('k i l l m y s e l f')).toBe(
      'matches "kill myself", seen through spaced-out letters',
    );
    expect(reason('kiiiill myself')).toBe('matches "kill myself", seen through repeated letters');
    expect(reason('sui*cidal')).toBe('matches "suicidal", seen through punctuation inside words');
  });

  it('orders matches by position, most severe first, and categories by severity', () => {
    const result = engine.assess("fuck this, i'm going to kill myself tonight");
    expect(result.matches.map((m) => [m.ruleId, m.severity])).toEqual([
      ['en.offensive.strong-swearing', 'low'],
      ['en.suicide.plan', 'critical'],
      ['en.suicide.kill-myself', 'high'],
    ]);
    expect(result.maxSeverity).toBe('critical');
    expect(result.categories).toEqual(['suicide_self_harm', 'offensive_language']);
  });

  it('reports each occurrence once, even when several forms or views find it', () => {
    const result = engine.assess('kill myself. killmyself. k i l l m y s e l f');
    expect(result.matches.map((m) => m.excerpt)).toEqual([
      'kill myself',
      'killmyself',
      'k i l l m y s e l f',
    ]);
  });

  it('lets exceptions cancel overlapping matches of their rule only', () => {
    expect(engine.assess('I nearly killed myself laughing').matches).toEqual([]);
    expect(engine.assess('I ran 5 kms today').matches).toEqual([]);
    expect(engine.assess('kms').matches.map((m) => m.ruleId)).toEqual(['en.suicide.kill-myself']);
  });

  it('is deterministic', () => {
    const text = 'meet me at the park, dont tell your mum, my number is 07700 900123';
    expect(engine.assess(text)).toEqual(engine.assess(text));
  });

  it('returns the same engine for the same rule set', () => {
    const ruleSet = buildRuleSet(defaultEnglishRiskRules);
    expect(createRiskEngine(ruleSet)).toBe(createRiskEngine(ruleSet));
  });

  it('validates a plain list of rules', () => {
    const custom = createRiskEngine([rule({ phrases: ['go away forever'] })]);
    expect(custom.assess('just GO AWAY FOREVER').matches[0]?.excerpt).toBe('GO AWAY FOREVER');
    expect(() => createRiskEngine([rule({ phrases: [] })])).toThrow('Give at least one phrase');
  });

  it('reports its size', () => {
    const { rules, patterns, states, bytes } = engine.stats;
    expect(rules).toBe(defaultEnglishRiskRules.length);
    expect(patterns).toBeGreaterThan(1000);
    expect(states).toBeGreaterThan(patterns);
    // Small enough to keep one per tenant with overrides.
    expect(bytes).toBeLessThan(4_000_000);
  });
});

describe('tenant rule sets', () => {
  it('applies regraded severities and skips disabled rules', () => {
    const tenant = createRiskEngine(
      buildRuleSet(defaultEnglishRiskRules, {
        disable: ['en.offensive.strong-swearing'],
        regrade: { 'en.grooming.age-question': 'high' },
      }),
    );
    expect(tenant.assess('fuck').matches).toEqual([]);
    expect(tenant.assess('how old are you').maxSeverity).toBe('high');
  });

  it('checks the languages asked for, and language-neutral rules always', () => {
    const ruleSet = buildRuleSet(defaultEnglishRiskRules, {
      add: [
        rule({
          id: 'cy.suicide.want-to-die',
          category: 'suicide_self_harm',
          severity: 'high',
          language: 'cy',
          phrases: ['(dwi|rwy) (eisiau|isio) marw'],
        }),
      ],
    });
    const bilingual = createRiskEngine(ruleSet);
    const text = 'dwi isio marw. i want to die. 07700 900123';
    const ids = (language?: string) =>
      bilingual
        .assess(text, language === undefined ? {} : { language })
        .matches.map((m) => m.ruleId);
    expect(ids()).toEqual([
      'cy.suicide.want-to-die',
      'en.suicide.want-to-die',
      'und.personal.phone-number',
    ]);
    expect(ids('cy')).toEqual(['cy.suicide.want-to-die', 'und.personal.phone-number']);
    expect(ids('en-GB')).toEqual(['en.suicide.want-to-die', 'und.personal.phone-number']);
    expect(ids('pl')).toEqual(['und.personal.phone-number']);
  });

  it('runs pattern rules on the words view, mapping spans back', () => {
    const patterned = createRiskEngine([
      rule({
        id: 'en.test.pattern',
        pattern: '\\bi (?:\\w{1,20} ){0,3}want to die\\b',
        exceptions: ['i (really|) want to die laughing'],
      }),
    ]);
    expect(patterned.assess('I really, REALLY w4nt to die').matches[0]).toMatchObject({
      excerpt: 'I really, REALLY w4nt to die',
      reason:
        'matches the pattern /\\bi (?:\\w{1,20} ){0,3}want to die\\b/, seen through leetspeak',
    });
    expect(patterned.assess('i really want to die laughing').matches).toEqual([]);
  });
});

describe('assess on any input', () => {
  it('never throws on random UTF-16, and spans stay inside the text', () => {
    let seed = 3;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pieces = [
      'kill',
      ' myself',
      '0770',
      '@',
      '.',
      ' ',
      'и',
      '\u0301',
      '\uD83D',
      'ﬃ',
      '#',
      '1',
    ];
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = Math.floor(random() * 30);
      for (let j = 0; j < length; j++) {
        text +=
          random() < 0.5
            ? pieces[Math.floor(random() * pieces.length)]
            : String.fromCharCode(Math.floor(random() * 0x10000));
      }
      const result = engine.assess(text);
      for (const match of result.matches) {
        expect(match.span.start).toBeGreaterThanOrEqual(0);
        expect(match.span.end).toBeLessThanOrEqual(text.length);
        expect(match.span.start).toBeLessThan(match.span.end);
      }
    }
  });

  // A long view is scanned in lanes that each start part-way; a match must be found the same
  // wherever the lanes' boundaries fall.
  it('finds the same matches in a long text wherever it starts', () => {
    const all = riskyMessages.map((message) => message.text).join('. ');
    // About 300 characters (two lanes) and all of the corpus (four).
    for (const text of [all.slice(0, all.indexOf('. ', 300)), all]) {
      const expected = engine.assess(text).matches;
      expect(expected.length).toBeGreaterThan(5);
      for (let words = 1; words <= 200; words++) {
        const padding = 'ok '.repeat(words);
        const shifted = engine.assess(padding + text).matches.map((match) => ({
          ...match,
          span: { start: match.span.start - padding.length, end: match.span.end - padding.length },
        }));
        expect(shifted, `after ${words} words`).toEqual(expected);
      }
    }
  });

  it('refuses values that are not strings', () => {
    expect(() => engine.assess(undefined as unknown as string)).toThrow(TypeError);
  });

  it('stays linear on long and adversarial text', () => {
    const inputs = [
      'a'.repeat(10_000),
      'k i '.repeat(2_500),
      'kill '.repeat(2_000),
      'hits me '.repeat(1_250),
      '0'.repeat(10_000),
      `${'o'.repeat(9_990)}1234567890`,
      '@a'.repeat(5_000),
      '.a'.repeat(5_000),
      'x#1234 '.repeat(1_400),
      'i go to '.repeat(1_250),
      '1 '.repeat(5_000),
      '😂'.repeat(5_000),
      '\u0301'.repeat(10_000),
      'www.'.repeat(2_500),
    ];
    for (const text of inputs) {
      const started = performance.now();
      engine.assess(text);
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(250);
    }
  });
});
