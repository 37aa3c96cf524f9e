import type { HearthOutputs } from '@hearth/client';
import { useQuery } from '@tanstack/react-query';
import { useHearthClient } from './context.js';

/** The signed-in person, or null. */
export type Me = HearthOutputs['identity']['me'];
export type Role = NonNullable<Me>['roles'][number];

export const meQueryKey = ['hearth', 'identity.me'] as const;

/** The signed-in person (`null` when signed out). */
export function useMe() {
  const client = useHearthClient();
  return useQuery({ queryKey: meQueryKey, queryFn: () => client.identity.me.query() });
}

/** Whether `me` holds any of `roles`. */
export function hasRole(me: Me | undefined, ...roles: Role[]): boolean {
  return !!me && me.roles.some((role) => roles.includes(role));
}

/** Staff roles (everyone who is not only a member). */
export function isStaff(me: Me | undefined): boolean {
  return hasRole(me, 'mentor', 'senior_mentor', 'moderator', 'safeguarding_lead', 'org_admin');
}
