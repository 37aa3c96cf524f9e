import { z } from 'zod';

/**
 * Every role a person can hold, from least to most organisational reach. The names are
 * identifiers; what a tenant calls each role comes from its terminology.
 */
export const roles = [
  'member',
  'mentor',
  'senior_mentor',
  'moderator',
  'safeguarding_lead',
  'practitioner',
  'org_admin',
  'platform_admin',
] as const;
export type Role = (typeof roles)[number];
export const roleSchema = z.enum(roles);

/** Roles held by trained volunteers and staff: everyone except the young people themselves. */
export const staffRoles = [
  'mentor',
  'senior_mentor',
  'moderator',
  'safeguarding_lead',
  'practitioner',
  'org_admin',
  'platform_admin',
] as const satisfies readonly Exclude<Role, 'member'>[];
export type StaffRole = (typeof staffRoles)[number];
export const staffRoleSchema = z.enum(staffRoles);

/**
 * Members give an age band rather than a date of birth: enough to apply the right safeguards
 * and age-appropriate design, without collecting something that identifies them.
 */
export const ageBands = ['under-13', '13-15', '16-17', '18-21', '22-25', '26-plus'] as const;
export type AgeBand = (typeof ageBands)[number];
export const ageBandSchema = z.enum(ageBands);

const childBands: ReadonlySet<AgeBand> = new Set(['under-13', '13-15', '16-17']);

/** Whether a member in this band is a child in UK law, which changes safeguarding and erasure. */
export function isUnder18(band: AgeBand): boolean {
  return childBands.has(band);
}
