import type { HearthInputs, HearthOutputs } from '@hearth/client';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { brandingQueryKey, useHearthClient } from '../context.js';

type Identity = HearthOutputs['identity'];

export type UserSummary = Identity['users']['list']['users'][number];
export type Invitation = Identity['invitations']['list'][number];
export type NewInvitation = Identity['invitations']['create'];
export type InvitableRole = HearthInputs['identity']['invitations']['create']['role'];
export type TenantConfigState = HearthOutputs['tenancy']['config']['get'];
export type TenantConfigValue = TenantConfigState['config'];
export type ConfigVersion = HearthOutputs['tenancy']['config']['history'][number];

export const usersKey = ['hearth', 'identity.users.list'] as const;
export const invitationsKey = ['hearth', 'identity.invitations.list'] as const;
export const configKey = ['hearth', 'tenancy.config'] as const;

const PAGE = 50;

/** Everyone with an account in the organisation, by username, a page at a time (org admins). */
export function useUsers() {
  const client = useHearthClient();
  return useInfiniteQuery({
    queryKey: usersKey,
    queryFn: ({ pageParam }) =>
      client.identity.users.list.query({ limit: PAGE, ...(pageParam ? { after: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** Disables an account; every one of its sessions ends at once. */
export function useDisableUser() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => client.identity.users.disable.mutate({ userId }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

/** The organisation's staff invitations, oldest first, with their status (org admins). */
export function useInvitations() {
  const client = useHearthClient();
  return useQuery({
    queryKey: invitationsKey,
    queryFn: () => client.identity.invitations.list.query(),
  });
}

/**
 * Invites a member of staff. The answer holds the invitation's token, shown this once: pass it
 * on to the person invited (Hearth keeps only its hash).
 */
export function useCreateInvitation() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: HearthInputs['identity']['invitations']['create']) =>
      client.identity.invitations.create.mutate(input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitationsKey }),
  });
}

export function useRevokeInvitation() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      client.identity.invitations.revoke.mutate({ invitationId }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitationsKey }),
  });
}

/** The organisation's whole configuration and its version (org admins). */
export function useTenantConfig() {
  const client = useHearthClient();
  return useQuery({
    queryKey: [...configKey, 'get'],
    queryFn: () => client.tenancy.config.get.query(),
    // A newer version arriving in the background would replace an admin's unsaved edits.
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/** Earlier versions of the configuration, newest first, with who saved each. */
export function useConfigHistory(limit = 20) {
  const client = useHearthClient();
  return useQuery({
    queryKey: [...configKey, 'history', limit],
    queryFn: () => client.tenancy.config.history.query({ limit }),
  });
}

/**
 * Saves a new version of the configuration from the version the editor started from. Afterwards
 * the public branding is loaded again, so the whole app takes on the new look and words.
 */
export function useUpdateConfig() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: HearthInputs['tenancy']['config']['update']) =>
      client.tenancy.config.update.mutate(input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: configKey }),
        queryClient.invalidateQueries({ queryKey: brandingQueryKey }),
      ]),
  });
}
