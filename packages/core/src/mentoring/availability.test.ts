import { describe, expect, it } from 'vitest';
import {
  availabilitySchema,
  maxAvailabilitySlots,
  minutesAfterMidnight,
  overlapMinutes,
  timeOfDaySchema,
  type WeeklySlot,
  weekdays,
  weeklyMinutes,
  weeklySlotSchema,
} from './availability.js';

function problemsWith(schema: typeof availabilitySchema | typeof weeklySlotSchema, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const slot = (day: WeeklySlot['day'], start: string, end: string): WeeklySlot => ({
  day,
  start,
  end,
});

describe('minutesAfterMidnight', () => {
  it('reads 24-hour times, with 24:00 as the end of the day', () => {
    expect(minutesAfterMidnight('00:00')).toBe(0);
    expect(minutesAfterMidnight('08:05')).toBe(485);
    expect(minutesAfterMidnight('23:59')).toBe(1439);
    expect(minutesAfterMidnight('24:00')).toBe(1440);
  });

  it.each(['8:00', '24:01', '25:00', '12:60', '', 'noon', '12:00:00'])('refuses %j', (time) => {
    expect(() => minutesAfterMidnight(time)).toThrow('Expected a 24-hour time like 08:00');
  });
});

describe('timeOfDaySchema', () => {
  it('accepts any minute of the day', () => {
    expect(timeOfDaySchema.parse('07:59')).toBe('07:59');
    expect(timeOfDaySchema.parse('00:00')).toBe('00:00');
  });

  it.each(['24:00', '7:00', '7pm', 1900])('refuses %j', (time) => {
    expect(timeOfDaySchema.safeParse(time).success).toBe(false);
  });
});

describe('weeklySlotSchema', () => {
  it('accepts quarter-hour slots, up to midnight', () => {
    expect(weeklySlotSchema.parse(slot('tue', '18:15', '20:45'))).toEqual(
      slot('tue', '18:15', '20:45'),
    );
    expect(weeklySlotSchema.parse(slot('sun', '22:00', '24:00')).end).toBe('24:00');
    expect(weeklySlotSchema.parse(slot('mon', '00:00', '00:15')).start).toBe('00:00');
  });

  it('explains a bad day or time', () => {
    expect(problemsWith(weeklySlotSchema, { day: 'monday', start: '6pm', end: '18:10' })).toEqual([
      'day: Use one of mon, tue, wed, thu, fri, sat, sun',
      'start: Use a 24-hour time like 18:00',
      'end: Use a time on the quarter hour, like 18:00, 18:15, 18:30 or 18:45',
    ]);
    expect(problemsWith(weeklySlotSchema, slot('mon', '18:05', '25:00'))).toEqual([
      'start: Use a time on the quarter hour, like 18:00, 18:15, 18:30 or 18:45',
      'end: Use a 24-hour time like 20:30, or 24:00 for midnight',
    ]);
    expect(problemsWith(weeklySlotSchema, { day: 'mon', start: 1800 })).toEqual([
      'start: Times must be text, like 18:00',
      'end: Times must be text, like 20:30',
    ]);
  });

  it('refuses a slot that ends before it starts, or runs past midnight', () => {
    const message =
      'end: A slot must end after it starts — for time past midnight, add a second slot on the next day';
    expect(problemsWith(weeklySlotSchema, slot('fri', '22:00', '01:00'))).toEqual([message]);
    expect(problemsWith(weeklySlotSchema, slot('fri', '18:00', '18:00'))).toEqual([message]);
    expect(problemsWith(weeklySlotSchema, slot('fri', '00:00', '00:00'))).toEqual([message]);
  });

  it('refuses unknown keys', () => {
    expect(problemsWith(weeklySlotSchema, { ...slot('mon', '09:00', '10:00'), tz: 'UTC' })).toEqual(
      [': Unrecognized key: "tz"'],
    );
  });
});

describe('availabilitySchema', () => {
  it('accepts slots that touch, on the same or different days', () => {
    const slots = [
      slot('mon', '09:00', '12:00'),
      slot('mon', '12:00', '13:00'),
      slot('tue', '09:00', '12:00'),
      slot('sun', '23:00', '24:00'),
      slot('mon', '00:00', '01:00'),
    ];
    expect(availabilitySchema.parse(slots)).toEqual(slots);
  });

  it('refuses overlapping slots, pointing at the later one', () => {
    expect(
      problemsWith(availabilitySchema, [
        slot('mon', '09:00', '12:00'),
        slot('wed', '09:00', '12:00'),
        slot('mon', '11:45', '13:00'),
        slot('wed', '09:00', '12:00'),
      ]),
    ).toEqual([
      '2: Overlaps Monday 09:00–12:00 — join them into one slot',
      '3: Overlaps Wednesday 09:00–12:00 — join them into one slot',
    ]);
    expect(
      problemsWith(availabilitySchema, [
        slot('sat', '10:00', '18:00'),
        slot('sat', '12:00', '13:00'),
      ]),
    ).toEqual(['1: Overlaps Saturday 10:00–18:00 — join them into one slot']);
  });

  it('caps the number of slots', () => {
    const many = Array.from({ length: maxAvailabilitySlots + 1 }, (_, i) => {
      const day = weekdays[i % 7]!;
      const hour = String(Math.floor(i / 7) * 2).padStart(2, '0');
      return slot(day, `${hour}:00`, `${hour}:30`);
    });
    expect(availabilitySchema.safeParse(many.slice(0, maxAvailabilitySlots)).success).toBe(true);
    expect(problemsWith(availabilitySchema, many)).toEqual([
      `: List at most ${maxAvailabilitySlots} availability slots`,
    ]);
  });

  it('reports bad slots by index, without checking overlaps among them', () => {
    expect(
      problemsWith(availabilitySchema, [
        slot('mon', '09:00', '10:00'),
        { day: 'xyz', start: '09:00', end: '10:00' },
      ]),
    ).toEqual(['1.day: Use one of mon, tue, wed, thu, fri, sat, sun']);
    expect(problemsWith(availabilitySchema, 'evenings')).toEqual([
      ': Availability must be a list of slots',
    ]);
  });
});

describe('weeklyMinutes and overlapMinutes', () => {
  it('counts minutes in common', () => {
    expect(overlapMinutes([slot('tue', '18:00', '20:00')], [slot('tue', '19:00', '21:00')])).toBe(
      60,
    );
    expect(overlapMinutes([slot('tue', '18:00', '20:00')], [slot('wed', '18:00', '20:00')])).toBe(
      0,
    );
    expect(overlapMinutes([slot('tue', '18:00', '20:00')], [slot('tue', '20:00', '21:00')])).toBe(
      0,
    );
    expect(
      overlapMinutes(
        [slot('mon', '17:00', '21:00'), slot('sat', '10:00', '16:00')],
        [
          slot('mon', '18:00', '19:00'),
          slot('mon', '20:00', '22:00'),
          slot('sat', '09:00', '24:00'),
        ],
      ),
    ).toBe(60 + 60 + 360);
    expect(overlapMinutes([], [slot('mon', '00:00', '24:00')])).toBe(0);
  });

  it('does not carry over midnight between days', () => {
    expect(overlapMinutes([slot('mon', '23:00', '24:00')], [slot('tue', '00:00', '01:00')])).toBe(
      0,
    );
    expect(weeklyMinutes([slot('mon', '23:00', '24:00'), slot('tue', '00:00', '01:00')])).toBe(120);
  });

  it('counts a side’s own overlaps once, even in unchecked input', () => {
    const messy = [slot('mon', '09:00', '12:00'), slot('mon', '10:00', '11:00')];
    expect(weeklyMinutes(messy)).toBe(180);
    expect(overlapMinutes(messy, [slot('mon', '00:00', '24:00')])).toBe(180);
    expect(overlapMinutes(messy, messy)).toBe(180);
  });

  it('on random availability: symmetric, bounded by each side, and equal to a minute count', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const randomSlots = (): WeeklySlot[] =>
      Array.from({ length: Math.floor(random() * 6) }, () => {
        const from = Math.floor(random() * 95);
        const to = from + 1 + Math.floor(random() * (96 - from));
        const time = (quarter: number) =>
          `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
        return slot(weekdays[Math.floor(random() * 7)]!, time(from), time(to));
      });
    const minutesOf = (slots: WeeklySlot[]) => {
      const covered = new Set<number>();
      for (const s of slots) {
        const base = weekdays.indexOf(s.day) * 1440;
        for (let m = minutesAfterMidnight(s.start); m < minutesAfterMidnight(s.end); m++) {
          covered.add(base + m);
        }
      }
      return covered;
    };
    for (let run = 0; run < 200; run++) {
      const a = randomSlots();
      const b = randomSlots();
      const inA = minutesOf(a);
      const inB = minutesOf(b);
      const both = [...inA].filter((m) => inB.has(m)).length;
      expect(overlapMinutes(a, b)).toBe(both);
      expect(overlapMinutes(b, a)).toBe(both);
      expect(weeklyMinutes(a)).toBe(inA.size);
      expect(overlapMinutes(a, a)).toBe(inA.size);
    }
  });
});
