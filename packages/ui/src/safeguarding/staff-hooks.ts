import type { HearthInputs, HearthOutputs } from '@hearth/client';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useHearthClient } from '../context.js';

type Safeguarding = HearthOutputs['safeguarding'];
type SafeguardingInputs = HearthInputs['safeguarding'];

export type QueueItem = Safeguarding['moderation']['list'][number];
export type QueueItemDetail = Safeguarding['moderation']['get'];
export type QueueStatus = 'open' | 'resolved';
export type ModerationActInput = SafeguardingInputs['moderation']['act'];
export type CaseSummary = Safeguarding['cases']['list'][number];
export type CaseDetail = Safeguarding['cases']['get'];
export type CaseEvent = CaseDetail['timeline'][number];

/** A finding of the risk rules on a queue item: which rule, how serious, where in the text. */
export interface QueueFinding {
  ruleId: string;
  category: string;
  severity: string;
  /** Start and end of the match in `text`. */
  span: [number, number] | null;
  /** How it matched (the rule's phrase or detector), never the writer's words. */
  reason: string;
}

export const moderationKey = ['hearth', 'safeguarding.moderation'] as const;
export const moderationItemKey = (itemId: string) => [...moderationKey, 'item', itemId] as const;
export const casesKey = ['hearth', 'safeguarding.cases'] as const;
export const caseKey = (caseId: string) => [...casesKey, 'case', caseId] as const;

const PAGE = 50;

/** The moderation queue, a page at a time: open items oldest first, or decided ones newest first. */
export function useModerationQueue(status: QueueStatus = 'open') {
  const client = useHearthClient();
  return useInfiniteQuery({
    queryKey: [...moderationKey, 'list', status],
    queryFn: ({ pageParam }) =>
      client.safeguarding.moderation.list.query({
        status,
        limit: PAGE,
        ...(pageParam ? { after: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length === PAGE ? last.at(-1)?.id : undefined),
    refetchInterval: 30_000,
  });
}

/** One queue item with what was written, its reports and its history (each read is audited). */
export function useModerationItem(itemId: string | null) {
  const client = useHearthClient();
  return useQuery({
    queryKey: moderationItemKey(itemId ?? ''),
    queryFn: () => client.safeguarding.moderation.get.query({ itemId: itemId! }),
    enabled: itemId !== null,
  });
}

/**
 * A moderator acts on an item. On success and on a conflict the queue and the item are loaded
 * again, so the next decision is made on what is there now.
 */
export function useModerationAct() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ModerationActInput) => client.safeguarding.moderation.act.mutate(input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: moderationKey }),
  });
}

/** The findings of a queue item, read defensively (the API types them as `unknown[]`). */
export function findingsOf(item: Pick<QueueItemDetail, 'findings'>): QueueFinding[] {
  return item.findings.flatMap((raw) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const f = raw as Record<string, unknown>;
    const span =
      Array.isArray(f.span) &&
      f.span.length === 2 &&
      typeof f.span[0] === 'number' &&
      typeof f.span[1] === 'number'
        ? ([f.span[0], f.span[1]] as [number, number])
        : null;
    return [
      {
        ruleId: String(f.ruleId ?? ''),
        category: String(f.category ?? ''),
        severity: String(f.severity ?? ''),
        span,
        reason: String(f.reason ?? ''),
      },
    ];
  });
}

/**
 * Someone's profile (name and username) by id, for showing who wrote, reported or acted. Staff
 * may read anyone's profile in their organisation; answers are cached for a few minutes.
 */
export function usePerson(userId: string | null) {
  const client = useHearthClient();
  return useQuery({
    queryKey: ['hearth', 'identity.profile.get', userId],
    queryFn: () => client.identity.profile.get.query({ userId: userId! }),
    enabled: userId !== null,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Safeguarding leads: the organisation's open and acknowledged cases, nearest deadline first. */
export function useCases(options: { enabled?: boolean } = {}) {
  const client = useHearthClient();
  return useQuery({
    queryKey: [...casesKey, 'list'],
    queryFn: () => client.safeguarding.cases.list.query(),
    refetchInterval: 30_000,
    enabled: options.enabled ?? true,
  });
}

/** One case with its whole timeline, for a lead or the case's assignee (each read is audited). */
export function useCase(caseId: string) {
  const client = useHearthClient();
  return useQuery({
    queryKey: caseKey(caseId),
    queryFn: () => client.safeguarding.cases.get.query({ caseId }),
    refetchInterval: 60_000,
  });
}

/**
 * A change to a case. Afterwards (and after a conflict) the case and the list are loaded again,
 * so the timeline shows what was recorded and the next change sends the new version.
 */
function useCaseChange<I extends { caseId: string }>(
  call: (client: ReturnType<typeof useHearthClient>, input: I) => Promise<CaseSummary>,
) {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: I) => call(client, input),
    onSettled: (_data, _error, input) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: caseKey(input.caseId) }),
        queryClient.invalidateQueries({ queryKey: [...casesKey, 'list'] }),
      ]),
  });
}

/** "I have seen this and I am on it": the case stops climbing the ladder. */
export function useAcknowledgeCase() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['acknowledge']) =>
    c.safeguarding.cases.acknowledge.mutate(input),
  );
}

/** A lead sets the severity and/or who looks after the case (`expectedVersion` required). */
export function useTriageCase() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['triage']) =>
    c.safeguarding.cases.triage.mutate(input),
  );
}

/** Moves the case to the next step of the ladder by hand (`expectedVersion` required). */
export function useEscalateCase() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['escalate']) =>
    c.safeguarding.cases.escalate.mutate(input),
  );
}

export function useAddCaseNote() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['addNote']) =>
    c.safeguarding.cases.addNote.mutate(input),
  );
}

/** A decision to share information, or not to, with its reason. */
export function useRecordSharing() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['recordSharing']) =>
    c.safeguarding.cases.recordSharing.mutate(input),
  );
}

/** Whether the young person was told (and how), or why not — needed before a referral. */
export function useRecordToldYoungPerson() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['recordToldYoungPerson']) =>
    c.safeguarding.cases.recordToldYoungPerson.mutate(input),
  );
}

export function useRecordReferral() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['recordReferral']) =>
    c.safeguarding.cases.recordReferral.mutate(input),
  );
}

/** Closes the case with its outcome (`expectedVersion` required); notes can still be added. */
export function useCloseCase() {
  return useCaseChange((c, input: SafeguardingInputs['cases']['close']) =>
    c.safeguarding.cases.close.mutate(input),
  );
}
