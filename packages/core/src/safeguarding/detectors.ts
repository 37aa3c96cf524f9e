/**
 * The built-in detectors: personal details that a phrase list cannot describe. Each one is
 * gated by something cheap (a fact gathered while folding, or a lead-in phrase found by the
 * engine's automaton) so ordinary messages cost next to nothing.
 *
 * Lead-in phrases are English, written for this project. A tenant in another language adds
 * phrase rules of its own; the digit-based detectors (phone numbers, emails, links, @handles)
 * work in any language.
 */
import { type Atoms, Kind, type Normalized, NUMBER, SPACE, type View } from './normalize.js';
import type { RiskDetector } from './rules.js';

/** What a lead-in phrase found by the automaton asks a detector to look at. */
export const Trigger = {
  schoolLead: 0,
  addressDisclosure: 1,
  liveAt: 2,
  streetType: 3,
  platform: 4,
  numberWord: 5,
  emailWords: 6,
  postcodeLead: 7,
} as const;
export type TriggerId = (typeof Trigger)[keyof typeof Trigger];

export interface TriggerHit {
  trigger: TriggerId;
  view: View;
  /** First and last view index of the lead-in phrase. */
  first: number;
  last: number;
}

export interface DetectorHit {
  detector: RiskDetector;
  start: number;
  end: number;
  reason: string;
}

interface DetectorPhrases {
  /** Phrases that are a match by themselves. */
  phrases?: readonly string[];
  /** Phrases that cancel an overlapping match. */
  exceptions?: readonly string[];
  /** Lead-in phrases handed to the detector's code. */
  triggers?: readonly (readonly [TriggerId, readonly string[]])[];
}

const platforms =
  '(snap|snapchat|sc|insta|instagram|ig|tiktok|tik tok|discord|kik|whatsapp|telegram|twitter|threads|facebook|fb|wickr|wechat|bereal|xbox|psn|steam|roblox|fortnite|twitch|signal)';

/** Phrases and lead-ins of each detector, compiled into the engine's automaton. */
export const detectorPhrases: Record<RiskDetector, DetectorPhrases> = {
  phone_number: {
    triggers: [
      [
        Trigger.numberWord,
        ['(zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|treble)'],
      ],
    ],
  },
  email: {
    triggers: [
      [
        Trigger.emailWords,
        [
          'at (gmail|googlemail|hotmail|outlook|yahoo|icloud|live|aol|btinternet|protonmail|proton|sky|virginmedia|ymail|msn|me) dot (com|co uk|net|org|me)',
          '(gmail|googlemail|hotmail|outlook|yahoo|icloud|protonmail|btinternet|ymail) dot (com|co uk|net)',
        ],
      ],
    ],
  },
  street_address: {
    triggers: [
      [
        Trigger.addressDisclosure,
        [
          '(my|our|home|house) address (is|s)',
          '(my|our) (home|house|full) address',
          "here's my address",
          'heres my address',
        ],
      ],
      [
        Trigger.postcodeLead,
        [
          '(my|our|home) (postcode|post code|zip code|zipcode) (is|s)',
          '(my|our) (postcode|post code)',
        ],
      ],
      [
        Trigger.liveAt,
        [
          '(i|we|i still|we still) (live|stay|am staying|m staying) (at|on)',
          '(my|our) (house|flat|home) is (at|on)',
          "(i'm|im|i am) at number",
        ],
      ],
      [
        Trigger.streetType,
        [
          '(road|rd|street|avenue|ave|lane|close|drive|crescent|gardens|terrace|grove|place|court|mews|row|square|walk|way|rise|vale|parade|boulevard|estate)',
        ],
      ],
    ],
  },
  social_handle: {
    triggers: [[Trigger.platform, [platforms]]],
  },
  url: {},
  school_name: {
    triggers: [
      [
        Trigger.schoolLead,
        [
          '(i|we|we both|i still|i now|my sister|my brother) (go|goes|went) to',
          '(i|we) (attend|study at|started at|moved to|transferred to)',
          "(i'm|im|i am|i'm now|im now) (at|starting at|a student at|a pupil at|in sixth form at|in year # at|in yr # at)",
          '(my|our) (school|academy|college|sixth form) (is|s|is called)',
          'year # at',
        ],
      ],
    ],
  },
  meeting_up: {
    phrases: [
      'meet me (at|in|by|outside|near|after|behind|round|tonight|tomorrow|later|there)',
      '(can|could|shall|should|will|do you want to|wanna|want to|we could|we should|lets|let us) meet',
      "let's meet",
      '(meet|meeting) (up|irl|in person|in real life|face to face)',
      'meetup',
      'come (to|round|over to|over) my (house|place|flat|room|home|bedroom)',
      'come round (mine|my house|my place|my flat)',
      'come over (tonight|later|after school)',
      'come to mine',
      "(i'll|ill|i will|i can|i could|let me) (pick you up|come to your house|come to yours|come round yours|come and get you|come get you|wait for you outside)",
      'pick you up (from|at|after|outside)',
      "(i'll|ill|i will) be (waiting|outside) (outside|at|by) your (school|house|flat|home)",
      '(what|whats|what is) your (address|home address|postcode|post code)',
      '(send|give|tell) me your (address|home address|postcode|post code|location)',
      '(share|send) (your|ur) location',
      '(where|whereabouts|where abouts) do (you|u|ya) live',
      'what (area|town|street|road|city) do (you|u) live (in|on)',
      '(what|which|where) school do (you|u) go to',
      'where do (you|u) go to school',
      'what school (are|r) (you|u) (at|in)',
      '(are|r) (you|u) free to meet',
      '(no one|nobody) (needs|has) to know (we|were|we are) meeting',
    ],
    exceptions: [
      '(meet|meeting) up with (my|our|the|a|some|his|her|their) (friends|mates|family|mum|dad|cousins|team|group|class|nan|grandparents|sister|brother|squad|girls|boys|lot)',
      'nice to meet',
      'pleased to meet',
      'meet (my|our) (mentor|counsellor|worker|social worker|youth worker|teacher)',
    ],
  },
};

// Words are compared as the view spells them: lower case with repeated letters collapsed.
function collapse(word: string): string {
  let result = '';
  for (const character of word.toLowerCase()) {
    if (result.endsWith(character)) continue;
    result += character;
  }
  return result;
}
const wordSet = (words: string) => new Set(words.split(/\s+/).filter(Boolean).map(collapse));

// Between a lead-in and "school", words that show the sentence is not naming a school.
const schoolBreakers = wordSet(`
  after before and or then with from for in on at to by of when because but so gym park town
  shops pub church mosque temple clubs club party house home mates friends nans dads mums cinema
  my his her their your our go going went get got it this that if is was are be
`);
// Words that describe a school without naming it.
const schoolGeneric = wordSet(`
  the a an new same big small local secondary primary boarding private state catholic christian
  faith church religious girls boys all mixed special different another other old driving dance
  drama music sunday summer night language art film football swimming public comprehensive
  grammar high independent free senior junior middle infant village community international
`);
const schoolTypes = wordSet('school academy college high grammar primary comprehensive comp prep');
const streetBreakers = wordSet(`
  the a an of more other minutes minute mins min hours hour hrs days day weeks years miles mile
  km kms metres meters times people things ways steps houses doors streets roads and or to from
  in on at by for with is are was we i you he she they it my your our their his her best only
  first next last different whole long short
`);
const possessives = wordSet('my his her their our mine');
const handleIntros = wordSet(`
  me is its it name names username user id handle tag gamertag account acc on at add addme
  @ called
`);
// Words after "my snap is" that describe the app rather than name an account.
const handleStopwords = wordSet(`
  a an the and or but so if then than when where why how what who which that this these those
  not no yes yeah yh ye nah never always still just only really very too also even now later
  tonight today tomorrow soon again back down up out off over dead broken glitching glitchy
  lagging laggy slow fast working weird funny boring good bad better worse best worst fine ok
  okay cool great awful rubbish trash private public blocked banned deleted hacked gone new old
  full empty lol lmao haha omg pls please thanks x xx xxx lit fire mid same different private
  streak streaks story stories filters filter reels reel posts post pics pictures photos videos
  chat chats messages dms notifications notifs friends followers update updated app account
  being been getting going gonna on off in of for with about to from by be was were is are am
  me you him her them us we they i it my your his their our
`);

/**
 * Words of a view found around a lead-in: first and last view index of each (inclusive).
 * Detectors run synchronously, one text at a time, so two scratch lists serve every call
 * (one for words after a lead-in, one for words before it) instead of an object per word.
 */
class Words {
  readonly first = new Int32Array(8);
  readonly last = new Int32Array(8);
  count = 0;
}
const after = new Words();
const before = new Words();

function wordText(view: View, first: number, last: number): string {
  let result = '';
  for (let i = first; i <= last; i++) result += String.fromCodePoint(view.code[i]!);
  return result;
}

/** Up to `count` (at most 8) words after view index `from`, into `after`. */
function wordsAfter(view: View, from: number, count: number): Words {
  after.count = 0;
  let i = from + 1;
  while (after.count < count && i < view.length) {
    while (i < view.length && view.code[i] === SPACE) i++;
    if (i >= view.length) break;
    const first = i;
    while (i < view.length && view.code[i] !== SPACE) i++;
    after.first[after.count] = first;
    after.last[after.count] = i - 1;
    after.count++;
  }
  return after;
}

/** Up to `count` (at most 8) words before view index `to`, nearest first, into `before`. */
function wordsBefore(view: View, to: number, count: number): Words {
  before.count = 0;
  let i = to - 1;
  while (before.count < count && i > 0) {
    while (i > 0 && view.code[i] === SPACE) i--;
    if (i <= 0) break;
    const last = i;
    while (i > 0 && view.code[i] !== SPACE) i--;
    before.first[before.count] = i + 1;
    before.last[before.count] = last;
    before.count++;
  }
  return before;
}

const isNumberWord = (view: View, words: Words, w: number) =>
  words.first[w] === words.last[w] && view.code[words.first[w]!] === NUMBER;

function schoolNames(hit: TriggerHit, out: DetectorHit[]): void {
  const { view } = hit;
  const words = wordsAfter(view, hit.last, 6);
  for (let w = 0; w < words.count; w++) {
    const text = wordText(view, words.first[w]!, words.last[w]!);
    const isType =
      schoolTypes.has(text) ||
      (text === 'form' &&
        w > 0 &&
        wordText(view, words.first[w - 1]!, words.last[w - 1]!) === 'sixth');
    if (!isType) continue;
    const names = text === 'form' ? w - 1 : w;
    if (names <= 0) return;
    let generic = true;
    for (let n = 0; n < names; n++) {
      const name = wordText(view, words.first[n]!, words.last[n]!);
      if (schoolBreakers.has(name) && !(n === 0 && name === 'the')) return;
      if (!schoolGeneric.has(name)) generic = false;
    }
    if (generic) return;
    out.push({
      detector: 'school_name',
      start: view.start[hit.first]!,
      end: view.end[words.last[w]!]!,
      reason: 'names a school',
    });
    return;
  }
}

function addresses(hit: TriggerHit, out: DetectorHit[]): void {
  const { view } = hit;
  if (hit.trigger === Trigger.addressDisclosure || hit.trigger === Trigger.postcodeLead) {
    const words = wordsAfter(view, hit.last, hit.trigger === Trigger.postcodeLead ? 2 : 5);
    const last = words.count > 0 ? words.last[words.count - 1]! : hit.last;
    out.push({
      detector: 'street_address',
      start: view.start[hit.first]!,
      end: view.end[last]!,
      reason: hit.trigger === Trigger.postcodeLead ? 'gives a postcode' : 'gives an address',
    });
    return;
  }
  if (hit.trigger === Trigger.liveAt) {
    // "I live at 12 …", "I live on Mill Lane": a number or a street within five words.
    const words = wordsAfter(view, hit.last, 5);
    for (let w = 0; w < words.count; w++) {
      if (
        isNumberWord(view, words, w) ||
        streetTypeWords.has(wordText(view, words.first[w]!, words.last[w]!))
      ) {
        let last = words.last[w]!;
        for (let c = w + 1; c < words.count; c++) {
          if (streetTypeWords.has(wordText(view, words.first[c]!, words.last[c]!))) {
            last = words.last[c]!;
            break;
          }
        }
        out.push({
          detector: 'street_address',
          start: view.start[hit.first]!,
          end: view.end[last]!,
          reason: 'says where they live',
        });
        return;
      }
    }
    return;
  }
  // A street word: "12 Acacia Avenue" needs a house number one to three words before it.
  const words = wordsBefore(view, hit.first, 4);
  for (let w = 1; w < words.count; w++) {
    if (!isNumberWord(view, words, w)) continue;
    for (let n = 0; n < w; n++) {
      if (streetBreakers.has(wordText(view, words.first[n]!, words.last[n]!))) return;
    }
    out.push({
      detector: 'street_address',
      start: view.start[words.first[w]!]!,
      end: view.end[hit.last]!,
      reason: 'gives a house number and street',
    });
    return;
  }
}
const streetTypeWords = wordSet(
  'road rd street avenue ave lane close drive crescent gardens terrace grove place court mews row square walk way rise vale parade boulevard estate',
);

const handleCharacter = (code: number) =>
  (code >= 0x61 && code <= 0x7a) ||
  (code >= 0x30 && code <= 0x39) ||
  code === 0x5f ||
  code === 0x2e;
const handleLike = /[0-9_.@#]/;

function platformHandles(hit: TriggerHit, text: string, out: DetectorHit[]): void {
  const { view } = hit;
  const previous = wordsBefore(view, hit.first, 1);
  const possessive =
    previous.count > 0 && possessives.has(wordText(view, previous.first[0]!, previous.last[0]!));
  const words = wordsAfter(view, hit.last, 5);
  let intros = 0;
  let me = false;
  for (let w = 0; w < words.count; w++) {
    const value = wordText(view, words.first[w]!, words.last[w]!);
    if (handleIntros.has(value)) {
      intros++;
      if (value === 'me') me = true;
      continue;
    }
    const from = view.start[words.first[w]!]!;
    const to = view.end[words.last[w]!]!;
    const raw = text.slice(from, to);
    // Punctuation typed between the app and the name ("insta: jess_x", "sc - jess").
    const between = text.slice(view.end[hit.last]!, from);
    const colon = /[:=\-@>]/.test(between);
    const looksLikeHandle = handleLike.test(raw) || between.includes('@');
    // "snap me jess", "my snap is jess", "insta: jess"; but not "snap me later", "snapchat is
    // down" or "my snap is broken".
    const accepted = looksLikeHandle
      ? intros > 0 || colon || possessive
      : (colon || (intros > 0 && (possessive || me))) && !handleStopwords.has(value);
    if (accepted && value.length >= 2) {
      out.push({
        detector: 'social_handle',
        start: view.start[hit.first]!,
        end: to,
        reason: 'gives a social media account',
      });
    }
    return;
  }
}

function atHandles(atoms: Atoms, out: DetectorHit[]): void {
  const { kind, code, start, end, length } = atoms;
  for (let j = 0; j < length; j++) {
    if (code[j] !== 0x40) continue;
    // "name@host" is an email, "w@nt" is leetspeak: a handle's @ follows a space or the start.
    if (j > 0 && (kind[j - 1] === Kind.letter || kind[j - 1] === Kind.digit)) continue;
    let k = j + 1;
    let letters = 0;
    while (k < length && k - j <= 30 && handleCharacter(code[k]!)) {
      if (kind[k] === Kind.letter) letters++;
      k++;
    }
    while (k > j + 1 && code[k - 1] === 0x2e) k--;
    if (k - j - 1 < 2 || letters === 0) continue;
    let name = '';
    for (let a = j + 1; a < k; a++) name += String.fromCodePoint(code[a]!);
    if (handleStopwords.has(collapse(name))) continue;
    out.push({
      detector: 'social_handle',
      start: start[j]!,
      end: end[k - 1]!,
      reason: 'gives an @handle',
    });
  }
}

function discordTags(atoms: Atoms, out: DetectorHit[]): void {
  const { kind, code, start, end, length } = atoms;
  for (let j = 2; j + 4 < length; j++) {
    if (code[j] !== 0x23) continue;
    let digits = 0;
    while (j + 1 + digits < length && kind[j + 1 + digits] === Kind.digit) digits++;
    if (digits !== 4) continue;
    let k = j;
    while (k > 0 && handleCharacter(code[k - 1]!)) k--;
    if (j - k < 2) continue;
    out.push({
      detector: 'social_handle',
      start: start[k]!,
      end: end[j + 4]!,
      reason: 'gives a gaming or Discord tag',
    });
  }
}

// Separators people type inside a phone number.
const phoneSeparator = (code: number) =>
  code === 0x20 || code === 0x2d || code === 0x2e || code === 0x28 || code === 0x29;

let digitLike = new Uint8Array(256);

function isDigitOrO(kind: Uint8Array, code: Int32Array, j: number): boolean {
  return kind[j] === Kind.digit || (kind[j] === Kind.letter && code[j] === 0x6f);
}

function phoneNumbers(atoms: Atoms, out: DetectorHit[]): void {
  const { kind, code, start, end, length } = atoms;
  // The letter o typed for a zero counts as a digit inside a run of digits and o's that has
  // at least one digit and is not part of a word ("o77oo 9oo123", not "zoo123"). Marked in one
  // pass so a long run costs linear time.
  if (digitLike.length < length) digitLike = new Uint8Array(length * 2);
  for (let first = 0; first < length; ) {
    if (!isDigitOrO(kind, code, first)) {
      digitLike[first] = 0;
      first++;
      continue;
    }
    let last = first;
    let digit = kind[first] === Kind.digit;
    while (last + 1 < length && isDigitOrO(kind, code, last + 1)) {
      last++;
      if (kind[last] === Kind.digit) digit = true;
    }
    const inWord =
      (first > 0 && kind[first - 1] === Kind.letter) ||
      (last + 1 < length && kind[last + 1] === Kind.letter);
    for (let k = first; k <= last; k++) {
      digitLike[k] = kind[k] === Kind.digit || (digit && !inWord) ? 1 : 0;
    }
    first = last + 1;
  }
  let j = 0;
  while (j < length) {
    if (digitLike[j] === 0) {
      j++;
      continue;
    }
    const plus = j > 0 && code[j - 1] === 0x2b;
    const first = plus ? j - 1 : j;
    let digits = 0;
    let real = 0;
    let firstDigit = -1;
    let last = j;
    let k = j;
    while (k < length) {
      if (digitLike[k] === 1) {
        if (firstDigit < 0) firstDigit = kind[k] === Kind.digit ? code[k]! : 0x30;
        digits++;
        if (kind[k] === Kind.digit) real++;
        last = k;
        k++;
        continue;
      }
      // Up to two separators ("07700 - 900123", ") ") between groups of digits.
      let m = k;
      while (
        m < length &&
        m - k < 3 &&
        kind[m] !== Kind.letter &&
        kind[m] !== Kind.digit &&
        phoneSeparator(code[m]!)
      ) {
        m++;
      }
      if (m === k || m >= length || digitLike[m] === 0) break;
      k = m;
    }
    const startsLikeAPhone = plus || firstDigit === 0x30;
    if (digits >= 10 && digits <= 15 && real >= 6 && startsLikeAPhone) {
      out.push({
        detector: 'phone_number',
        start: start[first]!,
        end: end[last]!,
        reason: `gives a phone number (${digits} digits)`,
      });
    }
    j = last + 1;
  }
}

/**
 * Widens [from, to) to whole words and some context: up to `before` characters back and
 * `after` forward, then on to the nearest whitespace (within 64 more).
 */
function widen(
  text: string,
  from: number,
  to: number,
  before: number,
  after: number,
): [number, number] {
  return [widenStart(text, from, before), widenEnd(text, to, after)];
}

function widenStart(text: string, from: number, before: number): number {
  let start = Math.max(0, from - before);
  const floor = Math.max(0, start - 64);
  while (start > floor && !isWhitespace(text.charCodeAt(start - 1))) start--;
  return start;
}

function widenEnd(text: string, to: number, after: number): number {
  let end = Math.min(text.length, to + after);
  const ceiling = Math.min(text.length, end + 64);
  while (end < ceiling && !isWhitespace(text.charCodeAt(end))) end++;
  return end;
}

/** Whether a UTF-16 unit is what `/\s/` matches. */
function isWhitespace(unit: number): boolean {
  if (unit < 0x80) return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);
  return (
    unit === 0xa0 ||
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000 ||
    unit === 0xfeff
  );
}

/** Merges [from, to) pairs (sorted by `from`) that overlap. */
function merged(pairs: [number, number][]): [number, number][] {
  const result: [number, number][] = [];
  for (const pair of pairs.sort((a, b) => a[0] - b[0])) {
    const last = result[result.length - 1];
    if (last && pair[0] <= last[1]) last[1] = Math.max(last[1], pair[1]);
    else result.push([pair[0], pair[1]]);
  }
  return result;
}

const numberWordDigits: Record<string, number> = { double: 1, triple: 2, treble: 2 };

function spelledPhoneNumbers(
  hits: readonly TriggerHit[],
  count: number,
  text: string,
  out: DetectorHit[],
): void {
  // Consecutive number words ("zero seven seven double oh …"), with digit groups between.
  let runView: View | null = null;
  let runFirst = -1;
  let runLast = -1;
  let digits = 0;
  for (let h = 0; h < count; h++) {
    const hit = hits[h]!;
    if (hit.trigger !== Trigger.numberWord) continue;
    const { view } = hit;
    let gapIsDigits = runView === view && hit.first === runLast + 2;
    let extra = 0;
    if (
      runView === view &&
      !gapIsDigits &&
      hit.first === runLast + 4 &&
      view.code[runLast + 2] === NUMBER
    ) {
      extra = asciiDigits(text, view.start[runLast + 2]!, view.end[runLast + 2]!);
      gapIsDigits = true;
    }
    if (!gapIsDigits) {
      if (runView) spelledPhoneNumber(runView, runFirst, runLast, digits, out);
      digits = 0;
      runView = view;
      runFirst = hit.first;
    }
    const word = wordText(view, hit.first, hit.last);
    digits += extra + (numberWordDigits[word] ?? 1);
    runLast = hit.last;
  }
  if (runView) spelledPhoneNumber(runView, runFirst, runLast, digits, out);
}

function spelledPhoneNumber(
  view: View,
  first: number,
  last: number,
  digits: number,
  out: DetectorHit[],
): void {
  if (digits < 10) return;
  out.push({
    detector: 'phone_number',
    start: view.start[first]!,
    end: view.end[last]!,
    reason: `gives a phone number in words (${digits} digits)`,
  });
}

/** How many of text[from, to) are ASCII digits (what `/\d/` matches). */
function asciiDigits(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x30 && unit <= 0x39) count++;
  }
  return count;
}

function isLocalCharacter(kind: Uint8Array, code: Int32Array, j: number): boolean {
  const c = code[j]!;
  return (
    ((kind[j] === Kind.letter || kind[j] === Kind.digit) && c < 0x80) ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x2d ||
    c === 0x2b ||
    c === 0x25
  );
}

function isDomainCharacter(kind: Uint8Array, code: Int32Array, j: number): boolean {
  const c = code[j]!;
  return (
    ((kind[j] === Kind.letter || kind[j] === Kind.digit) && c < 0x80) || c === 0x2e || c === 0x2d
  );
}

function emails(atoms: Atoms, out: DetectorHit[]): void {
  const { kind, code, start, end, length } = atoms;
  for (let j = 1; j < length - 1; j++) {
    if (code[j] !== 0x40) continue;
    let first = j;
    while (first > 0 && j - first < 64 && isLocalCharacter(kind, code, first - 1)) first--;
    if (first === j) continue;
    let last = j;
    while (last + 1 < length && last - j < 255 && isDomainCharacter(kind, code, last + 1)) last++;
    while (last > j && code[last] === 0x2e) last--;
    // The domain needs a dot and a top-level part of two or more letters.
    let dot = -1;
    for (let k = last; k > j; k--) {
      if (code[k] === 0x2e) {
        dot = k;
        break;
      }
    }
    if (dot < 0 || last - dot < 2 || dot === j + 1) continue;
    let letters = true;
    for (let k = dot + 1; k <= last; k++) if (kind[k] !== Kind.letter) letters = false;
    if (!letters) continue;
    out.push({
      detector: 'email',
      start: start[first]!,
      end: end[last]!,
      reason: 'gives an email address',
    });
  }
}

function spelledEmails(hit: TriggerHit, out: DetectorHit[]): void {
  const { view } = hit;
  // "jess at gmail dot com": the name is the word before "at".
  const name =
    wordText(view, hit.first, hit.first + 1) === 'at' ? wordsBefore(view, hit.first, 1) : null;
  out.push({
    detector: 'email',
    start: view.start[name !== null && name.count > 0 ? name.first[0]! : hit.first]!,
    end: view.end[hit.last]!,
    reason: 'gives an email address in words',
  });
}

const topLevelDomains =
  'com|net|org|uk|io|gg|me|ly|tv|app|co|info|xyz|link|site|online|live|chat|be|to|us|ca|de|fr|ie|au|nz|eu|biz|store|shop|club|fun';
// Each label is bounded and can only end at a dot, so the expression runs in linear time.
const urlPattern = new RegExp(
  `(?:https?:\\/\\/|www\\.)[^\\s<>"'\`]{1,300}|(?<![\\p{L}\\p{N}@._%+-])[a-z0-9][a-z0-9-]{0,62}(?:\\.[a-z0-9-]{1,63}){0,4}\\.(?:${topLevelDomains})(?![\\p{L}\\p{N}-])(?:\\/[^\\s<>"'\`]{0,300})?`,
  'giu',
);
const profileHosts =
  /^(?:https?:\/\/)?(?:www\.|m\.)?(?:instagram\.com|tiktok\.com|snapchat\.com|twitter\.com|x\.com|facebook\.com|fb\.com|discord\.gg|discord\.com\/users|twitch\.tv|roblox\.com\/users|t\.me|wa\.me)\/[^\s/?#]{2,}/i;

// The same expression, tried at one position only (for `nextUrl`).
const urlAt = new RegExp(urlPattern.source, 'iuy');
const schemeOrWww = /:\/\/|www\./iu;
// Characters of a domain label as `urlPattern` reads them ([a-z0-9-] ignoring case, which
// in Unicode mode also takes ſ and the Kelvin sign).
const labelCharacter = /[a-z0-9-]/iu;
const asciiLabel = Uint8Array.from({ length: 128 }, (_, c) =>
  labelCharacter.test(String.fromCharCode(c)) ? 1 : 0,
);
const isLabelUnit = (unit: number) =>
  unit < 128 ? asciiLabel[unit] === 1 : labelCharacter.test(String.fromCharCode(unit));

/**
 * The next match of `urlPattern` in `window` at or after `from`, exactly as a global search
 * would find it, but without trying every position. Without a scheme or "www." only the
 * second alternative can match, and such a match starts with up to 63 label characters
 * directly before its first full stop, which is followed by a label character: only those
 * positions are tried.
 */
function nextUrl(window: string, from: number, anywhere: boolean): RegExpExecArray | null {
  if (anywhere) {
    urlPattern.lastIndex = from;
    return urlPattern.exec(window);
  }
  let dot = window.indexOf('.', from);
  while (dot >= 0) {
    if (dot + 1 < window.length && isLabelUnit(window.charCodeAt(dot + 1))) {
      let first = dot;
      while (first > from && dot - first < 63 && isLabelUnit(window.charCodeAt(first - 1))) {
        first--;
      }
      for (let at = first; at < dot; at++) {
        urlAt.lastIndex = at;
        const match = urlAt.exec(window);
        if (match) return match;
      }
    }
    dot = window.indexOf('.', dot + 1);
  }
  return null;
}

function urls(text: string, from: number, to: number, out: DetectorHit[]): void {
  const window = from === 0 && to === text.length ? text : text.slice(from, to);
  const anywhere = schemeOrWww.test(window);
  for (
    let match = nextUrl(window, 0, anywhere);
    match;
    match = nextUrl(window, match.index + match[0].length, anywhere)
  ) {
    const value = match[0].replace(/[.,!?;:)\]'"]+$/, '');
    if (value.length < 4) continue;
    const start = from + match.index;
    out.push({ detector: 'url', start, end: start + value.length, reason: 'shares a link' });
    if (profileHosts.test(value)) {
      out.push({
        detector: 'social_handle',
        start,
        end: start + value.length,
        reason: 'links to a social media profile',
      });
    }
  }
}

const postcodePattern = /\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}\b/g;

function postcodes(text: string, out: DetectorHit[]): void {
  postcodePattern.lastIndex = 0;
  for (let match = postcodePattern.exec(text); match; match = postcodePattern.exec(text)) {
    out.push({
      detector: 'street_address',
      start: match.index,
      end: match.index + match[0].length,
      reason: 'gives a postcode',
    });
  }
}

/** Which detectors the rule set uses; the others are skipped. */
export type DetectorSet = ReadonlySet<RiskDetector>;

/**
 * Runs the detectors in `active` over one text. The first `triggerCount` of `triggers` are the
 * lead-in phrases the engine found, in text order.
 */
export function runDetectors(
  active: DetectorSet,
  text: string,
  normalized: Normalized,
  triggers: readonly TriggerHit[],
  triggerCount: number,
  out: DetectorHit[],
): void {
  const { facts, normalizer } = normalized;
  if (active.has('phone_number')) {
    if (facts.phoneDigits >= 6) {
      const ranges = normalized.phoneRanges;
      const windows = mergedWindows(text, ranges, 2, 24, 8);
      for (let w = 0; w < windows.length; w += 2) {
        phoneNumbers(normalizer.atomsOf(windows[w]!, windows[w + 1]!), out);
      }
    }
    if (triggerCount >= 5) spelledPhoneNumbers(triggers, triggerCount, text, out);
  }
  if (facts.at || facts.hash) {
    // Emails and handles sit within a few hundred characters of their @ or #.
    const windows =
      normalized.marks.length < 64
        ? mergedWindows(text, normalized.marks, 1, 70, 260)
        : wholeText(text);
    for (let w = 0; w < windows.length; w += 2) {
      const atoms = normalizer.atomsOf(windows[w]!, windows[w + 1]!);
      if (active.has('email') && facts.at) emails(atoms, out);
      if (active.has('social_handle')) {
        if (facts.at) atHandles(atoms, out);
        if (facts.hash) discordTags(atoms, out);
      }
    }
  }
  if (active.has('url') || active.has('social_handle')) {
    const found: DetectorHit[] = [];
    // Past 64 dots the list stops growing, so the whole text is searched instead.
    if (text.includes('://') || normalized.dots.length >= 64) urls(text, 0, text.length, found);
    else if (facts.dotLetter) {
      // A link is at most a few hundred characters around one of its dots.
      const windows = mergedWindows(text, normalized.dots, 1, 70, 300);
      for (let w = 0; w < windows.length; w += 2) urls(text, windows[w]!, windows[w + 1]!, found);
    }
    for (const hit of found) if (active.has(hit.detector)) out.push(hit);
  }
  if (active.has('street_address') && facts.upperDigit) postcodes(text, out);
  for (let t = 0; t < triggerCount; t++) {
    const hit = triggers[t]!;
    switch (hit.trigger) {
      case Trigger.schoolLead:
        schoolNames(hit, out);
        break;
      case Trigger.addressDisclosure:
      case Trigger.postcodeLead:
      case Trigger.liveAt:
      case Trigger.streetType:
        addresses(hit, out);
        break;
      case Trigger.platform:
        platformHandles(hit, text, out);
        break;
      case Trigger.emailWords:
        spelledEmails(hit, out);
        break;
    }
  }
}

// Windows as [from, to) pairs, reused from call to call (see `mergedWindows`).
const windowScratch: number[] = [];

function wholeText(text: string): number[] {
  windowScratch.length = 2;
  windowScratch[0] = 0;
  windowScratch[1] = text.length;
  return windowScratch;
}

/**
 * `merged` of the windows `widen` makes around each place: `places` holds offsets (`stride`
 * 1, a window around `place` to `place + 1`) or [from, to) pairs (`stride` 2). Places come in
 * text order, so the widened windows do too and merge in one pass without allocating; out of
 * order places (never produced by the normaliser) take the general path.
 */
function mergedWindows(
  text: string,
  places: readonly number[],
  stride: 1 | 2,
  before: number,
  after: number,
): readonly number[] {
  const windows = windowScratch;
  windows.length = 0;
  let previousFrom = -1;
  for (let i = 0; i < places.length; i += stride) {
    const from = places[i]!;
    const to = stride === 2 ? places[i + 1]! : from + 1;
    const start = widenStart(text, from, before);
    const end = widenEnd(text, to, after);
    if (start < previousFrom) return generalWindows(text, places, stride, before, after);
    previousFrom = start;
    const count = windows.length;
    if (count > 0 && start <= windows[count - 1]!) {
      windows[count - 1] = Math.max(windows[count - 1]!, end);
    } else windows.push(start, end);
  }
  return windows;
}

function generalWindows(
  text: string,
  places: readonly number[],
  stride: 1 | 2,
  before: number,
  after: number,
): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < places.length; i += stride) {
    const from = places[i]!;
    pairs.push(widen(text, from, stride === 2 ? places[i + 1]! : from + 1, before, after));
  }
  return merged(pairs).flat();
}
