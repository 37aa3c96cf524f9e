import { z } from 'zod';

/** Days of the week, Monday first, as availability slots name them. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const dayNames: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const minutesPerDay = 24 * 60;
const clockTime = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const slotStart = /^(?:[01]\d|2[0-3]):(?:00|15|30|45)$/;
const slotEnd = /^(?:(?:[01]\d|2[0-3]):(?:00|15|30|45)|24:00)$/;

/**
 * Minutes after midnight of a 24-hour `HH:MM` time; `24:00` is the end of the day (1440).
 * @throws Error for anything that is not such a time, so a bad value never compares silently.
 */
export function minutesAfterMidnight(time: string): number {
  if (!clockTime.test(time) && time !== '24:00') {
    throw new Error(`Expected a 24-hour time like 08:00 (got ${JSON.stringify(time)})`);
  }
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * A wall-clock time of day in the tenant's time zone, to the minute.
 * @example '21:30'
 */
export const timeOfDaySchema = z
  .string({ error: 'Times must be text, like 08:00' })
  .regex(clockTime, { error: 'Use a 24-hour time like 08:00 or 21:30' });

const quarterHourMessage = 'Use a time on the quarter hour, like 18:00, 18:15, 18:30 or 18:45';

/**
 * One weekly window when someone is free, in the tenant's time zone. Times fall on the quarter
 * hour, which is as fine as anyone plans a weekly routine and keeps the slots easy to pick on a
 * phone. A window cannot run past midnight: end it at `24:00` and start the next day at `00:00`.
 *
 * @example { day: 'tue', start: '18:00', end: '20:30' }
 */
export const weeklySlotSchema = z
  .strictObject({
    day: z.enum(weekdays, { error: `Use one of ${weekdays.join(', ')}` }),
    /** @example '18:00' */
    start: z
      .string({ error: 'Times must be text, like 18:00' })
      .regex(clockTime, { error: 'Use a 24-hour time like 18:00', abort: true })
      .regex(slotStart, { error: quarterHourMessage }),
    /** `24:00` ends a slot at midnight. @example '20:30' */
    end: z
      .string({ error: 'Times must be text, like 20:30' })
      .refine((value) => clockTime.test(value) || value === '24:00', {
        error: 'Use a 24-hour time like 20:30, or 24:00 for midnight',
        abort: true,
      })
      .regex(slotEnd, { error: quarterHourMessage }),
  })
  .refine((slot) => minutesAfterMidnight(slot.start) < minutesAfterMidnight(slot.end), {
    error:
      'A slot must end after it starts — for time past midnight, add a second slot on the next day',
    path: ['end'],
  });
export type WeeklySlot = z.output<typeof weeklySlotSchema>;

/** The most slots a weekly availability can list: four a day is plenty for anyone. */
export const maxAvailabilitySlots = 28;

/** A minute range within the week, Monday 00:00 being 0. */
interface WeekRange {
  from: number;
  to: number;
}

function weekRange(slot: WeeklySlot): WeekRange {
  const offset = weekdays.indexOf(slot.day) * minutesPerDay;
  return {
    from: offset + minutesAfterMidnight(slot.start),
    to: offset + minutesAfterMidnight(slot.end),
  };
}

/**
 * Weekly availability: slots that may touch but not overlap, so the total time is what it
 * looks like. Slots are kept in the order given.
 *
 * @default []
 * @example [{ day: 'mon', start: '17:00', end: '19:00' }, { day: 'sat', start: '10:00', end: '12:00' }]
 */
export const availabilitySchema = z
  .array(weeklySlotSchema, { error: 'Availability must be a list of slots' })
  .max(maxAvailabilitySlots, {
    error: `List at most ${maxAvailabilitySlots} availability slots`,
  })
  .check((ctx) => {
    const slots = ctx.value;
    for (let later = 1; later < slots.length; later++) {
      const b = weekRange(slots[later]!);
      for (let earlier = 0; earlier < later; earlier++) {
        const slot = slots[earlier]!;
        const a = weekRange(slot);
        if (a.from < b.to && b.from < a.to) {
          ctx.issues.push({
            code: 'custom',
            input: slots[later],
            path: [later],
            message: `Overlaps ${dayNames[slot.day]} ${slot.start}–${slot.end} — join them into one slot`,
          });
          break;
        }
      }
    }
  });

/** Sorts and joins ranges that overlap or touch. */
function merged(slots: readonly WeeklySlot[]): WeekRange[] {
  const ranges = slots.map(weekRange).sort((a, b) => a.from - b.from || a.to - b.to);
  const result: WeekRange[] = [];
  for (const range of ranges) {
    const last = result.at(-1);
    if (last !== undefined && range.from <= last.to) last.to = Math.max(last.to, range.to);
    else result.push({ ...range });
  }
  return result;
}

/**
 * Minutes a week covered by the slots, counting any overlap once.
 * @example weeklyMinutes([{ day: 'mon', start: '17:00', end: '19:00' }]) // 120
 */
export function weeklyMinutes(slots: readonly WeeklySlot[]): number {
  return merged(slots).reduce((total, range) => total + range.to - range.from, 0);
}

/**
 * Minutes a week when both people are free. Each side's own overlaps are counted once, so the
 * answer never exceeds either side's {@link weeklyMinutes}. Slots are compared as wall-clock
 * times in the one time zone of the tenant.
 *
 * @example
 * overlapMinutes(
 *   [{ day: 'tue', start: '18:00', end: '20:00' }],
 *   [{ day: 'tue', start: '19:00', end: '21:00' }],
 * ) // 60
 */
export function overlapMinutes(a: readonly WeeklySlot[], b: readonly WeeklySlot[]): number {
  const left = merged(a);
  const right = merged(b);
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const x = left[i]!;
    const y = right[j]!;
    total += Math.max(0, Math.min(x.to, y.to) - Math.max(x.from, y.from));
    if (x.to < y.to) i++;
    else j++;
  }
  return total;
}
