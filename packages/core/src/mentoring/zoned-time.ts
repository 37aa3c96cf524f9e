/** A wall-clock reading in some time zone. `minutes` counts from local midnight, with fractions. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

// Formatters are costly to build and immutable, so one per zone is kept. Zone names match
// whatever their case, so the cache is bounded against a caller passing endless spellings.
const formatters = new Map<string, Intl.DateTimeFormat>();
const maxCachedFormatters = 500;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(
        `${JSON.stringify(timeZone)} is not a time zone — use a name like Europe/London`,
      );
    }
    if (formatters.size >= maxCachedFormatters) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Validates `instant` and returns its time in ms. */
export function instantTime(instant: Date): number {
  const time = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new RangeError('Expected a valid Date');
  return time;
}

/** The local date and time at `time` (ms since the epoch) in `timeZone`. */
export function wallClockAt(time: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(time)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const milliseconds = ((time % 1000) + 1000) % 1000;
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    minutes: parts.hour! * 60 + parts.minute! + (parts.second! + milliseconds / 1000) / 60,
  };
}

/** The zone's offset from UTC at `time`, in milliseconds (London in summer: +3 600 000). */
function offsetAt(time: number, timeZone: string): number {
  const local = wallClockAt(time, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day) + local.minutes * 60_000;
  return Math.round(asUtc - time);
}

/**
 * The calendar date at `instant` in `timeZone`, as `YYYY-MM-DD` — "today" for the tenant.
 *
 * @throws RangeError for an invalid date or an unknown time zone.
 * @example dateInTimeZone(new Date('2026-03-28T23:30:00Z'), 'Europe/London') // '2026-03-28'
 */
export function dateInTimeZone(instant: Date, timeZone: string): string {
  const local = wallClockAt(instantTime(instant), timeZone);
  return [
    String(local.year).padStart(4, '0'),
    String(local.month).padStart(2, '0'),
    String(local.day).padStart(2, '0'),
  ].join('-');
}

/**
 * The earliest instant, not before `notBefore`, at which the clock in `timeZone` reads
 * `minutes` after midnight on the given local date, or passes it. Usually there is exactly one
 * such reading. When clocks go back the reading happens twice, and the first one not before
 * `notBefore` is chosen. When clocks go forward over it, the reading never happens, and the
 * answer is the moment the clocks jump past it.
 */
export function firstInstantAtWallTime(
  date: { year: number; month: number; day: number },
  minutes: number,
  timeZone: string,
  notBefore: number,
): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  const day = 86_400_000;
  // Offsets a day either side bound any transition near the reading (zones change at most
  // once in two days).
  const before = offsetAt(naive - day, timeZone);
  const after = offsetAt(naive + day, timeZone);
  const candidates = [...new Set([naive - before, naive - after])]
    .filter((time) => time + offsetAt(time, timeZone) === naive)
    .sort((a, b) => a - b);
  const chosen = candidates.find((time) => time >= notBefore) ?? candidates.at(-1);
  if (chosen !== undefined) return chosen;

  // A gap: clocks jumped forward over the reading. Between the two guesses the local clock is
  // before the reading, then after it; find the jump to the millisecond.
  let low = Math.min(naive - before, naive - after);
  let high = Math.max(naive - before, naive - after);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (middle + offsetAt(middle, timeZone) >= naive) high = middle;
    else low = middle;
  }
  return high;
}
