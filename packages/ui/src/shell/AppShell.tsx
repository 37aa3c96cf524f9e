import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useBranding, useHearthClient, useTerm } from '../context.js';
import { SafeLink, useSafeLocation } from '../navigation.js';
import { hasRole, type Me, type Role, useMe } from '../queries.js';
import { QuickExit } from '../safety/QuickExit.js';

export interface NavItem {
  to: string;
  label: string;
  /** Shown only to people holding one of these roles; to everyone signed in when left out. */
  roles?: Role[];
}

/** The pages a Hearth site usually has, worded in the organisation's own terms. */
export function useDefaultNav(): NavItem[] {
  const t = useTerm();
  return [
    { to: '/', label: 'Home' },
    { to: '/mentors', label: `Find a ${t('mentor')}`, roles: ['member'] },
    { to: '/requests', label: 'Match requests', roles: ['mentor', 'senior_mentor', 'org_admin'] },
    {
      to: '/mentor-directory',
      label: t('mentor', { plural: true, capitalize: true }),
      roles: ['senior_mentor', 'org_admin'],
    },
    { to: '/conversations', label: 'Conversations', roles: ['member', 'mentor', 'senior_mentor'] },
    { to: '/moderation', label: 'Moderation', roles: ['moderator', 'safeguarding_lead'] },
    {
      to: '/cases',
      label: 'Safeguarding',
      roles: ['safeguarding_lead', 'mentor', 'senior_mentor'],
    },
    { to: '/admin/users', label: 'People', roles: ['org_admin'] },
    { to: '/admin/branding', label: 'Branding', roles: ['org_admin'] },
  ];
}

/** The items of `items` that `me` may see. */
export function navFor(me: Me | undefined, items: NavItem[]): NavItem[] {
  if (!me) return [];
  return items.filter((item) => !item.roles || hasRole(me, ...item.roles));
}

export interface AppShellProps {
  children: ReactNode;
  /** Navigation; `useDefaultNav()` when left out. */
  nav?: NavItem[];
  /** Path of the "get help now" page, linked from every page. @default '/help' */
  helpPath?: string;
}

/**
 * The frame of every page: the organisation's name and logo, navigation for the signed-in
 * person's roles, Quick Exit, a "get help now" link one tap away, and a skip link.
 */
export function AppShell({ children, nav, helpPath = '/help' }: AppShellProps) {
  const branding = useBranding();
  const client = useHearthClient();
  const queryClient = useQueryClient();
  const { navigate } = useSafeLocation();
  const me = useMe();
  const defaults = useDefaultNav();
  const items = navFor(me.data ?? undefined, nav ?? defaults);
  const signOut = useMutation({
    mutationFn: () => client.identity.signOut.mutate(),
    onSettled: () => {
      // Nothing of the person's may stay in memory for the next one at this device.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[1] !== 'tenancy.branding' });
      navigate('/');
    },
  });
  return (
    <div className="hearth-shell">
      <a className="hearth-skip-link" href="#hearth-main">
        Skip to content
      </a>
      <header className="hearth-header">
        <SafeLink to="/" className="hearth-brand">
          {branding.branding.logoUrl ? (
            <img src={branding.branding.logoUrl} alt="" className="hearth-logo" />
          ) : null}
          <span>{branding.displayName}</span>
        </SafeLink>
        <div className="hearth-header-actions">
          <SafeLink to={helpPath} className="hearth-help-link">
            Get help now
          </SafeLink>
          <QuickExit />
        </div>
      </header>
      {items.length > 0 ? (
        <nav className="hearth-nav" aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <SafeLink to={item.to}>{item.label}</SafeLink>
              </li>
            ))}
          </ul>
          {me.data ? (
            <div className="hearth-account">
              <span>
                Signed in as <strong>{me.data.displayName ?? me.data.username}</strong>
              </span>
              <button
                type="button"
                className="hearth-button hearth-button-quiet"
                onClick={() => signOut.mutate()}
                disabled={signOut.isPending}
              >
                Sign out
              </button>
            </div>
          ) : null}
        </nav>
      ) : null}
      <main id="hearth-main" className="hearth-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
