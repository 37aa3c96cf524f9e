import { describe, expect, it } from 'vitest';
import {
  ageBandSchema,
  ageBands,
  isUnder18,
  roleSchema,
  roles,
  staffRoleSchema,
  staffRoles,
} from './roles.js';

describe('roles', () => {
  it('staff roles are every role except member', () => {
    expect(staffRoles).toEqual(roles.filter((role) => role !== 'member'));
  });

  it('parses known roles and rejects others', () => {
    expect(roleSchema.parse('safeguarding_lead')).toBe('safeguarding_lead');
    expect(roleSchema.safeParse('admin').success).toBe(false);
    expect(staffRoleSchema.parse('mentor')).toBe('mentor');
    expect(staffRoleSchema.safeParse('member').success).toBe(false);
  });
});

describe('age bands', () => {
  it('parses known bands and rejects others', () => {
    expect(ageBandSchema.parse('16-17')).toBe('16-17');
    expect(ageBandSchema.safeParse('17').success).toBe(false);
  });

  it('treats exactly the bands below 18 as children', () => {
    expect(ageBands.filter(isUnder18)).toEqual(['under-13', '13-15', '16-17']);
  });
});
