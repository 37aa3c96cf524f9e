import { sql } from 'drizzle-orm';
import { OUTBOX_NOTIFY_CHANNEL } from '../../outbox/enqueue.js';
import { REALTIME_CHANNEL } from '../../realtime/hub.js';
import { compileStatement as compile } from '../../statement.js';

/*
 * The statements behind sending and reading messages, the busiest calls of the platform. Each
 * is turned into SQL text once, when this module loads, instead of by drizzle's query builder on
 * every call (a tenth of the CPU of a request on the messaging benchmark); postgres.js then
 * prepares each text once per connection. A send is two statements (its checks, then
 * everything it writes) and a page of history one, instead of twelve and two round trips.
 *
 * Rows come back as the driver returns them, without drizzle's column mapping: `bigint` may be
 * a string and `timestamptz` is text, so readers convert with `Number()` and `new Date()`.
 */

const p = (name: string) => sql.placeholder(name);

/** A message row as the driver returns it. */
export interface MessageRecord {
  id: string;
  conversation_id: string;
  seq: string | number;
  author_id: string;
  body: string;
  state: 'visible' | 'held' | 'removed';
  created_at: string | Date;
}

/** The reader's membership of a live conversation: `tenantId`, `conversationId`, `userId`. */
export const selectMembership = compile<{
  kind: 'direct' | 'group';
  relationship_id: string | null;
  title: string | null;
  role: 'participant' | 'moderator';
  read_seq: string | number;
}>(sql`
  select c.kind, c.relationship_id, c.title, m.role, m.read_seq
  from conversations c
  join conversation_members m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
    and m.user_id = ${p('userId')}::uuid and m.left_at is null
  where c.tenant_id = ${p('tenantId')}::uuid and c.id = ${p('conversationId')}::uuid`);

/**
 * Everything a send checks, in one read: the writer's membership, the status of a one-to-one
 * conversation's relationship, and the writer's kind and age band for screening.
 */
export const selectSendChecks = compile<{
  kind: 'direct' | 'group';
  relationship_status: string | null;
  writer_kind: string | null;
  writer_age_band: string | null;
}>(sql`
  select c.kind, r.status as relationship_status,
    u.kind as writer_kind, u.age_band as writer_age_band
  from conversations c
  join conversation_members m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
    and m.user_id = ${p('userId')}::uuid and m.left_at is null
  left join mentoring_relationships r on r.tenant_id = c.tenant_id and r.id = c.relationship_id
  left join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
  where c.tenant_id = ${p('tenantId')}::uuid and c.id = ${p('conversationId')}::uuid`);

/**
 * Everything a send writes, in one statement: takes the conversation's next event number (its
 * row stays locked until commit), stores the message, moves the writer's read receipt to it,
 * wakes live followers at commit, and — for a visible message — adds one outbox row per other
 * member (a member's at `quietUntil`, staff's at `sentAt`), waking the dispatchers at commit.
 * Returns the message's `seq`.
 */
export const insertMessage = compile<{ seq: string | number }>(sql`
  with next as (
    update conversations set last_seq = last_seq + 1
    where tenant_id = ${p('tenantId')}::uuid and id = ${p('conversationId')}::uuid
    returning last_seq
  ), stored as (
    insert into messages (tenant_id, id, conversation_id, seq, author_id, body, state, created_at)
    select ${p('tenantId')}::uuid, ${p('messageId')}::uuid, ${p('conversationId')}::uuid,
      next.last_seq, ${p('authorId')}::uuid, ${p('body')}::text, ${p('state')}::text,
      ${p('sentAt')}::timestamptz
    from next
    returning seq, state
  ), receipt as (
    update conversation_members set read_seq = stored.seq
    from stored
    where conversation_members.tenant_id = ${p('tenantId')}::uuid
      and conversation_members.conversation_id = ${p('conversationId')}::uuid
      and conversation_members.user_id = ${p('authorId')}::uuid
  ), notified as (
    insert into outbox_events (tenant_id, id, topic, payload, available_at)
    select ${p('tenantId')}::uuid, gen_random_uuid(), ${p('topic')}::text,
      jsonb_build_object('messageId', ${p('messageId')}::text, 'userId', m.user_id),
      case when u.kind = 'member' then ${p('quietUntil')}::timestamptz
        else ${p('sentAt')}::timestamptz end
    from stored
    join conversation_members m on m.tenant_id = ${p('tenantId')}::uuid
      and m.conversation_id = ${p('conversationId')}::uuid
      and m.user_id <> ${p('authorId')}::uuid and m.left_at is null
    join users u on u.tenant_id = m.tenant_id and u.id = m.user_id
    where stored.state = 'visible'
    on conflict do nothing
    returning 1
  )
  select stored.seq, pg_notify(${REALTIME_CHANNEL}, ${p('realtimeKey')}::text),
    (select count(*) from (select pg_notify(${OUTBOX_NOTIFY_CHANNEL}, '') from notified) n)
      as notified
  from stored`);

/**
 * A page of a conversation's history, newest first, with the reader's membership checked in the
 * same statement: no row means the reader is not in the conversation; one row with a null `id`,
 * an empty page. `before` (null for the newest page) is the `seq` of the previous page's oldest.
 */
export const selectPage = compile<{ [K in keyof MessageRecord]: MessageRecord[K] | null }>(sql`
  select msg.id, msg.conversation_id, msg.seq, msg.author_id, msg.body,
    msg.state, msg.created_at
  from conversations c
  join conversation_members m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
    and m.user_id = ${p('readerId')}::uuid and m.left_at is null
  left join lateral (
    select id, conversation_id, seq, author_id, body, state, created_at
    from messages
    where messages.tenant_id = c.tenant_id and messages.conversation_id = c.id
      and (messages.state <> 'held' or messages.author_id = ${p('readerId')}::uuid)
      and messages.seq < coalesce(${p('before')}::bigint, 9223372036854775807)
    order by messages.seq desc
    limit ${p('limit')}::int
  ) msg on true
  where c.tenant_id = ${p('tenantId')}::uuid and c.id = ${p('conversationId')}::uuid
  order by msg.seq desc`);

/** Like {@link selectPage}, oldest first: what a live reader has not had yet, after `after`. */
export const selectAfter = compile<{ [K in keyof MessageRecord]: MessageRecord[K] | null }>(sql`
  select msg.id, msg.conversation_id, msg.seq, msg.author_id, msg.body,
    msg.state, msg.created_at
  from conversations c
  join conversation_members m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
    and m.user_id = ${p('readerId')}::uuid and m.left_at is null
  left join lateral (
    select id, conversation_id, seq, author_id, body, state, created_at
    from messages
    where messages.tenant_id = c.tenant_id and messages.conversation_id = c.id
      and (messages.state <> 'held' or messages.author_id = ${p('readerId')}::uuid)
      and messages.seq > ${p('after')}::bigint
    order by messages.seq
    limit ${p('limit')}::int
  ) msg on true
  where c.tenant_id = ${p('tenantId')}::uuid and c.id = ${p('conversationId')}::uuid
  order by msg.seq`);
