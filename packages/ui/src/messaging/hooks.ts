import type { HearthOutputs } from '@hearth/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useReducer, useRef, useState } from 'react';
import { useHearthClient } from '../context.js';

export type Message = HearthOutputs['messaging']['messages']['list'][number];
export type ConversationSummary = HearthOutputs['messaging']['conversations']['list'][number];
export type LiveState = 'connecting' | 'live' | 'reconnecting';

export const conversationsKey = ['hearth', 'messaging.conversations.list'] as const;

/** The signed-in person's conversations, with unread counts. */
export function useConversations() {
  const client = useHearthClient();
  return useQuery({
    queryKey: conversationsKey,
    queryFn: () => client.messaging.conversations.list.query(),
    refetchInterval: 20_000,
  });
}

/** Opens (or finds) the one-to-one conversation of an active match. */
export function useOpenDirect() {
  const client = useHearthClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (relationshipId: string) =>
      client.messaging.conversations.openDirect.mutate({ relationshipId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: conversationsKey }),
  });
}

type Action = { type: 'add'; messages: Message[] } | { type: 'reset' };

/** Messages by `seq`, oldest first; a message seen twice (history and live) is kept once. */
function messagesReducer(state: Message[], action: Action): Message[] {
  if (action.type === 'reset') return [];
  const bySeq = new Map(state.map((m) => [m.seq, m]));
  for (const m of action.messages) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * A conversation's recent history, then every new message live. The live stream resumes after
 * the last message received whenever the connection drops (each event's id is its `seq`), so
 * nothing is missed and nothing shown twice.
 */
export function useLiveConversation(conversationId: string) {
  const client = useHearthClient();
  const [messages, dispatch] = useReducer(messagesReducer, []);
  const [state, setState] = useState<LiveState>('connecting');
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const loaded = useRef(false);

  useEffect(() => {
    let stopped = false;
    let unsubscribe: (() => void) | undefined;
    dispatch({ type: 'reset' });
    setState('connecting');
    loaded.current = false;
    client.messaging.messages.list
      .query({ conversationId, limit: 50 })
      .then((page) => {
        if (stopped) return;
        loaded.current = true;
        dispatch({ type: 'add', messages: page });
        setHasOlder(page.length === 50);
        const last = page[0]?.seq ?? 0;
        const subscription = client.messaging.messages.live.subscribe(
          { conversationId, lastEventId: String(last) },
          {
            onStarted: () => setState('live'),
            onData: (event) => {
              setState('live');
              dispatch({ type: 'add', messages: [event.data] });
            },
            onConnectionStateChange: (change) => {
              if (change.state === 'connecting') setState('reconnecting');
              if (change.state === 'pending') setState('live');
            },
            onError: (err) => setError(err),
          },
        );
        unsubscribe = () => subscription.unsubscribe();
      })
      .catch((err: unknown) => {
        if (!stopped) setError(err);
      });
    return () => {
      stopped = true;
      unsubscribe?.();
    };
  }, [client, conversationId]);

  const loadOlder = async () => {
    const oldest = messages[0]?.seq;
    if (oldest === undefined) return;
    const page = await client.messaging.messages.list.query({
      conversationId,
      before: oldest,
      limit: 50,
    });
    dispatch({ type: 'add', messages: page });
    setHasOlder(page.length === 50);
  };
  /** Adds the writer's own message from the send's answer, before the live event arrives. */
  const addOwn = (message: Message) => dispatch({ type: 'add', messages: [message] });

  return { messages, state, error, hasOlder, loadOlder, addOwn };
}
