/**
 * Checks that a rule's regular expression cannot backtrack catastrophically. JavaScript has no
 * regex timeout, so one bad pattern in a tenant's rules could stall every message; the rules
 * here are strict enough that each pattern runs in time linear in the text (times a small
 * constant), and each rejection says what to write instead.
 *
 * What is allowed: literals, classes (`[a-z]`, `\w`, `\d`, `\s`, `.`, `\p{L}`), groups
 * (`(…)`, `(?:…)`, `(?<name>…)`), alternation, anchors and `\b`, and repetition with an upper
 * bound of at most 20 (`?`, `{n}`, `{n,m}`).
 *
 * What is refused, and why:
 * - unbounded repetition (`*`, `+`, `{n,}`): each start position could scan the rest of the
 *   text, which is quadratic on a long run of letters;
 * - repetitions and alternatives in a row that can match the same characters, with nothing in
 *   between that only one of them can match, when the ways to split a run multiply past 1000
 *   (`\w{0,20}\w{0,20}\w{0,20}`, `a?a?a?a?a?a?a?a?a?a?`);
 * - repetition of a group that itself repeats, unless the group ends in a character the inner
 *   repetitions cannot match (`(?:\w{1,20} ){0,3}` is fine, `(?:a{1,5}){1,5}` is not), and
 *   repetition of a group with alternatives (`(?:a|ab){1,5}`);
 * - backreferences and lookaround, whose cost is hard to bound.
 */

const maxRepeat = 20;
const maxSourceLength = 300;
/** How many ways a run of overlapping variable parts may split one stretch of text. */
const maxChoices = 1000;

/** The characters a single-character matcher may match: a bitmap of ASCII plus "any other". */
interface CharSet {
  ascii: boolean[];
  other: boolean;
}

type Node =
  | { type: 'char'; set: CharSet }
  | { type: 'assert' }
  | { type: 'group'; alternatives: Node[][] }
  | { type: 'repeat'; min: number; max: number; node: Node };

class PatternError extends Error {}

function emptySet(): CharSet {
  return { ascii: new Array<boolean>(128).fill(false), other: false };
}

function setOf(predicate: (code: number) => boolean, other: boolean): CharSet {
  const set = emptySet();
  for (let code = 0; code < 128; code++) set.ascii[code] = predicate(code);
  set.other = other;
  return set;
}

function union(a: CharSet, b: CharSet): CharSet {
  return { ascii: a.ascii.map((bit, code) => bit || b.ascii[code]!), other: a.other || b.other };
}

function negate(set: CharSet): CharSet {
  // A negated class matches some non-ASCII character unless it is very unusual; assume it does.
  return { ascii: set.ascii.map((bit) => !bit), other: true };
}

function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.other && b.other) return true;
  for (let code = 0; code < 128; code++) if (a.ascii[code] && b.ascii[code]) return true;
  return false;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWordChar = (c: number) =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

class Parser {
  private i = 0;
  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.source.length) throw new PatternError(`unexpected ")" at ${this.i}`);
    return node;
  }

  private peek(): string | undefined {
    return this.source[this.i];
  }

  private alternation(): Node {
    const alternatives: Node[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      alternatives.push(this.sequence());
    }
    return { type: 'group', alternatives };
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return items;
      items.push(this.quantified(this.atom()));
    }
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+') {
      throw new PatternError(
        `unbounded repetition "${c}" is not allowed — write a bound of at most ${maxRepeat}, such as {${c === '*' ? 0 : 1},${maxRepeat}}`,
      );
    } else if (c === '?') {
      this.i++;
      min = 0;
      max = 1;
    } else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.i));
      if (!match) return node;
      this.i += match[0].length;
      min = Number(match[1]);
      if (match[2] === undefined) max = min;
      else if (match[3] === '') {
        throw new PatternError(
          `unbounded repetition "${match[0]}" is not allowed — give an upper bound of at most ${maxRepeat}`,
        );
      } else max = Number(match[3]);
      if (max > maxRepeat) {
        throw new PatternError(`repetition "${match[0]}" is too large — at most ${maxRepeat}`);
      }
    } else return node;
    if (this.peek() === '?') this.i++;
    if (node.type === 'assert') throw new PatternError('an anchor or \\b cannot be repeated');
    return { type: 'repeat', min, max, node };
  }

  private atom(): Node {
    const c = this.source[this.i++]!;
    switch (c) {
      case '(': {
        if (this.source.startsWith('?=', this.i) || this.source.startsWith('?!', this.i)) {
          throw new PatternError('lookahead is not allowed — use the rule\'s "exceptions" instead');
        }
        if (this.source.startsWith('?<=', this.i) || this.source.startsWith('?<!', this.i)) {
          throw new PatternError(
            'lookbehind is not allowed — use the rule\'s "exceptions" instead',
          );
        }
        if (this.source.startsWith('?:', this.i)) this.i += 2;
        else if (this.source.startsWith('?<', this.i)) {
          const close = this.source.indexOf('>', this.i);
          if (close < 0) throw new PatternError('unterminated group name');
          this.i = close + 1;
        } else if (this.peek() === '?') throw new PatternError('unsupported group syntax "(?"');
        const group = this.alternation();
        if (this.source[this.i++] !== ')') throw new PatternError('missing ")"');
        return group;
      }
      case '[':
        return { type: 'char', set: this.characterClass() };
      case '\\':
        return this.escape(false) as Node;
      case '.':
        return { type: 'char', set: setOf((code) => code !== 0x0a && code !== 0x0d, true) };
      case '^':
      case '$':
        return { type: 'assert' };
      case ')':
        throw new PatternError('unmatched ")"');
      case '*':
      case '+':
      case '?':
        throw new PatternError(`"${c}" has nothing to repeat`);
      default: {
        const code = c.codePointAt(0)!;
        if (code >= 0x41 && code <= 0x5a) {
          throw new PatternError(
            `patterns match the lower-case words view — write "${c.toLowerCase()}", not "${c}"`,
          );
        }
        if (code >= 0xd800 && code <= 0xdbff) this.i++;
        return { type: 'char', set: literal(code) };
      }
    }
  }

  /** After a backslash. Inside a class, returns only character sets. */
  private escape(inClass: boolean): Node | CharSet {
    const c = this.source[this.i++];
    if (c === undefined) throw new PatternError('pattern ends with "\\"');
    const set = (value: CharSet): Node | CharSet =>
      inClass ? value : { type: 'char', set: value };
    switch (c) {
      case 'd':
        return set(setOf(isDigit, false));
      case 'D':
        return set(negate(setOf(isDigit, false)));
      case 'w':
        return set(setOf(isWordChar, false));
      case 'W':
        return set(negate(setOf(isWordChar, false)));
      case 's':
        return set(setOf(isSpace, true));
      case 'S':
        return set(negate(setOf(isSpace, false)));
      case 'b':
      case 'B':
        if (inClass) throw new PatternError('"\\b" is not allowed inside a class');
        return { type: 'assert' };
      case 'p':
      case 'P': {
        const match = /^\{[^}]*\}/.exec(this.source.slice(this.i));
        if (!match) throw new PatternError(`"\\${c}" needs a property in braces, like \\p{L}`);
        this.i += match[0].length;
        // Unicode properties are judged conservatively: they may match any letter or digit.
        return set(setOf((code) => isWordChar(code) && code !== 0x5f, true));
      }
      case 'k':
        throw new PatternError('backreferences are not allowed');
      case 'u': {
        const match = /^(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/.exec(
          this.source.slice(this.i),
        );
        if (!match) throw new PatternError('invalid \\u escape');
        this.i += match[0].length;
        return set(literal(Number.parseInt(match[1] ?? match[2]!, 16)));
      }
      case 'x': {
        const match = /^[0-9a-fA-F]{2}/.exec(this.source.slice(this.i));
        if (!match) throw new PatternError('invalid \\x escape');
        this.i += 2;
        return set(literal(Number.parseInt(match[0], 16)));
      }
      case 'n':
        return set(literal(0x0a));
      case 't':
        return set(literal(0x09));
      case 'r':
        return set(literal(0x0d));
      case 'f':
        return set(literal(0x0c));
      case 'v':
        return set(literal(0x0b));
      case '0':
        return set(literal(0));
      default:
        if (c >= '1' && c <= '9') throw new PatternError('backreferences are not allowed');
        return set(literal(c.codePointAt(0)!));
    }
  }

  private characterClass(): CharSet {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    let result = emptySet();
    let previous: number | null = null;
    for (;;) {
      const c = this.source[this.i++];
      if (c === undefined) throw new PatternError('missing "]"');
      if (c === ']') break;
      if (c === '-' && previous !== null && this.peek() !== ']' && this.peek() !== undefined) {
        const to = this.classMember();
        if (typeof to !== 'number') throw new PatternError('invalid range in class');
        result = union(
          result,
          setOf((code) => code >= previous! && code <= to, to > 0x7f),
        );
        previous = null;
        continue;
      }
      this.i--;
      const member = this.classMember();
      if (typeof member === 'number') {
        result = union(result, literal(member));
        previous = member;
      } else {
        result = union(result, member);
        previous = null;
      }
    }
    return negated ? negate(result) : result;
  }

  private classMember(): number | CharSet {
    const c = this.source[this.i++]!;
    if (c !== '\\') {
      const code = c.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdbff) this.i++;
      return code;
    }
    const escaped = this.escape(true) as CharSet;
    const codes = escaped.ascii.flatMap((bit, code) => (bit ? [code] : []));
    return codes.length === 1 && !escaped.other ? codes[0]! : escaped;
  }
}

function literal(code: number): CharSet {
  if (code < 128) return setOf((c) => c === code, false);
  return { ascii: new Array<boolean>(128).fill(false), other: true };
}

/** Every character set a node can match anywhere inside it. */
function charactersOf(node: Node): CharSet {
  switch (node.type) {
    case 'char':
      return node.set;
    case 'assert':
      return emptySet();
    case 'repeat':
      return charactersOf(node.node);
    case 'group':
      return node.alternatives.flat().map(charactersOf).reduce(union, emptySet());
  }
}

function repeatsInside(node: Node): Node[] {
  switch (node.type) {
    case 'repeat':
      return node.min !== node.max ? [node, ...repeatsInside(node.node)] : repeatsInside(node.node);
    case 'group':
      return node.alternatives.flat().flatMap(repeatsInside);
    default:
      return [];
  }
}

/** Whether a node always matches the same number of characters. */
function isFixed(node: Node): boolean {
  switch (node.type) {
    case 'char':
    case 'assert':
      return true;
    case 'repeat':
      return node.min === node.max && isFixed(node.node);
    case 'group':
      return node.alternatives.length === 1 && node.alternatives[0]!.every(isFixed);
  }
}

function describe(set: CharSet): string {
  const sample = set.ascii.flatMap((bit, code) => (bit && code > 0x20 ? [code] : []));
  return sample.length === 1 ? `"${String.fromCharCode(sample[0]!)}"` : 'the same characters';
}

function checkNode(node: Node): void {
  if (node.type === 'group') {
    for (const alternative of node.alternatives) checkSequence(alternative);
    return;
  }
  if (node.type !== 'repeat') return;
  checkNode(node.node);
  if (node.max <= 1 || node.node.type !== 'group') return;
  const group = node.node;
  if (group.alternatives.length > 1) {
    throw new PatternError(
      'a repeated group cannot have alternatives ("(?:a|ab){1,5}") — list the variants as separate rules or phrases',
    );
  }
  const inner = repeatsInside(group);
  if (inner.length === 0) return;
  // A repeated group whose own repetitions stop at a character they cannot match splits the
  // text one way only: "(?:\w{1,20} ){0,3}" reads word, space, word, space.
  const items = group.alternatives[0]!;
  const last = items[items.length - 1];
  const terminator = last?.type === 'char' ? last.set : null;
  if (!terminator || inner.some((repeat) => overlaps(charactersOf(repeat), terminator))) {
    throw new PatternError(
      'a repeated group that repeats inside must end with a character its inner repetition cannot match, as in (?:\\w{1,20} ){0,3}',
    );
  }
}

/** How many ways a node can match at one position, at most (repetition counts and branches). */
function choicesOf(node: Node): number {
  switch (node.type) {
    case 'char':
    case 'assert':
      return 1;
    case 'repeat':
      return (node.max - node.min + 1) * choicesOf(node.node);
    case 'group':
      return node.alternatives
        .map((items) => items.reduce((product, item) => product * choicesOf(item), 1))
        .reduce((sum, choices) => sum + choices, 0);
  }
}

function checkSequence(items: Node[]): void {
  // The characters that the variable-length items just before could still take, and how many
  // ways those items can split the text between them.
  let open = emptySet();
  let chain = 1;
  for (const item of items) {
    checkNode(item);
    if (item.type === 'assert') continue;
    const characters = charactersOf(item);
    if (isFixed(item)) {
      if (!overlaps(open, characters)) {
        open = emptySet();
        chain = 1;
      }
      continue;
    }
    const choices = choicesOf(item);
    chain = overlaps(open, characters) ? chain * choices : choices;
    if (chain > maxChoices) {
      throw new PatternError(
        `repetitions or alternatives in a row can all match ${describe(characters)}, in more than ${maxChoices} ways — put a character only one of them matches between them, or lower the bounds`,
      );
    }
    open = canBeEmpty(item) ? union(open, characters) : characters;
  }
}

function canBeEmpty(node: Node): boolean {
  switch (node.type) {
    case 'char':
      return false;
    case 'assert':
      return true;
    case 'repeat':
      return node.min === 0 || canBeEmpty(node.node);
    case 'group':
      return node.alternatives.some((alternative) => alternative.every(canBeEmpty));
  }
}

/**
 * Why a pattern is unsafe or invalid, or `null` when it is fine. Used by the rule schema.
 * @example patternProblem('\\bkill\\w+') // 'unbounded repetition "+" is not allowed — …'
 */
export function patternProblem(source: string): string | null {
  if (source.length > maxSourceLength) return `must be at most ${maxSourceLength} characters`;
  try {
    new RegExp(source, 'u');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
  try {
    checkNode(new Parser(source).parse());
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
  if (new RegExp(`^(?:${source})$`, 'u').test('')) return 'must not match empty text';
  return null;
}
