import { describe, expect, it } from 'vitest';
import { isQuietTime, type QuietHours, quietHoursEnd, quietHoursSchema } from './quiet-hours.js';
import { dateInTimeZone } from './zoned-time.js';

const london = 'Europe/London';
const night = quietHoursSchema.parse({});
const at = (iso: string) => new Date(iso);
const endOf = (iso: string, hours: QuietHours = night, zone = london) =>
  quietHoursEnd(at(iso), zone, hours).toISOString();

describe('quietHoursSchema', () => {
  it('defaults to 21:00–08:00', () => {
    expect(night).toEqual({ start: '21:00', end: '08:00' });
  });

  it('refuses bad times, and a window that starts when it ends', () => {
    const problems = (input: unknown) =>
      quietHoursSchema.safeParse(input).error?.issues.map((i) => `${i.path}: ${i.message}`);
    expect(problems({ start: '9pm', end: '24:00' })).toEqual([
      'start: Use a 24-hour time like 08:00 or 21:30',
      'end: Use a 24-hour time like 08:00 or 21:30',
    ]);
    expect(problems({ start: '08:00' })).toEqual([
      'end: Quiet hours must start and end at different times',
    ]);
    expect(problems({ start: '21:00', end: '08:00', days: 'all' })).toEqual([
      ': Unrecognized key: "days"',
    ]);
  });
});

describe('isQuietTime', () => {
  it('is quiet from the start, up to but not including the end', () => {
    expect(isQuietTime(at('2026-01-15T20:59:59.999Z'), london, night)).toBe(false);
    expect(isQuietTime(at('2026-01-15T21:00:00Z'), london, night)).toBe(true);
    expect(isQuietTime(at('2026-01-15T23:59:59Z'), london, night)).toBe(true);
    expect(isQuietTime(at('2026-01-16T00:00:00Z'), london, night)).toBe(true);
    expect(isQuietTime(at('2026-01-16T07:59:59.999Z'), london, night)).toBe(true);
    expect(isQuietTime(at('2026-01-16T08:00:00Z'), london, night)).toBe(false);
    expect(isQuietTime(at('2026-01-16T12:00:00Z'), london, night)).toBe(false);
  });

  it('reads the wall clock, so summer time moves the window an hour earlier in UTC', () => {
    expect(isQuietTime(at('2026-06-01T20:00:00Z'), london, night)).toBe(true); // 21:00 BST
    expect(isQuietTime(at('2026-06-01T19:59:00Z'), london, night)).toBe(false);
    expect(isQuietTime(at('2026-06-02T06:59:00Z'), london, night)).toBe(true); // 07:59 BST
    expect(isQuietTime(at('2026-06-02T07:00:00Z'), london, night)).toBe(false); // 08:00 BST
  });

  it('handles a window within one day', () => {
    const early = { start: '00:30', end: '06:00' };
    expect(isQuietTime(at('2026-01-15T00:29:00Z'), london, early)).toBe(false);
    expect(isQuietTime(at('2026-01-15T00:30:00Z'), london, early)).toBe(true);
    expect(isQuietTime(at('2026-01-15T05:59:00Z'), london, early)).toBe(true);
    expect(isQuietTime(at('2026-01-15T06:00:00Z'), london, early)).toBe(false);
    expect(isQuietTime(at('2026-01-15T23:00:00Z'), london, early)).toBe(false);
  });

  it('follows the time zone it is given', () => {
    const instant = at('2026-01-15T22:00:00Z');
    expect(isQuietTime(instant, london, night)).toBe(true);
    expect(isQuietTime(instant, 'America/New_York', night)).toBe(false); // 17:00
    expect(isQuietTime(instant, 'Asia/Kolkata', night)).toBe(true); // 03:30
    expect(isQuietTime(instant, 'Pacific/Auckland', night)).toBe(false); // 11:00
  });

  it('throws on an unknown time zone, an invalid date or malformed hours', () => {
    expect(() => isQuietTime(at('2026-01-15T22:00:00Z'), 'Mars/Olympus', night)).toThrow(
      '"Mars/Olympus" is not a time zone — use a name like Europe/London',
    );
    expect(() => isQuietTime(new Date(Number.NaN), london, night)).toThrow('Expected a valid Date');
    expect(() => isQuietTime(at('2026-01-15T22:00:00Z'), london, { start: '8', end: '9' })).toThrow(
      'Expected a 24-hour time',
    );
    expect(() =>
      isQuietTime(at('2026-01-15T22:00:00Z'), london, { start: '08:00', end: '08:00' }),
    ).toThrow('Quiet hours must start and end at different times');
  });
});

describe('quietHoursEnd', () => {
  it('is the instant itself outside quiet hours, as a new Date', () => {
    const instant = at('2026-01-15T12:34:56.789Z');
    const end = quietHoursEnd(instant, london, night);
    expect(end).toEqual(instant);
    expect(end).not.toBe(instant);
  });

  it('is 08:00 the next morning in the evening, and the same morning after midnight', () => {
    expect(endOf('2026-01-15T21:00:00Z')).toBe('2026-01-16T08:00:00.000Z');
    expect(endOf('2026-01-15T23:59:59.999Z')).toBe('2026-01-16T08:00:00.000Z');
    expect(endOf('2026-01-16T00:00:00Z')).toBe('2026-01-16T08:00:00.000Z');
    expect(endOf('2026-01-16T07:59:59Z')).toBe('2026-01-16T08:00:00.000Z');
    expect(endOf('2026-06-01T22:00:00Z')).toBe('2026-06-02T07:00:00.000Z'); // 08:00 BST
  });

  it('crosses the end of a month and a year', () => {
    expect(endOf('2026-12-31T22:00:00Z')).toBe('2027-01-01T08:00:00.000Z');
    expect(endOf('2028-02-28T22:00:00Z')).toBe('2028-02-29T08:00:00.000Z');
  });

  describe('on the last Sunday of March, when London’s clocks go forward at 01:00 UTC', () => {
    it('ends the shorter night at 08:00 BST', () => {
      expect(endOf('2026-03-28T21:00:00Z')).toBe('2026-03-29T07:00:00.000Z');
      expect(endOf('2026-03-29T00:59:59Z')).toBe('2026-03-29T07:00:00.000Z');
      expect(endOf('2026-03-29T01:00:00Z')).toBe('2026-03-29T07:00:00.000Z');
      expect(isQuietTime(at('2026-03-29T06:59:59Z'), london, night)).toBe(true);
      expect(isQuietTime(at('2026-03-29T07:00:00Z'), london, night)).toBe(false);
    });

    it('starts quiet hours that evening at 21:00 BST', () => {
      expect(isQuietTime(at('2026-03-29T19:59:59Z'), london, night)).toBe(false);
      expect(isQuietTime(at('2026-03-29T20:00:00Z'), london, night)).toBe(true);
      expect(endOf('2026-03-29T20:00:00Z')).toBe('2026-03-30T07:00:00.000Z');
    });

    it('ends, when the clocks jump over the end time, at the jump', () => {
      const lateNight = { start: '21:00', end: '01:30' };
      expect(isQuietTime(at('2026-03-29T00:59:59.999Z'), london, lateNight)).toBe(true);
      expect(endOf('2026-03-28T22:00:00Z', lateNight)).toBe('2026-03-29T01:00:00.000Z');
      expect(endOf('2026-03-29T00:45:00Z', lateNight)).toBe('2026-03-29T01:00:00.000Z');
      expect(isQuietTime(at('2026-03-29T01:00:00Z'), london, lateNight)).toBe(false); // 02:00 BST
    });

    it('starts, when the clocks jump over the start time, at the jump', () => {
      const smallHours = { start: '01:30', end: '06:00' };
      expect(isQuietTime(at('2026-03-29T00:59:59Z'), london, smallHours)).toBe(false);
      expect(isQuietTime(at('2026-03-29T01:00:00Z'), london, smallHours)).toBe(true);
      expect(endOf('2026-03-29T01:00:00Z', smallHours)).toBe('2026-03-29T05:00:00.000Z');
    });
  });

  describe('on the last Sunday of October, when London’s clocks go back at 01:00 UTC', () => {
    it('ends the longer night at 08:00 GMT', () => {
      expect(endOf('2026-10-24T20:00:00Z')).toBe('2026-10-25T08:00:00.000Z'); // from 21:00 BST
      expect(endOf('2026-10-25T00:59:59Z')).toBe('2026-10-25T08:00:00.000Z');
      expect(endOf('2026-10-25T01:00:00Z')).toBe('2026-10-25T08:00:00.000Z');
      expect(isQuietTime(at('2026-10-25T07:59:59Z'), london, night)).toBe(true);
      expect(isQuietTime(at('2026-10-25T08:00:00Z'), london, night)).toBe(false);
    });

    it('starts quiet hours that evening at 21:00 GMT', () => {
      expect(isQuietTime(at('2026-10-25T20:59:59Z'), london, night)).toBe(false);
      expect(isQuietTime(at('2026-10-25T21:00:00Z'), london, night)).toBe(true);
    });

    it('follows the wall clock through the repeated hour', () => {
      const lateNight = { start: '21:00', end: '01:30' };
      // 01:10 BST: quiet until the first 01:30, which is 01:30 BST.
      expect(endOf('2026-10-25T00:10:00Z', lateNight)).toBe('2026-10-25T00:30:00.000Z');
      // 01:45 BST: notifications may go …
      expect(isQuietTime(at('2026-10-25T00:45:00Z'), london, lateNight)).toBe(false);
      // … until the clocks go back to 01:00 GMT, which the wall clock calls quiet again.
      expect(isQuietTime(at('2026-10-25T01:10:00Z'), london, lateNight)).toBe(true);
      expect(endOf('2026-10-25T01:10:00Z', lateNight)).toBe('2026-10-25T01:30:00.000Z');
      // From the evening before, the first 01:30 ends it.
      expect(endOf('2026-10-24T21:00:00Z', lateNight)).toBe('2026-10-25T00:30:00.000Z');
    });
  });

  it('handles clock changes elsewhere: New York, Sydney, Lord Howe’s half hour, Chatham’s 45 minutes', () => {
    // New York springs forward at 02:00 on 8 March 2026; 08:00 EDT is 12:00 UTC.
    expect(endOf('2026-03-08T03:00:00Z', night, 'America/New_York')).toBe(
      '2026-03-08T12:00:00.000Z',
    );
    // Sydney falls back at 03:00 on 5 April 2026; 08:00 AEST is 22:00 UTC the day before.
    expect(endOf('2026-04-04T12:00:00Z', night, 'Australia/Sydney')).toBe(
      '2026-04-04T22:00:00.000Z',
    );
    // Lord Howe Island moves its clocks by 30 minutes, at 02:00 on 5 April 2026.
    expect(endOf('2026-04-04T12:00:00Z', night, 'Australia/Lord_Howe')).toBe(
      '2026-04-04T21:30:00.000Z',
    );
    // Chatham is UTC+12:45 in winter: 08:00 is 19:15 UTC the day before.
    expect(endOf('2026-07-01T12:00:00Z', night, 'Pacific/Chatham')).toBe(
      '2026-07-01T19:15:00.000Z',
    );
  });

  it('on random instants near clock changes: never early, never late, never quiet at the end', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const time = () =>
      `${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}`;
    const changes: [string, string][] = [
      [london, '2026-03-29T01:00:00Z'],
      [london, '2026-10-25T01:00:00Z'],
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
      ['Asia/Kolkata', '2026-01-01T00:00:00Z'],
    ];
    let quietRuns = 0;
    for (let run = 0; run < 600; run++) {
      const [zone, change] = changes[run % changes.length]!;
      let hours: QuietHours = { start: time(), end: time() };
      if (hours.start === hours.end) hours = night;
      const instant = new Date(Date.parse(change) + (random() - 0.5) * 40 * 3_600_000);
      const end = quietHoursEnd(instant, zone, hours);
      const label = `${zone} ${instant.toISOString()} ${hours.start}–${hours.end}`;
      expect(end.getTime(), label).toBeGreaterThanOrEqual(instant.getTime());
      expect(isQuietTime(end, zone, hours), label).toBe(false);
      if (!isQuietTime(instant, zone, hours)) {
        expect(end.getTime(), label).toBe(instant.getTime());
        continue;
      }
      quietRuns++;
      expect(end.getTime() - instant.getTime(), label).toBeLessThanOrEqual(25 * 3_600_000);
      expect(isQuietTime(new Date(end.getTime() - 1), zone, hours), label).toBe(true);
      for (let step = 1; step < 20; step++) {
        const between = instant.getTime() + ((end.getTime() - instant.getTime()) * step) / 20;
        expect(isQuietTime(new Date(Math.floor(between)), zone, hours), label).toBe(true);
      }
    }
    expect(quietRuns).toBeGreaterThan(100);
  });
});

describe('dateInTimeZone', () => {
  it('gives the local calendar date', () => {
    expect(dateInTimeZone(at('2026-03-28T23:30:00Z'), london)).toBe('2026-03-28');
    expect(dateInTimeZone(at('2026-06-30T23:30:00Z'), london)).toBe('2026-07-01');
    expect(dateInTimeZone(at('2026-06-30T23:30:00Z'), 'America/Los_Angeles')).toBe('2026-06-30');
    expect(dateInTimeZone(at('2026-12-31T11:00:00Z'), 'Pacific/Kiritimati')).toBe('2027-01-01');
  });

  it('throws on an invalid date or time zone', () => {
    expect(() => dateInTimeZone(new Date('nope'), london)).toThrow(RangeError);
    expect(() => dateInTimeZone(at('2026-01-01T00:00:00Z'), 'Nowhere')).toThrow(
      '"Nowhere" is not a time zone',
    );
  });
});
