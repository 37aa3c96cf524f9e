import type { HearthInputs, HearthOutputs } from '@hearth/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useHearthClient } from '../context.js';

export type Relationship = HearthOutputs['mentoring']['relationships']['list'][number];
export type MentorNeeds = HearthInputs['mentoring']['match']['propose'];
export type Proposal = HearthOutputs['mentoring']['match']['propose']['proposals'][number];

export const relationshipsKey = ['hearth', 'mentoring.relationships.list'] as const;

/** Relationships the signed-in person may see (their own; more for coordinators and admins). */
export function useRelationships() {
  const client = useHearthClient();
  return useQuery({
    queryKey: relationshipsKey,
    queryFn: () => client.mentoring.relationships.list.query({}),
    refetchInterval: 15_000,
  });
}

/** Mentors proposed for what a member asks, best first, with the reasons for each. */
export function useProposals(needs: MentorNeeds | null) {
  const client = useHearthClient();
  return useQuery({
    queryKey: ['hearth', 'mentoring.match.propose', needs],
    queryFn: () => client.mentoring.match.propose.query(needs!),
    enabled: needs !== null,
  });
}

/** A member asks for a mentor (naming one where members choose). */
export function useRequestMentor() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: HearthInputs['mentoring']['match']['request']) =>
      client.mentoring.match.request.mutate(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: relationshipsKey }),
  });
}

/** A mentor or coordinator accepts or declines a waiting request. */
export function useDecideMatch() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      input:
        | ({ decision: 'approve' } & HearthInputs['mentoring']['match']['approve'])
        | ({ decision: 'decline' } & HearthInputs['mentoring']['match']['decline']),
    ) => {
      const { decision, ...rest } = input;
      return decision === 'approve'
        ? client.mentoring.match.approve.mutate(
            rest as HearthInputs['mentoring']['match']['approve'],
          )
        : client.mentoring.match.decline.mutate(
            rest as HearthInputs['mentoring']['match']['decline'],
          );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: relationshipsKey }),
  });
}

/** Splits "music, art , football" into tags; empty pieces are dropped. */
export function tagsFrom(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}
