import {
  type DetectorHit,
  detectorPhrases,
  runDetectors,
  type TriggerHit,
  type TriggerId,
} from './detectors.js';
import {
  describeTricks,
  Normalizer,
  NUMBER,
  SPACE,
  Trick,
  tricksIn,
  type View,
  Vocabulary,
} from './normalize.js';
import {
  type CompiledPhrase,
  compilePhrase,
  expandPhrase,
  type Slot,
  vocabularyOf,
} from './phrases.js';
import {
  buildRuleSet,
  isBuiltRuleSet,
  primaryLanguage,
  type RiskCategory,
  type RiskDetector,
  type RiskRuleInput,
  type RiskRuleSet,
  type RiskSeverity,
  riskCategories,
  riskDetectors,
  riskSeverities,
  severityRank,
} from './rules.js';

/** One warning sign found in a text. */
export interface RiskMatch {
  /** The rule that matched, e.g. `en.self-harm.want-to-die`. */
  ruleId: string;
  category: RiskCategory;
  severity: RiskSeverity;
  /**
   * Where in the ORIGINAL text, as UTF-16 offsets for `text.slice(start, end)`; for obfuscated
   * text it covers everything that was undone ("k i l l m y s e l f").
   */
  span: { start: number; end: number };
  /** The original text of the span. */
  excerpt: string;
  /** How it matched, for moderators: the phrase or detector and the tricks undone. */
  reason: string;
}

/** The result of {@link RiskEngine.assess}. */
export interface RiskAssessment {
  /** The highest severity among the matches, or `null` when nothing matched. */
  maxSeverity: RiskSeverity | null;
  /** Categories that matched, most severe first. */
  categories: RiskCategory[];
  /** Every match, in text order (then most severe first). */
  matches: RiskMatch[];
}

export interface AssessOptions {
  /**
   * The language the text is in (BCP 47; the primary subtag is compared). Rules in other
   * languages are skipped; `und` rules always run. Leave it out when unsure: every language in
   * the rule set is then checked, which is the safe choice for mixed-language chat.
   * @example 'en-GB'
   */
  language?: string;
}

/** Size of a compiled engine, for capacity planning. */
export interface RiskEngineStats {
  rules: number;
  /** Phrase variants, exceptions and detector lead-ins in the automaton. */
  patterns: number;
  states: number;
  alphabet: number;
  /** Approximate memory held by the automaton's tables. */
  bytes: number;
}

/** A compiled rule set. Create one per distinct rule set and reuse it for every message. */
export interface RiskEngine {
  /**
   * Checks one text. Deterministic, never throws for any string, and linear in the length of
   * the text.
   * @throws TypeError when `text` is not a string.
   */
  assess(text: string, options?: AssessOptions): RiskAssessment;
  readonly ruleSet: RiskRuleSet;
  readonly stats: RiskEngineStats;
}

// What a pattern in the automaton does when found.
const Role = {
  rulePhrase: 0,
  ruleException: 1,
  detectorPhrase: 2,
  detectorException: 3,
  trigger: 4,
} as const;
type Role = (typeof Role)[keyof typeof Role];

const OTHER = 0;
const SPACE_SYMBOL = 1;
const NUMBER_SYMBOL = 2;

interface CompiledRule {
  id: string;
  category: RiskCategory;
  categoryIndex: number;
  severity: RiskSeverity;
  rank: number;
  language: number;
  detector: RiskDetector | undefined;
  pattern: RegExp | undefined;
}

interface Found {
  rule: number;
  start: number;
  end: number;
  /** Repeated letters seen while matching; the other tricks are read from the text later. */
  tricks: number;
  /** Whether a phrase or pattern matched (not a detector), so the tricks are worth reading. */
  phrase: boolean;
  label: string;
}

interface Cancel {
  target: number;
  start: number;
  end: number;
}

/**
 * The automaton: every phrase of every rule in one Aho–Corasick machine, flattened into a
 * dense transition table so scanning costs one table read per character of the view.
 */
class Automaton {
  readonly size: number;
  readonly alphabet: number;
  /**
   * Transitions: `delta[state * alphabet + symbol]` is the next state, with `reportBit` set
   * when patterns end there (directly or through failure links), so the scan needs one read
   * a character.
   */
  readonly delta: Uint16Array | Uint32Array;
  readonly reportBit: number;
  /** First pattern ending exactly at a state, or -1; more via `patternNext`. */
  readonly head: Int32Array;
  /** The nearest state on the failure chain that has patterns, or 0. */
  readonly dictionary: Int32Array;
  readonly patternNext: Int32Array;
  readonly asciiSymbol = new Int32Array(128);
  readonly otherSymbol = new Map<number, number>();

  constructor(patterns: readonly number[][]) {
    const symbols = new Map<number, number>([
      [SPACE, SPACE_SYMBOL],
      [NUMBER, NUMBER_SYMBOL],
    ]);
    const symbolOf = (code: number) => {
      let symbol = symbols.get(code);
      if (symbol === undefined) {
        symbol = symbols.size + 1;
        symbols.set(code, symbol);
      }
      return symbol;
    };
    const trie: Map<number, number>[] = [new Map()];
    const trieEnds: number[][] = [[]];
    patterns.forEach((codes, index) => {
      let node = 0;
      for (const code of codes) {
        const symbol = symbolOf(code);
        let child = trie[node]!.get(symbol);
        if (child === undefined) {
          child = trie.length;
          trie.push(new Map());
          trieEnds.push([]);
          trie[node]!.set(symbol, child);
        }
        node = child;
      }
      trieEnds[node]!.push(index);
    });

    // Number states breadth first: the shallow states, where a scan spends nearly all its
    // time, then sit together at the start of the table and stay in the CPU cache.
    const size = trie.length;
    const order = [0];
    for (let q = 0; q < order.length; q++) {
      for (const child of [...trie[order[q]!]!.entries()].sort((a, b) => a[0] - b[0])) {
        order.push(child[1]);
      }
    }
    const renumbered = new Int32Array(size);
    order.forEach((node, index) => {
      renumbered[node] = index;
    });
    const children = order.map(
      (node) => new Map([...trie[node]!].map(([symbol, child]) => [symbol, renumbered[child]!])),
    );
    const ends = order.map((node) => trieEnds[node]!);

    const alphabet = symbols.size + 1;
    this.size = size;
    this.alphabet = alphabet;
    for (const [code, symbol] of symbols) {
      if (code < 128) this.asciiSymbol[code] = symbol;
      else this.otherSymbol.set(code, symbol);
    }
    const small = size < 0x8000;
    const reportBit = small ? 0x8000 : 0x40000000;
    this.reportBit = reportBit;
    const delta = small ? new Uint16Array(size * alphabet) : new Uint32Array(size * alphabet);
    const fail = new Int32Array(size);
    this.head = new Int32Array(size).fill(-1);
    this.patternNext = new Int32Array(patterns.length).fill(-1);
    for (let node = 0; node < size; node++) {
      // Reversed so the chain lists patterns in the order they were added.
      for (const pattern of [...ends[node]!].reverse()) {
        this.patternNext[pattern] = this.head[node]!;
        this.head[node] = pattern;
      }
    }
    this.dictionary = new Int32Array(size);
    const report = new Uint8Array(size);

    const queue: number[] = [];
    for (let symbol = 0; symbol < alphabet; symbol++) {
      const child = children[0]!.get(symbol);
      if (child !== undefined) {
        delta[symbol] = child;
        queue.push(child);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      const f = fail[node]!;
      this.dictionary[node] = this.head[f]! >= 0 ? f : this.dictionary[f]!;
      report[node] = this.head[node]! >= 0 || this.dictionary[node]! > 0 ? 1 : 0;
      const row = node * alphabet;
      const failRow = f * alphabet;
      for (let symbol = 0; symbol < alphabet; symbol++) {
        const child = children[node]!.get(symbol);
        if (child === undefined) {
          delta[row + symbol] = delta[failRow + symbol]!;
        } else {
          delta[row + symbol] = child;
          fail[child] = delta[failRow + symbol]!;
          queue.push(child);
        }
      }
    }
    for (let i = 0; i < delta.length; i++) {
      if (report[delta[i]!] === 1) delta[i] = delta[i]! | reportBit;
    }
    this.delta = delta;
  }

  get bytes(): number {
    return this.delta.byteLength + this.size * 8 + this.patternNext.byteLength;
  }
}

// One shared normaliser: assessing is synchronous, so its buffers are never used by two
// messages at once, and engines for many tenants do not each hold their own.
let sharedNormalizer: Normalizer | undefined;

const engines = new WeakMap<RiskRuleSet, RiskEngine>();

/**
 * Compiles a rule set into an engine. Compiling the default English rules takes a few hundred
 * milliseconds and the engine holds about 2.5 MB of tables (see `stats`), so create one per
 * distinct rule set — tenants without overrides can share one — lazily, and keep it. Calling
 * again with the same built rule set returns the same engine.
 *
 * @param ruleSet from {@link buildRuleSet}, or a list of rules, which is validated first.
 * @throws Error when a list of rules is invalid (see {@link buildRuleSet}).
 * @example
 * const engine = createRiskEngine(buildRuleSet(defaultEnglishRiskRules, tenantOverrides));
 * const { maxSeverity, matches } = engine.assess(message.body);
 */
export function createRiskEngine(ruleSet: RiskRuleSet | readonly RiskRuleInput[]): RiskEngine {
  const built = isBuiltRuleSet(ruleSet)
    ? ruleSet
    : buildRuleSet(ruleSet as readonly RiskRuleInput[]);
  let engine = engines.get(built);
  if (!engine) {
    engine = new CompiledEngine(built);
    engines.set(built, engine);
  }
  return engine;
}

class CompiledEngine implements RiskEngine {
  readonly ruleSet: RiskRuleSet;
  private readonly rules: CompiledRule[];
  private readonly languages: string[] = [];
  private readonly allowedByLanguage = new Map<string, Uint8Array>();
  private readonly allLanguages: Uint8Array;
  private readonly automaton: Automaton;
  private readonly vocabulary: Vocabulary;
  /** Words in the longest phrase variant: the context the alternate view needs. */
  private readonly longestPhrase: number;
  // Shapes: a compiled phrase's role, target and the slots checked around its anchor.
  private readonly shapeRole: Uint8Array;
  private readonly shapeTarget: Int32Array;
  private readonly shapeLeft: Slot[][];
  private readonly shapeRight: Slot[][];
  // Patterns: the anchors in the automaton.
  private readonly patternShape: Int32Array;
  private readonly patternLength: Int32Array;
  private readonly patternRunsAt: Int32Array;
  private readonly patternRuns: Uint8Array;
  private readonly patternText: string[];
  private readonly detectors: Set<RiskDetector>;
  private readonly rulesByDetector: number[][];
  private readonly patternRules: number[];
  private readonly patternFilter: RegExp | null;
  // Per-call scratch, reset at the start of each assessment.
  private allowed: Uint8Array;
  private found: Found[] = [];
  private cancels: Cancel[] = [];
  private detectorHits: DetectorHit[] = [];
  private detectorCancels: Cancel[] = [];
  private triggers: TriggerHit[] = [];
  /** The highest severity rank per category while building a result. */
  private readonly worst = new Int8Array(riskCategories.length);

  constructor(ruleSet: RiskRuleSet) {
    this.ruleSet = ruleSet;
    const languageIndex = (tag: string) => {
      const language = primaryLanguage(tag);
      let index = this.languages.indexOf(language);
      if (index < 0) index = this.languages.push(language) - 1;
      return index;
    };
    languageIndex('und');
    this.rules = ruleSet.rules.map((rule) => ({
      id: rule.id,
      category: rule.category,
      categoryIndex: riskCategories.indexOf(rule.category),
      severity: rule.severity,
      rank: severityRank(rule.severity),
      language: languageIndex(rule.language),
      detector: rule.detector,
      // Validated by the schema: bounded repetition, no backreferences or lookaround.
      pattern: rule.pattern === undefined ? undefined : new RegExp(rule.pattern, 'gu'),
    }));
    this.allLanguages = new Uint8Array(this.languages.length).fill(1);
    this.allowed = this.allLanguages;

    const codes: number[][] = [];
    const runs: number[][] = [];
    const texts: string[] = [];
    const patternShape: number[] = [];
    const role: number[] = [];
    const target: number[] = [];
    const left: Slot[][] = [];
    const right: Slot[][] = [];
    const allPhrases: string[] = [];
    const seen = new Set<string>();
    const addShape = (r: Role, t: number, shape: CompiledPhrase) => {
      const shapeIndex = role.length;
      role.push(r);
      target.push(t);
      left.push(shape.left);
      right.push(shape.right);
      for (const anchor of shape.anchors) {
        codes.push(anchor.codes);
        runs.push(anchor.runs);
        texts.push(anchor.text);
        patternShape.push(shapeIndex);
      }
    };
    const addPhrases = (r: Role, t: number, phrases: readonly string[]) => {
      for (const phrase of phrases) {
        const key = `${r}:${t}:${phrase}`;
        if (seen.has(key)) continue;
        seen.add(key);
        allPhrases.push(phrase);
        for (const shape of compilePhrase(phrase)) addShape(r, t, shape);
      }
    };

    this.detectors = new Set();
    this.rulesByDetector = riskDetectors.map(() => []);
    this.patternRules = [];
    ruleSet.rules.forEach((rule, index) => {
      if (rule.phrases) addPhrases(Role.rulePhrase, index, rule.phrases);
      if (rule.exceptions) addPhrases(Role.ruleException, index, rule.exceptions);
      if (rule.detector) {
        this.detectors.add(rule.detector);
        this.rulesByDetector[riskDetectors.indexOf(rule.detector)]!.push(index);
      }
      if (rule.pattern !== undefined) this.patternRules.push(index);
    });
    for (const detector of this.detectors) {
      const d = riskDetectors.indexOf(detector);
      const { phrases, exceptions, triggers } = detectorPhrases[detector];
      if (phrases) addPhrases(Role.detectorPhrase, d, phrases);
      if (exceptions) addPhrases(Role.detectorException, d, exceptions);
      for (const [trigger, list] of triggers ?? []) addPhrases(Role.trigger, trigger, list);
    }
    // One pass of a combined expression tells whether any pattern rule can match at all.
    let filter: RegExp | null = null;
    if (this.patternRules.length > 1) {
      try {
        filter = new RegExp(
          this.patternRules.map((index) => `(?:${ruleSet.rules[index]!.pattern})`).join('|'),
          'u',
        );
      } catch {
        // Two patterns with the same group name cannot be combined; each is run instead.
      }
    }
    this.patternFilter = filter;

    // Anchors are whole words, so each pattern carries the spaces around it: the automaton
    // then reports only whole-word matches, never "ass" inside "class".
    this.automaton = new Automaton(codes.map((c) => [SPACE, ...c, SPACE]));
    this.vocabulary = new Vocabulary(vocabularyOf(allPhrases));
    // Pattern rules can span a few more words than they show (bounded repetition).
    this.longestPhrase = Math.max(
      this.patternRules.length > 0 ? 16 : 1,
      ...allPhrases.map(longestVariant),
    );
    this.shapeRole = Uint8Array.from(role);
    this.shapeTarget = Int32Array.from(target);
    this.shapeLeft = left;
    this.shapeRight = right;
    this.patternShape = Int32Array.from(patternShape);
    this.patternLength = Int32Array.from(codes.map((c) => c.length));
    this.patternRunsAt = new Int32Array(codes.length);
    let total = 0;
    codes.forEach((c, i) => {
      this.patternRunsAt[i] = total;
      total += c.length;
    });
    this.patternRuns = new Uint8Array(total);
    for (let i = 0; i < runs.length; i++) this.patternRuns.set(runs[i]!, this.patternRunsAt[i]!);
    this.patternText = texts;
  }

  get stats(): RiskEngineStats {
    return {
      rules: this.rules.length,
      patterns: this.patternText.length,
      states: this.automaton.size,
      alphabet: this.automaton.alphabet,
      bytes:
        this.automaton.bytes +
        this.patternRuns.byteLength +
        this.patternText.length * 40 +
        this.shapeRole.length * 40,
    };
  }

  private allowedFor(language: string | undefined): Uint8Array {
    if (language === undefined) return this.allLanguages;
    const primary = primaryLanguage(String(language));
    let allowed = this.allowedByLanguage.get(primary);
    if (!allowed) {
      allowed = Uint8Array.from(this.languages, (l) => (l === 'und' || l === primary ? 1 : 0));
      if (this.allowedByLanguage.size < 100) this.allowedByLanguage.set(primary, allowed);
    }
    return allowed;
  }

  assess(text: string, options?: AssessOptions): RiskAssessment {
    if (typeof text !== 'string') {
      throw new TypeError(`assess needs a string, got ${text === null ? 'null' : typeof text}`);
    }
    this.allowed = this.allowedFor(options?.language);
    this.found.length = 0;
    this.cancels.length = 0;
    this.detectorHits.length = 0;
    this.detectorCancels.length = 0;
    this.triggers.length = 0;

    sharedNormalizer ??= new Normalizer();
    const normalized = sharedNormalizer.normalize(text, this.vocabulary, this.longestPhrase);
    this.scan(normalized.base);
    if (normalized.alternate) this.scan(normalized.alternate);

    if (this.detectors.size > 0) {
      runDetectors(this.detectors, text, normalized, this.triggers, this.detectorHits);
      this.applyDetectorHits();
    }
    if (this.patternRules.length > 0) {
      this.runPatterns(normalized.base);
      if (normalized.alternate) this.runPatterns(normalized.alternate);
    }
    if (this.found.length === 0) return { maxSeverity: null, categories: [], matches: [] };
    return this.result(text);
  }

  private scan(view: View): void {
    const { delta, reportBit, alphabet, asciiSymbol, otherSymbol } = this.automaton;
    const stateMask = reportBit - 1;
    const code = view.code;
    const length = view.length;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const c = code[i]!;
      const symbol = c < 128 ? asciiSymbol[c]! : (otherSymbol.get(c) ?? OTHER);
      const next = delta[state * alphabet + symbol]!;
      state = next & stateMask;
      if (next !== state) this.collect(state, i, view);
    }
  }

  private collect(state: number, last: number, view: View): void {
    const { head, dictionary, patternNext } = this.automaton;
    let s = head[state]! >= 0 ? state : dictionary[state]!;
    while (s > 0) {
      for (let p = head[s]!; p >= 0; p = patternNext[p]!) this.verify(p, last, view);
      s = dictionary[s]!;
    }
  }

  /**
   * Checks a pattern the automaton found: its letter counts and the slots of its phrase on
   * either side.
   */
  private verify(pattern: number, space: number, view: View): void {
    // `space` is the space after the anchor; the automaton matched the spaces around it.
    const length = this.patternLength[pattern]!;
    const last = space - 1;
    const first = last - length + 1;
    const shape = this.patternShape[pattern]!;
    const left = this.shapeLeft[shape]!;
    const right = this.shapeRight[shape]!;
    const tricks = runsMatch(view, first, this.patternRuns, this.patternRunsAt[pattern]!, length);
    if (tricks < 0) return;
    let from = first;
    let to = last;
    let label = this.patternText[pattern]!;
    if (left.length > 0) {
      from = matchSide(left, first, view, true);
      if (from < 0) return;
      const words = sideText(left, true);
      if (words) label = `${words} ${label}`;
    }
    if (right.length > 0) {
      to = matchSide(right, last, view, false);
      if (to < 0) return;
      const words = sideText(right, false);
      if (words) label = `${label} ${words}`;
    }

    const role = this.shapeRole[shape]!;
    const target = this.shapeTarget[shape]!;
    if (role === Role.trigger) {
      this.triggers.push({ trigger: target as TriggerId, view, first: from, last: to });
      return;
    }
    const start = view.start[from]!;
    const end = view.end[to]!;
    if (role === Role.rulePhrase) {
      if (this.allowed[this.rules[target]!.language] === 0) return;
      this.found.push({
        rule: target,
        start,
        end,
        tricks,
        phrase: true,
        label: `matches "${label}"`,
      });
    } else if (role === Role.ruleException) {
      this.cancels.push({ target, start, end });
    } else if (role === Role.detectorPhrase) {
      this.detectorHits.push({
        detector: riskDetectors[target]!,
        start,
        end,
        reason: `matches "${label}"`,
      });
    } else {
      this.detectorCancels.push({ target, start, end });
    }
  }

  private applyDetectorHits(): void {
    const cancels = this.detectorCancels;
    for (const hit of this.detectorHits) {
      const d = riskDetectors.indexOf(hit.detector);
      if (overlapsAny(cancels, d, hit.start, hit.end)) continue;
      for (const rule of this.rulesByDetector[d]!) {
        if (this.allowed[this.rules[rule]!.language] === 0) continue;
        this.found.push({
          rule,
          start: hit.start,
          end: hit.end,
          tricks: 0,
          phrase: false,
          label: hit.reason,
        });
      }
    }
  }

  private runPatterns(view: View): void {
    const text = viewText(view);
    if (this.patternFilter && !this.patternFilter.test(text)) return;
    for (const rule of this.patternRules) {
      const compiled = this.rules[rule]!;
      if (this.allowed[compiled.language] === 0) continue;
      const pattern = compiled.pattern!;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        let first = match.index;
        let last = match.index + match[0].length - 1;
        if (match[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        while (first < last && view.code[first] === SPACE) first++;
        while (last > first && view.code[last] === SPACE) last--;
        this.found.push({
          rule,
          start: view.start[first]!,
          end: view.end[last]!,
          tricks: 0,
          phrase: true,
          label: `matches the pattern /${pattern.source}/`,
        });
      }
    }
  }

  private result(text: string): RiskAssessment {
    // Exceptions cancel overlapping matches of their own rule. Everything below works in
    // place on the per-assessment list: Found objects are per assessment, so they can be
    // changed.
    const kept = this.found;
    let count = kept.length;
    if (this.cancels.length > 0) {
      const cancels = this.cancels;
      let write = 0;
      for (let read = 0; read < count; read++) {
        const found = kept[read]!;
        if (!overlapsAny(cancels, found.rule, found.start, found.end)) kept[write++] = found;
      }
      count = write;
      kept.length = count;
    }
    // The same warning sign is often found more than once (both views, "kill myself" and
    // "killmyself", "we should meet" and "meet up"); per rule, overlapping finds become one
    // covering them all, explained by the longest.
    sortFound(kept, byRuleThenPosition);
    let merged = 0;
    let longest = 0;
    for (let i = 0; i < count; i++) {
      const found = kept[i]!;
      const previous = merged > 0 ? kept[merged - 1]! : undefined;
      if (previous && previous.rule === found.rule && found.start < previous.end) {
        previous.tricks |= found.tricks;
        if (found.end - found.start > longest) {
          longest = found.end - found.start;
          previous.label = found.label;
          previous.phrase = found.phrase;
        }
        if (found.end > previous.end) previous.end = found.end;
        continue;
      }
      kept[merged++] = found;
      longest = found.end - found.start;
    }
    kept.length = merged;
    sortFound(kept, this.byPosition);

    const matches: RiskMatch[] = new Array(merged);
    // The highest severity rank per category, by category index.
    const worst = this.worst.fill(-1);
    let max = -1;
    for (let i = 0; i < merged; i++) {
      const found = kept[i]!;
      const rule = this.rules[found.rule]!;
      const bits = found.phrase ? found.tricks | tricksIn(text, found.start, found.end) : 0;
      matches[i] = {
        ruleId: rule.id,
        category: rule.category,
        severity: rule.severity,
        span: { start: found.start, end: found.end },
        excerpt: text.slice(found.start, found.end),
        reason: bits === 0 ? found.label : found.label + seenThrough(bits),
      };
      if (rule.rank > max) max = rule.rank;
      if (rule.rank > worst[rule.categoryIndex]!) worst[rule.categoryIndex] = rule.rank;
    }
    const categories: RiskCategory[] = [];
    for (let rank = riskSeverities.length - 1; rank >= 0; rank--) {
      for (let c = 0; c < riskCategories.length; c++) {
        if (worst[c] === rank) categories.push(riskCategories[c]!);
      }
    }
    return { maxSeverity: max < 0 ? null : riskSeverities[max]!, categories, matches };
  }

  /** Text order, then most severe first, then by rule id. */
  private readonly byPosition = (a: Found, b: Found): number => {
    if (a.start !== b.start) return a.start - b.start;
    const ruleA = this.rules[a.rule]!;
    const ruleB = this.rules[b.rule]!;
    if (ruleA.rank !== ruleB.rank) return ruleB.rank - ruleA.rank;
    return ruleA.id < ruleB.id ? -1 : ruleA.id > ruleB.id ? 1 : 0;
  };
}

const seenThroughText: string[] = [];

/** ", seen through leetspeak, spaced-out letters" for a set of tricks (cached). */
function seenThrough(bits: number): string {
  let text = seenThroughText[bits];
  if (text === undefined) {
    text = `, seen through ${describeTricks(bits).join(', ')}`;
    seenThroughText[bits] = text;
  }
  return text;
}

/**
 * Sorts finds in place, stably, as `Array.prototype.sort` would: by insertion for the few
 * finds of a typical message (no comparator-driven merge buffers), by the built-in sort for
 * many.
 */
function sortFound(list: Found[], compare: (a: Found, b: Found) => number): void {
  const length = list.length;
  if (length > 32) {
    list.sort(compare);
    return;
  }
  for (let i = 1; i < length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && compare(list[j]!, item) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
}

function byRuleThenPosition(a: Found, b: Found): number {
  return a.rule - b.rule || a.start - b.start || b.end - a.end;
}

/** Whether any of `spans` for `target` overlaps [start, end). */
function overlapsAny(
  spans: readonly Cancel[],
  target: number,
  start: number,
  end: number,
): boolean {
  for (const span of spans) {
    if (span.target === target && span.start < end && start < span.end) return true;
  }
  return false;
}

/**
 * Whether the letters typed from view index `first` have the run lengths a phrase expects:
 * "kill" needs two l's, or three or more ("killll"); "kil" is another word. Returns the tricks
 * seen (repeated letters), or -1 on a mismatch.
 */
function runsMatch(
  view: View,
  first: number,
  runs: ArrayLike<number>,
  offset: number,
  length: number,
): number {
  let tricks = 0;
  const run = view.run;
  for (let j = 0; j < length; j++) {
    const expected = runs[offset + j]!;
    if (expected === 0) continue;
    const typed = run[first + j]!;
    if (typed !== expected) {
      if (typed < 3) return -1;
      tricks = Trick.repeated;
    }
  }
  return tricks;
}

// Scratch for matchSide: the option chosen at each slot on the current path and on the best.
const chosen = new Int32Array(256);
const bestChosen = new Int32Array(256);
let bestAt = -1;

/**
 * Matches the slots on one side of an anchor, depth first and without allocating. `edge` is
 * the anchor's first (leftward) or last view index. Returns the far end of the longest match
 * that sits on a word boundary, or -1; the options it used are left in `bestChosen`.
 */
function matchSide(slots: readonly Slot[], edge: number, view: View, leftward: boolean): number {
  bestAt = -1;
  if (slots.length > chosen.length) return -1;
  walkSide(slots, 0, edge, view, leftward);
  return bestAt;
}

function walkSide(
  slots: readonly Slot[],
  index: number,
  edge: number,
  view: View,
  leftward: boolean,
): void {
  const code = view.code;
  if (index === slots.length) {
    if (code[leftward ? edge - 1 : edge + 1] !== SPACE) return;
    if (bestAt < 0 || (leftward ? edge < bestAt : edge > bestAt)) {
      bestAt = edge;
      for (let i = 0; i < slots.length; i++) bestChosen[i] = chosen[i]!;
    }
    return;
  }
  const slot = slots[leftward ? slots.length - 1 - index : index]!;
  for (let o = 0; o < slot.length; o++) {
    const option = slot[o]!;
    const size = option.codes.length;
    chosen[index] = o;
    if (size === 0) {
      walkSide(slots, index + 1, edge, view, leftward);
      continue;
    }
    // One space between words, then the option's letters.
    const gap = leftward ? edge - 1 : edge + 1;
    if (code[gap] !== SPACE) continue;
    const begin = leftward ? gap - size : gap + 1;
    if (begin < 1 || begin + size > view.length - 1) continue;
    let same = true;
    for (let j = 0; j < size; j++) {
      if (code[begin + j] !== option.codes[j]) {
        same = false;
        break;
      }
    }
    if (!same || runsMatch(view, begin, option.runs, 0, size) < 0) continue;
    walkSide(slots, index + 1, leftward ? begin : begin + size - 1, view, leftward);
  }
}

/** The words a side matched, in phrase order, from `bestChosen`. */
function sideText(slots: readonly Slot[], leftward: boolean): string {
  let text = '';
  for (let index = 0; index < slots.length; index++) {
    const word = slots[leftward ? slots.length - 1 - index : index]![bestChosen[index]!]!.text;
    if (word === '') continue;
    if (text === '') text = word;
    else text = leftward ? `${word} ${text}` : `${text} ${word}`;
  }
  return text;
}

/** Words in the longest variant of a phrase. */
function longestVariant(phrase: string): number {
  return Math.max(...expandPhrase(phrase).map((variant) => variant.split(' ').length));
}

/** A view as a string for regular expressions, one UTF-16 unit per view character. */
function viewText(view: View): string {
  const { code, length } = view;
  let result = '';
  const chunk: number[] = [];
  for (let i = 0; i < length; i++) {
    const c = code[i]!;
    // Letters outside the BMP become U+FFFD so string offsets stay view offsets.
    chunk.push(c > 0xffff ? 0xfffd : c);
    if (chunk.length === 4096) {
      result += String.fromCharCode(...chunk);
      chunk.length = 0;
    }
  }
  return result + String.fromCharCode(...chunk);
}
