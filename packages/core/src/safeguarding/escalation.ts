import { z } from 'zod';
import { type Role, staffRoles } from '../identity/roles.js';

/** The roles a ladder step can alert. */
const ladderRoles = staffRoles.filter((role) => role !== 'platform_admin') as [
  Exclude<(typeof staffRoles)[number], 'platform_admin'>,
  ...Exclude<(typeof staffRoles)[number], 'platform_admin'>[],
];

import { safeText } from '../text.js';
import type { RiskSeverity } from './rules.js';

const minutes = (min: number, max: number) =>
  z
    .number({ error: 'Must be a number of minutes' })
    .int({ error: 'Must be a whole number of minutes' })
    .min(min, { error: `Must be at least ${min} minutes` })
    .max(max, { error: `Must be at most ${max} minutes` });

/** Minutes by severity within which a step must acknowledge a case. */
const limitsSchema = z.strictObject({
  critical: minutes(1, 10_080).optional(),
  high: minutes(1, 10_080).optional(),
  medium: minutes(1, 43_200).optional(),
  low: minutes(1, 43_200).optional(),
  info: minutes(1, 43_200).optional(),
});

/**
 * One step of the escalation ladder. When a case reaches a step, the people its roles name are
 * alerted: for `mentor`, the young person's own mentors; for `senior_mentor`, those mentors'
 * supervisors (every senior mentor when none has one); for any other role, everyone holding
 * it. A step that reaches nobody passes the case on at once; if nobody acknowledges within the
 * step's limit for the case's severity, the case moves up to the next step by itself.
 */
export const escalationStepSchema = z.strictObject({
  /** Stable id, used in case histories. @example 'safeguarding-lead' */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    error: 'Use 1–40 lower-case letters, digits or hyphens',
  }),
  /** What the organisation calls this step. */
  name: safeText({ max: 80 }),
  /** Staff roles only: members, and platform admins (who have no tenant rights), are never alerted. */
  roles: z
    .array(
      z.enum(ladderRoles, {
        error: `Choose from the roles that handle cases: ${ladderRoles.join(', ')}`,
      }),
    )
    .min(1, { error: 'Name at least one role to alert' }),
  /** Time to acknowledge, by severity. A severity without a limit never escalates by time. */
  acknowledgeWithinMinutes: limitsSchema.default({}),
  /** This step hands the case to an agency outside the organisation (police, children's services). */
  external: z.boolean().default(false),
});
export type EscalationStep = z.output<typeof escalationStepSchema>;

export const defaultEscalationLadder: z.input<typeof escalationStepSchema>[] = [
  {
    id: 'mentor',
    name: 'Mentor',
    roles: ['mentor'],
    acknowledgeWithinMinutes: { critical: 15, high: 60, medium: 240 },
  },
  {
    id: 'senior-mentor',
    name: 'Senior mentor',
    roles: ['senior_mentor'],
    acknowledgeWithinMinutes: { critical: 15, high: 60, medium: 480 },
  },
  {
    id: 'safeguarding-lead',
    name: 'Safeguarding lead',
    roles: ['safeguarding_lead'],
    acknowledgeWithinMinutes: { critical: 30, high: 120, medium: 1440 },
  },
  {
    id: 'external',
    name: 'External agency',
    roles: ['safeguarding_lead', 'org_admin'],
    external: true,
  },
];

export const escalationLadderSchema = z
  .array(escalationStepSchema)
  .min(1, { error: 'The ladder needs at least one step' })
  .max(10)
  .refine((steps) => new Set(steps.map((s) => s.id)).size === steps.length, {
    error: 'Each step needs its own id',
  })
  .prefault(defaultEscalationLadder);

/**
 * When the case at `stepIndex` must be acknowledged by, or null if that step has no limit for
 * this severity (or there is no such step).
 */
export function acknowledgeDeadline(
  ladder: readonly EscalationStep[],
  stepIndex: number,
  severity: RiskSeverity,
  from: Date,
): Date | null {
  const limit = ladder[stepIndex]?.acknowledgeWithinMinutes[severity];
  return limit === undefined ? null : new Date(from.getTime() + limit * 60_000);
}

/**
 * The roles a step names, or none past the top of the ladder. Who among their holders is
 * alerted is the server's rule (see `mentor` and `senior_mentor` above).
 */
export function rolesAtStep(ladder: readonly EscalationStep[], stepIndex: number): readonly Role[] {
  return ladder[stepIndex]?.roles ?? [];
}
