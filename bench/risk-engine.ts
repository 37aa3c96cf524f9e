/**
 * The cost of Hearth's risk engine against a floor: ONE plain JavaScript RegExp alternation of
 * the same phrases (every variant of every phrase rule, case-insensitive, no normalisation), as
 * a hand-written filter would start. The engine does more — normalisation (look-alikes,
 * leetspeak, spaced-out letters…), word boundaries, exceptions, detectors for phone numbers,
 * emails and addresses, spans in the original text — and this measures what that costs.
 *
 * Both run in this process on the same messages: the ordinary and risky test corpora,
 * concatenated into messages of about 1 KB. Pure CPU; no database.
 *
 * Goals (issue 3): engine throughput at least 0.5x the RegExp's, and at most 50 µs per 1 KB
 * message at p99.
 */
import { cpus } from 'node:os';
import {
  buildRuleSet,
  createRiskEngine,
  defaultEnglishRiskRules,
  expandPhrase,
} from '@hearth/core';
import { ordinaryMessages } from '../packages/core/src/safeguarding/corpus/ordinary.en.js';
import { riskyMessages } from '../packages/core/src/safeguarding/corpus/risky.en.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 4000);
const MESSAGE_BYTES = 1024;

// Deterministic, so every run measures the same text.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const sources = [...ordinaryMessages, ...riskyMessages.map((message) => message.text)];
const encoder = new TextEncoder();
const messages: string[] = [];
for (let i = 0; i < MESSAGES; i++) {
  let text = '';
  while (encoder.encode(text).length < MESSAGE_BYTES - 60) {
    text += `${sources[Math.floor(random() * sources.length)]}. `;
  }
  messages.push(text);
}
const totalBytes = messages.reduce((sum, text) => sum + encoder.encode(text).length, 0);

let started = performance.now();
const engine = createRiskEngine(buildRuleSet(defaultEnglishRiskRules));
const compileMs = performance.now() - started;

const phrases = [
  ...new Set(defaultEnglishRiskRules.flatMap((rule) => (rule.phrases ?? []).flatMap(expandPhrase))),
];
started = performance.now();
const floor = new RegExp(
  phrases.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  'gi',
);
const floorCompileMs = performance.now() - started;

interface Round {
  label: string;
  seconds: number;
  found: number;
}

function runFloor(label: string): Round {
  let found = 0;
  const t0 = performance.now();
  for (const text of messages) {
    floor.lastIndex = 0;
    while (floor.exec(text)) found++;
  }
  return { label, seconds: (performance.now() - t0) / 1000, found };
}

function runEngine(label: string): Round {
  let found = 0;
  const t0 = performance.now();
  for (const text of messages) found += engine.assess(text).matches.length;
  return { label, seconds: (performance.now() - t0) / 1000, found };
}

function print(round: Round) {
  const perSecond = MESSAGES / round.seconds;
  const megabytes = totalBytes / 1e6 / round.seconds;
  console.log(
    `  ${round.label.padEnd(40)} ${perSecond.toFixed(0).padStart(7)} msg/s ${megabytes.toFixed(1).padStart(6)} MB/s   ${round.found} found`,
  );
  return round;
}

console.log(
  `\nRisk engine — ${MESSAGES} messages of ~${MESSAGE_BYTES} bytes (${(totalBytes / 1e6).toFixed(1)} MB) from ${sources.length} corpus messages, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
);
const { rules, patterns, states, bytes } = engine.stats;
console.log(
  `  engine: ${rules} rules, ${patterns} anchors, ${states} automaton states, ~${(bytes / 1e6).toFixed(1)} MB, compiled in ${compileMs.toFixed(0)} ms`,
);
console.log(
  `  floor: one RegExp of ${phrases.length} phrases, compiled in ${floorCompileMs.toFixed(1)} ms (V8 compiles it lazily on first use)`,
);

// Warm up both, so the JIT has optimised each before anything is timed.
for (let i = 0; i < 3; i++) {
  runFloor('warm-up');
  runEngine('warm-up');
}

// Two rounds, alternating, so neither side profits from running later; the ratio comes from
// the second.
print(runFloor('floor: one RegExp alternation'));
print(runEngine('hearth: engine.assess (with normalisation)'));
const floorRound = print(runFloor('floor (round 2)'));
const engineRound = print(runEngine('hearth (round 2)'));

// Latency per message, timed one by one (the timer's own cost is included, a few tens of ns).
const latencies: number[] = [];
for (let pass = 0; pass < 2; pass++) {
  for (const text of messages) {
    const t0 = process.hrtime.bigint();
    engine.assess(text);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}
latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
const matchesPerMessage = engineRound.found / MESSAGES;

// For context: real traffic is mostly ordinary, and a message's cost grows with its matches
// (the corpus above averages more than ten a message). The same, from ordinary messages only.
const ordinaryOnly: string[] = [];
for (let i = 0; i < 1000; i++) {
  let text = '';
  while (encoder.encode(text).length < MESSAGE_BYTES - 60) {
    text += `${ordinaryMessages[Math.floor(random() * ordinaryMessages.length)]}. `;
  }
  ordinaryOnly.push(text);
}
for (const text of ordinaryOnly) engine.assess(text);
const ordinaryLatencies: number[] = [];
for (let pass = 0; pass < 2; pass++) {
  for (const text of ordinaryOnly) {
    const t0 = process.hrtime.bigint();
    engine.assess(text);
    ordinaryLatencies.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}
ordinaryLatencies.sort((a, b) => a - b);

const ratio = floorRound.seconds / engineRound.seconds;
const p50 = percentile(0.5);
const p99 = percentile(0.99);
console.log(
  `  engine per 1 KB message (${matchesPerMessage.toFixed(1)} matches each on average): p50 ${p50.toFixed(1)} µs   p99 ${p99.toFixed(1)} µs   max ${latencies[latencies.length - 1]!.toFixed(0)} µs   (goal: p99 ≤ 50 µs ${p99 <= 50 ? 'met' : 'NOT met'})`,
);
console.log(
  `  (ordinary messages only: p50 ${ordinaryLatencies[Math.floor(0.5 * ordinaryLatencies.length)]!.toFixed(1)} µs   p99 ${ordinaryLatencies[Math.floor(0.99 * ordinaryLatencies.length)]!.toFixed(1)} µs)`,
);
console.log(
  `  ratio hearth/floor throughput: ${ratio.toFixed(2)}x (goal ≥ 0.5x ${ratio >= 0.5 ? 'met' : 'NOT met'})\n`,
);
