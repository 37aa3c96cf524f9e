import { safeText } from '@hearth/core';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc.js';
import {
  createGroup,
  listConversations,
  listMessages,
  markRead,
  openDirect,
  overseeConversation,
  readReceipts,
  sendMessage,
  streamMessages,
} from './service.js';

const conversationId = z.uuid('Not a valid conversation id');
const seq = z
  .number({ error: 'Must be a message number' })
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);
const page = {
  /** The `seq` of the oldest message of the previous page. */
  before: seq.optional(),
  limit: z.number().int().min(1).max(100).default(50),
};

export const messagingRouter = router({
  conversations: router({
    list: authedProcedure
      .meta({ action: 'messaging.conversations.list' })
      .query(({ ctx }) => listConversations(ctx)),
    /** The one-to-one conversation of an active match the caller is in. */
    openDirect: authedProcedure
      .meta({ action: 'messaging.conversations.openDirect' })
      .input(z.object({ relationshipId: z.uuid('Not a valid relationship id') }))
      .mutation(({ ctx, input }) => openDirect(ctx, input)),
    /** A support group, moderated by whoever creates it. */
    createGroup: authedProcedure
      .meta({ action: 'messaging.conversations.createGroup' })
      .input(
        z.object({
          title: safeText({ max: 80 }),
          memberIds: z.array(z.uuid('Not a valid user id')).max(100),
        }),
      )
      .mutation(({ ctx, input }) => createGroup(ctx, input)),
    /** How far each person has read. */
    receipts: authedProcedure
      .meta({ action: 'messaging.conversations.receipts' })
      .input(z.object({ conversationId }))
      .query(({ ctx, input }) => readReceipts(ctx, input)),
    /** A safeguarding lead or the mentor's supervisor reads a conversation; audited. */
    oversee: authedProcedure
      .meta({ action: 'messaging.conversations.oversee' })
      .input(z.object({ conversationId, ...page }))
      .query(({ ctx, input }) => overseeConversation(ctx, input)),
  }),
  messages: router({
    send: authedProcedure
      .meta({ action: 'messaging.messages.send' })
      .input(z.object({ conversationId, body: safeText({ max: 4000, multiline: true }) }))
      .mutation(({ ctx, input }) => sendMessage(ctx, input)),
    list: authedProcedure
      .meta({ action: 'messaging.messages.list' })
      .input(z.object({ conversationId, ...page }))
      .query(({ ctx, input }) => listMessages(ctx, input)),
    markRead: authedProcedure
      .meta({ action: 'messaging.messages.markRead' })
      .input(z.object({ conversationId, seq: seq.min(1, { error: 'Must be a message number' }) }))
      .mutation(({ ctx, input }) => markRead(ctx, input)),
    /**
     * Live messages as server-sent events, each with its `seq` as event id: a client that
     * reconnects resumes exactly after the last one it received.
     */
    live: authedProcedure
      .meta({ action: 'messaging.messages.live' })
      .input(
        z.object({
          conversationId,
          lastEventId: z
            .string()
            .regex(/^\d{1,15}$/, 'Not an event id')
            .nullish(),
        }),
      )
      // Checked in the request's transaction; the stream then reads in transactions of its own.
      .subscription(async ({ ctx, input, signal }) => {
        const stream = await streamMessages(ctx, input, signal);
        return (async function* () {
          for await (const item of stream) yield tracked(item.id, item.value);
        })();
      }),
  }),
});
