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

// What the second lane of `scanTwoLanes` found (state and position), before it is verified;
// kept between calls up to a size.
let laneFound = new Int32Array(0);
const retainedLaneFound = 1 << 14;
// The options matched by one call's finds are kept between calls up to a size.
const retainedChoices = 1 << 14;
/** Finds, exceptions and lead-ins of one call that are kept for reuse by the next. */
const pooledPerCall = 256;

/** Fields of a pattern in `patternInfo`, `stride` numbers per pattern. */
const Info = {
  length: 0,
  runsAt: 1,
  shape: 2,
  role: 3,
  target: 4,
  /** The rule's language index for a rule phrase, -1 for the others. */
  language: 5,
  /** 1 when the shape has slots on the left, 2 on the right. */
  sides: 6,
  stride: 8,
} as const;

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
  /**
   * The explanation; '' for a phrase with words around its anchor, whose explanation is made
   * only if the find is kept (see `labelAt`).
   */
  label: string;
  /** For such a phrase: its pattern, and where `sideChoices` holds the options it matched. */
  pattern: number;
  choicesAt: number;
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
   * Entries per state in `delta`: the alphabet rounded up to a power of two when that costs
   * little memory, so that the scan finds a row with a shift (`rowShift`, else -1) rather
   * than a multiplication, which would add to every character's wait for the read before.
   */
  readonly stride: number;
  readonly rowShift: number;
  /**
   * Transitions: `delta[state * stride + symbol]` is the next state, with `reportBit` set
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
  /**
   * The longest pattern: a scan begun anywhere in the start state is, after this many
   * characters, in the state a scan from the beginning would be in.
   */
  readonly depth: number;

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
    let rowShift = 0;
    while (1 << rowShift < alphabet) rowShift++;
    if (1 << rowShift > alphabet * 1.25) rowShift = -1;
    const stride = rowShift >= 0 ? 1 << rowShift : alphabet;
    this.rowShift = rowShift;
    this.stride = stride;
    for (const [code, symbol] of symbols) {
      if (code < 128) this.asciiSymbol[code] = symbol;
      else this.otherSymbol.set(code, symbol);
    }
    const small = size < 0x8000;
    const reportBit = small ? 0x8000 : 0x40000000;
    this.reportBit = reportBit;
    const delta = small ? new Uint16Array(size * stride) : new Uint32Array(size * stride);
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
      const row = node * stride;
      const failRow = f * stride;
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
    this.depth = patterns.reduce((longest, codes) => Math.max(longest, codes.length), 0);
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
  /**
   * Shapes (a compiled phrase): the slots checked on either side of its anchor, flattened into
   * typed arrays so that matching them chases no objects.
   */
  private readonly sides: SideTable;
  // Patterns: the anchors in the automaton.
  private readonly patternRuns: Uint8Array;
  private readonly patternText: string[];
  /**
   * What `verify` reads first about a pattern, side by side so that checking one costs one or
   * two cache lines rather than one per table: see {@link Info}.
   */
  private readonly patternInfo: Int32Array;
  /** `matches "…"` per pattern, made when first needed ('' until then). */
  private readonly patternReasons: string[];
  private readonly detectors: Set<RiskDetector>;
  private readonly rulesByDetector: number[][];
  private readonly patternRules: number[];
  private readonly patternFilter: RegExp | null;
  // Per-call scratch, reset at the start of each assessment.
  private allowed: Uint8Array;
  // The lists keep their length between calls (stale entries past the count are ignored):
  // emptying a JavaScript array drops its storage, which the next message would reallocate.
  private found: Found[] = [];
  private foundCount = 0;
  private cancels: Cancel[] = [];
  private cancelCount = 0;
  private detectorHits: DetectorHit[] = [];
  private detectorCancels: Cancel[] = [];
  private detectorCancelCount = 0;
  private triggers: TriggerHit[] = [];
  private triggerCount = 0;
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
    this.sides = new SideTable(left, right);
    const patternRunsAt = new Int32Array(codes.length);
    let total = 0;
    codes.forEach((c, i) => {
      patternRunsAt[i] = total;
      total += c.length;
    });
    this.patternRuns = new Uint8Array(total);
    for (let i = 0; i < runs.length; i++) this.patternRuns.set(runs[i]!, patternRunsAt[i]!);
    this.patternText = texts;
    this.patternReasons = texts.map(() => '');
    this.patternInfo = new Int32Array(codes.length * Info.stride);
    for (let p = 0; p < codes.length; p++) {
      const at = p * Info.stride;
      const shape = patternShape[p]!;
      this.patternInfo[at + Info.length] = codes[p]!.length;
      this.patternInfo[at + Info.runsAt] = patternRunsAt[p]!;
      this.patternInfo[at + Info.shape] = shape;
      this.patternInfo[at + Info.role] = role[shape]!;
      this.patternInfo[at + Info.target] = target[shape]!;
      this.patternInfo[at + Info.language] =
        role[shape] === Role.rulePhrase ? this.rules[target[shape]!]!.language : -1;
      this.patternInfo[at + Info.sides] =
        (left[shape]!.length > 0 ? 1 : 0) | (right[shape]!.length > 0 ? 2 : 0);
    }
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
        this.patternInfo.byteLength +
        this.sides.bytes +
        (this.sides.sideLength.length / 2) * 40,
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
    this.foundCount = 0;
    this.cancelCount = 0;
    this.detectorHits.length = 0;
    this.detectorCancelCount = 0;
    this.triggerCount = 0;
    this.cancelUsed = 0;
    this.choiceCount = 0;
    if (this.sideChoices.length > retainedChoices) this.sideChoices = new Int32Array(256);
    // A huge text's lists are not kept for the next one.
    if (this.found.length > pooledPerCall) this.found.length = pooledPerCall;
    if (this.cancels.length > pooledPerCall) this.cancels.length = pooledPerCall;
    if (this.detectorCancels.length > pooledPerCall) this.detectorCancels.length = pooledPerCall;
    if (this.triggers.length > pooledPerCall) this.triggers.length = pooledPerCall;

    sharedNormalizer ??= new Normalizer();
    const normalized = sharedNormalizer.normalize(text, this.vocabulary, this.longestPhrase);
    this.scan(normalized.base);
    if (normalized.alternate) this.scan(normalized.alternate);

    if (this.detectors.size > 0) {
      runDetectors(
        this.detectors,
        text,
        normalized,
        this.triggers,
        this.triggerCount,
        this.detectorHits,
      );
      this.applyDetectorHits();
    }
    if (this.patternRules.length > 0) {
      this.runPatterns(normalized.base);
      if (normalized.alternate) this.runPatterns(normalized.alternate);
    }
    if (this.foundCount === 0) return { maxSeverity: null, categories: [], matches: [] };
    return this.result(text);
  }

  private scan(view: View): void {
    const { delta, reportBit, stride, rowShift, asciiSymbol, otherSymbol } = this.automaton;
    const stateMask = reportBit - 1;
    const code = view.code;
    const length = view.length;
    let state = 0;
    // Long enough that the other lanes' extra starts are a small share of their work.
    if (rowShift >= 0 && length >= 16 * this.automaton.depth) {
      this.scanFourLanes(view);
      return;
    }
    if (rowShift >= 0 && length >= 8 * this.automaton.depth) {
      this.scanTwoLanes(view);
      return;
    }
    if (rowShift >= 0) {
      for (let i = 0; i < length; i++) {
        const c = code[i]!;
        const symbol = c < 128 ? asciiSymbol[c]! : (otherSymbol.get(c) ?? OTHER);
        const next = delta[(state << rowShift) + symbol]!;
        state = next & stateMask;
        if (next !== state) this.collect(state, i, view);
      }
      return;
    }
    for (let i = 0; i < length; i++) {
      const c = code[i]!;
      const symbol = c < 128 ? asciiSymbol[c]! : (otherSymbol.get(c) ?? OTHER);
      const next = delta[state * stride + symbol]!;
      state = next & stateMask;
      if (next !== state) this.collect(state, i, view);
    }
  }

  /**
   * `scan` in two lanes read side by side, for a long view: each character waits for the
   * table read of the one before, and two independent lanes let the CPU overlap those waits.
   * The second lane starts `depth` characters before its half, by which point it is in the
   * state a scan from the beginning would be in; what it finds is verified after the first
   * lane's finds, so in text order as a single scan would.
   */
  private scanTwoLanes(view: View): void {
    const { delta, reportBit, rowShift, asciiSymbol, otherSymbol, depth } = this.automaton;
    const stateMask = reportBit - 1;
    const code = view.code;
    const length = view.length;
    // Lane a reads [0, middle); lane b reads [middle - depth, length) and reports from middle.
    // Both take the same number of steps; lane b takes any last one after.
    const steps = (length + depth) >> 1;
    const middle = steps;
    let b = middle - depth;
    let stateA = 0;
    let stateB = 0;
    if (laneFound.length < 2 * length) laneFound = new Int32Array(2 * length);
    const found = laneFound;
    let count = 0;
    for (let a = 0; a < steps; a++, b++) {
      const ca = code[a]!;
      const cb = code[b]!;
      const nextA =
        delta[
          (stateA << rowShift) + (ca < 128 ? asciiSymbol[ca]! : (otherSymbol.get(ca) ?? OTHER))
        ]!;
      const nextB =
        delta[
          (stateB << rowShift) + (cb < 128 ? asciiSymbol[cb]! : (otherSymbol.get(cb) ?? OTHER))
        ]!;
      stateA = nextA & stateMask;
      stateB = nextB & stateMask;
      if (nextA !== stateA) this.collect(stateA, a, view);
      if (nextB !== stateB && b >= middle) {
        found[count++] = stateB;
        found[count++] = b;
      }
    }
    for (; b < length; b++) {
      const cb = code[b]!;
      const nextB =
        delta[
          (stateB << rowShift) + (cb < 128 ? asciiSymbol[cb]! : (otherSymbol.get(cb) ?? OTHER))
        ]!;
      stateB = nextB & stateMask;
      if (nextB !== stateB) {
        found[count++] = stateB;
        found[count++] = b;
      }
    }
    for (let f = 0; f < count; f += 2) this.collect(found[f]!, found[f + 1]!, view);
    if (laneFound.length > retainedLaneFound) laneFound = new Int32Array(0);
  }

  /**
   * {@link scanTwoLanes} in four lanes, for a longer view (a message of a kilobyte): four
   * independent waits overlap. Lanes b, c and d start `depth` characters before their quarters;
   * what they find is verified after lane a's finds, b's before c's before d's.
   */
  private scanFourLanes(view: View): void {
    const { delta, reportBit, rowShift, asciiSymbol, otherSymbol, depth } = this.automaton;
    const stateMask = reportBit - 1;
    const code = view.code;
    const length = view.length;
    // Lane a reads [0, endA); lanes b, c, d read from `depth` before endA, endB, endC to endB,
    // endC and the end, reporting from endA, endB, endC. All take the same number of steps;
    // lane d takes any last ones after.
    const steps = (length + 3 * depth) >> 2;
    const endA = steps;
    const endB = endA + steps - depth;
    const endC = endB + steps - depth;
    let b = endA - depth;
    let c = endB - depth;
    let d = endC - depth;
    let stateA = 0;
    let stateB = 0;
    let stateC = 0;
    let stateD = 0;
    if (laneFound.length < 2 * length) laneFound = new Int32Array(2 * length);
    const found = laneFound;
    // Each lane's finds go to its own stretch of `found`: at most one per character it reports.
    let countB = 0;
    const fromC = 2 * (endB - endA);
    let countC = fromC;
    const fromD = fromC + 2 * (endC - endB);
    let countD = fromD;
    for (let a = 0; a < steps; a++, b++, c++, d++) {
      const ca = code[a]!;
      const cb = code[b]!;
      const cc = code[c]!;
      const cd = code[d]!;
      const nextA =
        delta[
          (stateA << rowShift) + (ca < 128 ? asciiSymbol[ca]! : (otherSymbol.get(ca) ?? OTHER))
        ]!;
      const nextB =
        delta[
          (stateB << rowShift) + (cb < 128 ? asciiSymbol[cb]! : (otherSymbol.get(cb) ?? OTHER))
        ]!;
      const nextC =
        delta[
          (stateC << rowShift) + (cc < 128 ? asciiSymbol[cc]! : (otherSymbol.get(cc) ?? OTHER))
        ]!;
      const nextD =
        delta[
          (stateD << rowShift) + (cd < 128 ? asciiSymbol[cd]! : (otherSymbol.get(cd) ?? OTHER))
        ]!;
      stateA = nextA & stateMask;
      stateB = nextB & stateMask;
      stateC = nextC & stateMask;
      stateD = nextD & stateMask;
      if (nextA !== stateA) this.collect(stateA, a, view);
      if (nextB !== stateB && b >= endA) {
        found[countB++] = stateB;
        found[countB++] = b;
      }
      if (nextC !== stateC && c >= endB) {
        found[countC++] = stateC;
        found[countC++] = c;
      }
      if (nextD !== stateD && d >= endC) {
        found[countD++] = stateD;
        found[countD++] = d;
      }
    }
    for (; d < length; d++) {
      const cd = code[d]!;
      const nextD =
        delta[
          (stateD << rowShift) + (cd < 128 ? asciiSymbol[cd]! : (otherSymbol.get(cd) ?? OTHER))
        ]!;
      stateD = nextD & stateMask;
      if (nextD !== stateD) {
        found[countD++] = stateD;
        found[countD++] = d;
      }
    }
    for (let f = 0; f < countB; f += 2) this.collect(found[f]!, found[f + 1]!, view);
    for (let f = fromC; f < countC; f += 2) this.collect(found[f]!, found[f + 1]!, view);
    for (let f = fromD; f < countD; f += 2) this.collect(found[f]!, found[f + 1]!, view);
    if (laneFound.length > retainedLaneFound) laneFound = new Int32Array(0);
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
    const info = this.patternInfo;
    const at = pattern * Info.stride;
    const length = info[at + Info.length]!;
    const last = space - 1;
    const first = last - length + 1;
    const role = info[at + Info.role]!;
    // Rules in a language the text is not in are skipped before any work.
    const language = info[at + Info.language]!;
    if (language >= 0 && this.allowed[language] === 0) return;
    const tricks = runsMatch(view, first, this.patternRuns, info[at + Info.runsAt]!, length);
    if (tricks < 0) return;
    const shape = info[at + Info.shape]!;
    const target = info[at + Info.target]!;
    const sides = info[at + Info.sides]!;
    // Only matches and detector phrases are explained, by the options their sides matched;
    // lead-ins and exceptions need no explanation.
    const labelled = role === Role.rulePhrase || role === Role.detectorPhrase;
    let from = first;
    let to = last;
    const choicesAt = this.choiceCount;
    if ((sides & 1) !== 0) {
      from = matchSide(this.sides, 2 * shape, first, view, true);
      if (from < 0) return;
      if (labelled) this.keepChoices(this.sides.sideLength[2 * shape]!);
    }
    if ((sides & 2) !== 0) {
      to = matchSide(this.sides, 2 * shape + 1, last, view, false);
      if (to < 0) {
        this.choiceCount = choicesAt;
        return;
      }
      if (labelled) this.keepChoices(this.sides.sideLength[2 * shape + 1]!);
    }

    if (role === Role.trigger) {
      this.addTrigger(target as TriggerId, view, from, to);
      return;
    }
    const start = view.start[from]!;
    const end = view.end[to]!;
    if (role === Role.rulePhrase) {
      if (sides === 0) this.addFound(target, start, end, tricks, true, this.anchorReason(pattern));
      else this.addFound(target, start, end, tricks, true, '', pattern, choicesAt);
    } else if (role === Role.ruleException) {
      this.cancels[this.cancelCount++] = this.newCancel(target, start, end);
    } else if (role === Role.detectorPhrase) {
      this.detectorHits.push({
        detector: riskDetectors[target]!,
        start,
        end,
        reason: this.labelAt(pattern, choicesAt),
      });
    } else {
      this.detectorCancels[this.detectorCancelCount++] = this.newCancel(target, start, end);
    }
  }

  /** Keeps the options `matchSide` chose for the `slots` of a side, for {@link labelAt}. */
  private keepChoices(slots: number): void {
    let choices = this.sideChoices;
    if (this.choiceCount + slots > choices.length) {
      choices = new Int32Array(Math.max(2 * choices.length, this.choiceCount + slots));
      choices.set(this.sideChoices);
      this.sideChoices = choices;
    }
    for (let i = 0; i < slots; i++) choices[this.choiceCount + i] = bestChosen[i]!;
    this.choiceCount += slots;
  }

  /**
   * `matches "…"` for a phrase with words around its anchor: the options its sides matched,
   * kept by {@link keepChoices} from `choicesAt`, around the anchor.
   */
  private labelAt(pattern: number, choicesAt: number): string {
    const shape = this.patternInfo[pattern * Info.stride + Info.shape]!;
    const sides = this.patternInfo[pattern * Info.stride + Info.sides]!;
    let label = this.patternText[pattern]!;
    let at = choicesAt;
    if ((sides & 1) !== 0) {
      const words = sideText(this.sides, 2 * shape, true, this.sideChoices, at);
      if (words) label = `${words} ${label}`;
      at += this.sides.sideLength[2 * shape]!;
    }
    if ((sides & 2) !== 0) {
      const words = sideText(this.sides, 2 * shape + 1, false, this.sideChoices, at);
      if (words) label = `${label} ${words}`;
    }
    return `matches "${label}"`;
  }

  // The options matched by the sides of this call's finds (see `keepChoices`).
  private sideChoices = new Int32Array(256);
  private choiceCount = 0;

  /** `matches "…"` for a phrase that is all anchor, made once per pattern. */
  private anchorReason(pattern: number): string {
    let reason = this.patternReasons[pattern]!;
    if (reason === '') {
      reason = `matches "${this.patternText[pattern]!}"`;
      this.patternReasons[pattern] = reason;
    }
    return reason;
  }

  // Finds, exceptions and lead-ins live only while one text is assessed, so their objects are
  // reused from call to call instead of being allocated for every message (up to a bound, so
  // one huge text does not pin them for the life of the engine).
  private readonly foundPool: Found[] = [];
  private readonly cancelPool: Cancel[] = [];
  private cancelUsed = 0;
  private readonly triggerPool: TriggerHit[] = [];

  private addFound(
    rule: number,
    start: number,
    end: number,
    tricks: number,
    phrase: boolean,
    label: string,
    pattern = -1,
    choicesAt = 0,
  ): void {
    let found = this.foundPool[this.foundCount];
    if (found === undefined) {
      found = { rule, start, end, tricks, phrase, label, pattern, choicesAt };
      if (this.foundCount < pooledPerCall) this.foundPool.push(found);
    } else {
      found.rule = rule;
      found.start = start;
      found.end = end;
      found.tricks = tricks;
      found.phrase = phrase;
      found.label = label;
      found.pattern = pattern;
      found.choicesAt = choicesAt;
    }
    this.found[this.foundCount++] = found;
  }

  private newCancel(target: number, start: number, end: number): Cancel {
    let cancel = this.cancelPool[this.cancelUsed];
    if (cancel === undefined) {
      cancel = { target, start, end };
      if (this.cancelUsed < pooledPerCall) this.cancelPool.push(cancel);
    } else {
      cancel.target = target;
      cancel.start = start;
      cancel.end = end;
    }
    this.cancelUsed++;
    return cancel;
  }

  private addTrigger(trigger: TriggerId, view: View, first: number, last: number): void {
    let hit = this.triggerPool[this.triggerCount];
    if (hit === undefined) {
      hit = { trigger, view, first, last };
      if (this.triggerCount < pooledPerCall) this.triggerPool.push(hit);
    } else {
      hit.trigger = trigger;
      hit.view = view;
      hit.first = first;
      hit.last = last;
    }
    this.triggers[this.triggerCount++] = hit;
  }

  private applyDetectorHits(): void {
    const cancels = this.detectorCancels;
    const cancelCount = this.detectorCancelCount;
    for (const hit of this.detectorHits) {
      const d = riskDetectors.indexOf(hit.detector);
      if (overlapsAny(cancels, cancelCount, d, hit.start, hit.end)) continue;
      for (const rule of this.rulesByDetector[d]!) {
        if (this.allowed[this.rules[rule]!.language] === 0) continue;
        this.addFound(rule, hit.start, hit.end, 0, false, hit.reason);
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
        this.addFound(
          rule,
          view.start[first]!,
          view.end[last]!,
          0,
          true,
          `matches the pattern /${pattern.source}/`,
        );
      }
    }
  }

  private result(text: string): RiskAssessment {
    // Exceptions cancel overlapping matches of their own rule. Everything below works in
    // place on the per-assessment list: Found objects are per assessment, so they can be
    // changed.
    const kept = this.found;
    let count = this.foundCount;
    if (this.cancelCount > 0) {
      const cancels = this.cancels;
      const cancelCount = this.cancelCount;
      let write = 0;
      for (let read = 0; read < count; read++) {
        const found = kept[read]!;
        if (!overlapsAny(cancels, cancelCount, found.rule, found.start, found.end)) {
          kept[write++] = found;
        }
      }
      count = write;
    }
    // The same warning sign is often found more than once (both views, "kill myself" and
    // "killmyself", "we should meet" and "meet up"); per rule, overlapping finds become one
    // covering them all, explained by the longest.
    // A message's few finds are sorted by insertion with the comparison inlined (a call per
    // comparison through `sortFound` costs more than the comparison).
    if (count <= insertionRun * 2) sortSmallByRule(kept, count);
    else sortFound(kept, count, byRuleThenPosition);
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
          previous.pattern = found.pattern;
          previous.choicesAt = found.choicesAt;
          previous.phrase = found.phrase;
        }
        if (found.end > previous.end) previous.end = found.end;
        continue;
      }
      kept[merged++] = found;
      longest = found.end - found.start;
    }
    if (merged <= insertionRun * 2) this.sortSmallByPosition(kept, merged);
    else sortFound(kept, merged, this.byPosition);

    const matches: RiskMatch[] = new Array(merged);
    // The highest severity rank per category, by category index.
    const worst = this.worst.fill(-1);
    let max = -1;
    for (let i = 0; i < merged; i++) {
      const found = kept[i]!;
      const rule = this.rules[found.rule]!;
      const bits = found.phrase ? found.tricks | tricksIn(text, found.start, found.end) : 0;
      const label = found.pattern < 0 ? found.label : this.labelAt(found.pattern, found.choicesAt);
      matches[i] = {
        ruleId: rule.id,
        category: rule.category,
        severity: rule.severity,
        span: { start: found.start, end: found.end },
        excerpt: text.slice(found.start, found.end),
        reason: bits === 0 ? label : label + seenThrough(bits),
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
  private comparePosition(a: Found, b: Found): number {
    if (a.start !== b.start) return a.start - b.start;
    const ruleA = this.rules[a.rule]!;
    const ruleB = this.rules[b.rule]!;
    if (ruleA.rank !== ruleB.rank) return ruleB.rank - ruleA.rank;
    return ruleA.id < ruleB.id ? -1 : ruleA.id > ruleB.id ? 1 : 0;
  }

  private readonly byPosition = (a: Found, b: Found): number => this.comparePosition(a, b);

  /** {@link insertionSort} by {@link comparePosition}, called directly. */
  private sortSmallByPosition(list: Found[], length: number): void {
    for (let i = 1; i < length; i++) {
      const item = list[i]!;
      let j = i - 1;
      while (j >= 0 && this.comparePosition(list[j]!, item) > 0) {
        list[j + 1] = list[j]!;
        j--;
      }
      list[j + 1] = item;
    }
  }
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
 * Sorts finds in place, stably, as `Array.prototype.sort` would, without its per-call buffers:
 * by insertion for the few finds of a typical message, by a merge sort through a retained
 * scratch list for more, and by the built-in sort for very many (a huge text).
 */
function sortFound(list: Found[], length: number, compare: (a: Found, b: Found) => number): void {
  if (length > maxMergeSorted) {
    const sorted = list.slice(0, length).sort(compare);
    for (let k = 0; k < length; k++) list[k] = sorted[k]!;
    return;
  }
  if (length <= insertionRun * 2) {
    insertionSort(list, 0, length, compare);
    return;
  }
  for (let from = 0; from < length; from += insertionRun) {
    insertionSort(list, from, Math.min(from + insertionRun, length), compare);
  }
  let source = list;
  let target = mergeScratch;
  for (let width = insertionRun; width < length; width *= 2) {
    for (let from = 0; from < length; from += 2 * width) {
      const middle = Math.min(from + width, length);
      const to = Math.min(from + 2 * width, length);
      let a = from;
      let b = middle;
      for (let k = from; k < to; k++) {
        // Ties take the left run first, which keeps the sort stable.
        if (a < middle && (b >= to || compare(source[a]!, source[b]!) <= 0))
          target[k] = source[a++]!;
        else target[k] = source[b++]!;
      }
    }
    const swap = source;
    source = target;
    target = swap;
  }
  if (source !== list) for (let k = 0; k < length; k++) list[k] = source[k]!;
}

const insertionRun = 16;
const maxMergeSorted = 4096;
const mergeScratch: Found[] = [];

function insertionSort(
  list: Found[],
  from: number,
  to: number,
  compare: (a: Found, b: Found) => number,
): void {
  for (let i = from + 1; i < to; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= from && compare(list[j]!, item) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
}

function byRuleThenPosition(a: Found, b: Found): number {
  return a.rule - b.rule || a.start - b.start || b.end - a.end;
}

/** {@link insertionSort} by {@link byRuleThenPosition}, called directly. */
function sortSmallByRule(list: Found[], length: number): void {
  for (let i = 1; i < length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && byRuleThenPosition(list[j]!, item) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
}

/** Whether any of the first `count` of `spans` for `target` overlaps [start, end). */
function overlapsAny(
  spans: readonly Cancel[],
  count: number,
  target: number,
  start: number,
  end: number,
): boolean {
  for (let i = 0; i < count; i++) {
    const span = spans[i]!;
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
 * Buckets of a slot's options by the letter next to the anchor (an option's first letter
 * rightward, its last leftward): a–z, the number placeholder, anything else, and one for a
 * gap without a space, where only empty options can match.
 */
const letterBuckets = 26;
const numberBucket = 26;
const otherBucket = 27;
const emptyBucket = 28;
const bucketCount = 29;

function bucketOf(code: number): number {
  const letter = code - 0x61;
  if (letter >= 0 && letter < letterBuckets) return letter;
  return code === NUMBER ? numberBucket : otherBucket;
}

/**
 * The slots on either side of every shape's anchor, flattened into typed arrays in the order
 * they are walked (outwards from the anchor), with each slot's options bucketed by the letter
 * that touches the anchor side: a side is checked against the words around every anchor the
 * automaton finds, and most options cannot match the first letter they would need.
 */
class SideTable {
  /** Per side (`2 * shape` left, `2 * shape + 1` right): its first slot and slot count. */
  readonly sideSlot: Int32Array;
  readonly sideLength: Int32Array;
  /** Per slot: its first option. */
  readonly slotOption: Int32Array;
  /** Per slot and bucket: where its options start in `bucketed` (one more entry at the end). */
  readonly bucketStart: Int32Array;
  /** Option numbers within their slot, in the slot's order, grouped by slot and bucket. */
  readonly bucketed: Int32Array;
  /** Per option: where its letters start in `codes` and `runs`, and how many. */
  readonly optionAt: Int32Array;
  readonly optionSize: Int32Array;
  readonly codes: Int32Array;
  readonly runs: Uint8Array;
  /** Per option: the phrase text it came from, for explanations. */
  readonly optionText: string[] = [];

  constructor(left: readonly Slot[][], right: readonly Slot[][]) {
    const sides = left.length * 2;
    this.sideSlot = new Int32Array(sides);
    this.sideLength = new Int32Array(sides);
    const walked: { slot: Slot; leftward: boolean }[] = [];
    for (let shape = 0; shape < left.length; shape++) {
      for (const leftward of [true, false]) {
        const slots = leftward ? left[shape]! : right[shape]!;
        const side = 2 * shape + (leftward ? 0 : 1);
        this.sideSlot[side] = walked.length;
        this.sideLength[side] = slots.length;
        for (let index = 0; index < slots.length; index++) {
          walked.push({ slot: slots[leftward ? slots.length - 1 - index : index]!, leftward });
        }
      }
    }
    const codes: number[] = [];
    const runs: number[] = [];
    const optionAt: number[] = [];
    const optionSize: number[] = [];
    const bucketed: number[] = [];
    this.slotOption = new Int32Array(walked.length);
    this.bucketStart = new Int32Array(walked.length * bucketCount + 1);
    walked.forEach(({ slot, leftward }, index) => {
      this.slotOption[index] = optionAt.length;
      for (const option of slot) {
        optionAt.push(codes.length);
        optionSize.push(option.codes.length);
        this.optionText.push(option.text);
        codes.push(...option.codes);
        runs.push(...option.runs);
      }
      for (let bucket = 0; bucket < bucketCount; bucket++) {
        this.bucketStart[index * bucketCount + bucket] = bucketed.length;
        slot.forEach((option, o) => {
          const size = option.codes.length;
          const touching = size === 0 ? -1 : bucketOf(option.codes[leftward ? size - 1 : 0]!);
          if (size === 0 || touching === bucket) bucketed.push(o);
        });
      }
    });
    this.bucketStart[walked.length * bucketCount] = bucketed.length;
    this.bucketed = Int32Array.from(bucketed);
    this.optionAt = Int32Array.from(optionAt);
    this.optionSize = Int32Array.from(optionSize);
    this.codes = Int32Array.from(codes);
    this.runs = Uint8Array.from(runs);
  }

  get bytes(): number {
    return (
      this.sideSlot.byteLength +
      this.sideLength.byteLength +
      this.slotOption.byteLength +
      this.bucketStart.byteLength +
      this.bucketed.byteLength +
      this.optionAt.byteLength +
      this.optionSize.byteLength +
      this.codes.byteLength +
      this.runs.byteLength
    );
  }
}

/**
 * Matches the slots on one side of an anchor, depth first and without allocating. `edge` is
 * the anchor's first (leftward) or last view index. Returns the far end of the longest match
 * that sits on a word boundary, or -1; the options it used are left in `bestChosen`.
 */
function matchSide(
  table: SideTable,
  side: number,
  edge: number,
  view: View,
  leftward: boolean,
): number {
  bestAt = -1;
  const length = table.sideLength[side]!;
  if (length > chosen.length) return -1;
  walkSide(table, table.sideSlot[side]!, length, 0, edge, view, leftward);
  return bestAt;
}

function walkSide(
  table: SideTable,
  firstSlot: number,
  slots: number,
  index: number,
  edge: number,
  view: View,
  leftward: boolean,
): void {
  const code = view.code;
  if (index === slots) {
    if (code[leftward ? edge - 1 : edge + 1] !== SPACE) return;
    if (bestAt < 0 || (leftward ? edge < bestAt : edge > bestAt)) {
      bestAt = edge;
      for (let i = 0; i < slots; i++) bestChosen[i] = chosen[i]!;
    }
    return;
  }
  // One space between words, then the option's letters: only options whose letter next to
  // the gap is the one there can match (empty options always can).
  const gap = leftward ? edge - 1 : edge + 1;
  let bucket = emptyBucket;
  if (code[gap] === SPACE) {
    const touching = leftward ? gap - 1 : gap + 1;
    if (touching >= 1 && touching <= view.length - 2) bucket = bucketOf(code[touching]!);
  }
  const slot = firstSlot + index;
  const at = slot * bucketCount + bucket;
  const last = table.bucketStart[at + 1]!;
  const firstOption = table.slotOption[slot]!;
  const { bucketed, optionAt, optionSize, codes } = table;
  for (let k = table.bucketStart[at]!; k < last; k++) {
    const o = bucketed[k]!;
    const option = firstOption + o;
    const size = optionSize[option]!;
    chosen[index] = o;
    if (size === 0) {
      walkSide(table, firstSlot, slots, index + 1, edge, view, leftward);
      continue;
    }
    const begin = leftward ? gap - size : gap + 1;
    if (begin < 1 || begin + size > view.length - 1) continue;
    const offset = optionAt[option]!;
    let same = true;
    for (let j = 0; j < size; j++) {
      if (code[begin + j] !== codes[offset + j]) {
        same = false;
        break;
      }
    }
    if (!same || runsMatch(view, begin, table.runs, offset, size) < 0) continue;
    walkSide(
      table,
      firstSlot,
      slots,
      index + 1,
      leftward ? begin : begin + size - 1,
      view,
      leftward,
    );
  }
}

/** The words a side matched, in phrase order, from the options chosen at `choices[at]` on. */
function sideText(
  table: SideTable,
  side: number,
  leftward: boolean,
  choices: Int32Array,
  at: number,
): string {
  const first = table.sideSlot[side]!;
  const slots = table.sideLength[side]!;
  let text = '';
  for (let index = 0; index < slots; index++) {
    const word = table.optionText[table.slotOption[first + index]! + choices[at + index]!]!;
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
