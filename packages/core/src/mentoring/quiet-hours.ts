import { z } from 'zod';
import { minutesAfterMidnight, timeOfDaySchema } from './availability.js';
import { firstInstantAtWallTime, instantTime, type WallClock, wallClockAt } from './zoned-time.js';

/**
 * The nightly window, in the tenant's time zone, when notifications to members are held. A
 * window whose end is earlier than its start runs past midnight. Held back so that a young
 * person is not woken or drawn back to a screen at night (ICO Age Appropriate Design Code).
 *
 * @default { start: '21:00', end: '08:00' }
 */
export const quietHoursSchema = z
  .strictObject({
    /** When holding starts. @default '21:00' */
    start: timeOfDaySchema.default('21:00'),
    /** When held notifications may go. @default '08:00' */
    end: timeOfDaySchema.default('08:00'),
  })
  .refine((hours) => hours.start !== hours.end, {
    error: 'Quiet hours must start and end at different times',
    path: ['end'],
  });
export type QuietHours = z.output<typeof quietHoursSchema>;

function quietWindow(quietHours: QuietHours): { start: number; end: number } {
  const start = minutesAfterMidnight(quietHours.start);
  const end = minutesAfterMidnight(quietHours.end);
  if (start === end) throw new Error('Quiet hours must start and end at different times');
  return { start, end };
}

function inWindow(minutes: number, window: { start: number; end: number }): boolean {
  return window.start < window.end
    ? minutes >= window.start && minutes < window.end
    : minutes >= window.start || minutes < window.end;
}

function nextDay(date: WallClock): WallClock {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return {
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
    minutes: 0,
  };
}

/**
 * Whether notifications to members should be held at `instant`: whether the wall clock in
 * `timeZone` then reads from `start` (inclusive) to `end` (exclusive). Because it reads the
 * wall clock, the window follows daylight saving: with 21:00–08:00 in Europe/London, quiet
 * time ends at 08:00 UTC in winter and at 07:00 UTC (08:00 BST) in summer.
 *
 * @throws RangeError for an invalid date or an unknown time zone.
 * @example isQuietTime(new Date('2026-06-01T21:30:00Z'), 'Europe/London', quietHours) // true (22:30 BST)
 */
export function isQuietTime(instant: Date, timeZone: string, quietHours: QuietHours): boolean {
  const window = quietWindow(quietHours);
  return inWindow(wallClockAt(instantTime(instant), timeZone).minutes, window);
}

/**
 * The first instant, at or after `instant`, when notifications may go: `instant` itself when
 * it is not quiet time, otherwise the moment quiet hours end. Schedule held notifications for
 * this time.
 *
 * Around clock changes it keeps to the wall clock. If the clocks go forward over the end of
 * quiet hours (an end of 01:30 on the last Sunday of March in London), quiet time ends when
 * the clocks jump. If they go back and the end time happens twice, quiet time ends at the
 * first of the two that is not before `instant` — and the repeated hour is quiet again, as the
 * wall clock says, so a check then gets the second.
 *
 * @throws RangeError for an invalid date or an unknown time zone.
 * @example quietHoursEnd(new Date('2026-01-15T23:00:00Z'), 'Europe/London', quietHours) // 2026-01-16T08:00:00.000Z
 */
export function quietHoursEnd(instant: Date, timeZone: string, quietHours: QuietHours): Date {
  const time = instantTime(instant);
  const window = quietWindow(quietHours);
  const local = wallClockAt(time, timeZone);
  if (!inWindow(local.minutes, window)) return new Date(time);
  // In the evening part of a window that runs past midnight, it ends on the next day.
  const endsOn =
    window.start > window.end && local.minutes >= window.start ? nextDay(local) : local;
  return new Date(firstInstantAtWallTime(endsOn, window.end, timeZone, time));
}
