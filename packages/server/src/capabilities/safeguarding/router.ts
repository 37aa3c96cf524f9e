import { riskCategories, riskSeverities, safeText } from '@hearth/core';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc.js';
import {
  acknowledgeCase,
  addCaseNote,
  caseOutcomes,
  closeCase,
  concernStatus,
  escalateCase,
  getCase,
  listCases,
  raiseConcern,
  recordReferral,
  recordSharing,
  recordToldYoungPerson,
  referralAgencies,
  sharingRecipients,
  toldMethods,
  triageCase,
} from './cases.js';
import {
  actOnItem,
  createReport,
  getQueueItem,
  listQueue,
  queueActions,
  reportReasons,
} from './queue.js';

const caseId = z.uuid('Not a valid case id');
const itemId = z.uuid('Not a valid item id');
/** Case notes and reasons: stored encrypted, read only by those who may read the case. */
const note = safeText({ max: 5000, multiline: true });
const expectedVersion = z.number({ error: 'Give the version of the case you saw' }).int().min(1);
const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `Choose one of ${values.join(', ')}` });

export const safeguardingRouter = router({
  concerns: router({
    /** Any member of staff or mentor raises a concern; it opens a case at the first step. */
    raise: authedProcedure
      .meta({ action: 'safeguarding.concerns.raise' })
      .input(
        z.object({
          /** The person the concern is about. */
          subjectUserId: z.uuid('Not a valid user id'),
          category: choice(riskCategories),
          severity: choice(riskSeverities),
          note,
        }),
      )
      .mutation(({ ctx, input }) => raiseConcern(ctx, input)),
    /** Whoever raised a concern follows its progress, without its notes. */
    status: authedProcedure
      .meta({ action: 'safeguarding.concerns.status' })
      .input(z.object({ caseId }))
      .query(({ ctx, input }) => concernStatus(ctx, input)),
  }),
  cases: router({
    list: authedProcedure
      .meta({ action: 'safeguarding.cases.list' })
      .query(({ ctx }) => listCases(ctx)),
    get: authedProcedure
      .meta({ action: 'safeguarding.cases.get' })
      .input(z.object({ caseId }))
      .query(({ ctx, input }) => getCase(ctx, input)),
    acknowledge: authedProcedure
      .meta({ action: 'safeguarding.cases.acknowledge' })
      .input(z.object({ caseId }))
      .mutation(({ ctx, input }) => acknowledgeCase(ctx, input)),
    addNote: authedProcedure
      .meta({ action: 'safeguarding.cases.addNote' })
      .input(z.object({ caseId, note }))
      .mutation(({ ctx, input }) => addCaseNote(ctx, input)),
    triage: authedProcedure
      .meta({ action: 'safeguarding.cases.triage' })
      .input(
        z
          .object({
            caseId,
            expectedVersion,
            severity: choice(riskSeverities).optional(),
            /** A member of staff or mentor to look after the case; null to unassign. */
            assigneeId: z.uuid('Not a valid user id').nullable().optional(),
            note: note.optional(),
          })
          .refine((i) => i.severity !== undefined || i.assigneeId !== undefined, {
            error: 'Choose a severity or an assignee',
            path: ['severity'],
          }),
      )
      .mutation(({ ctx, input }) => triageCase(ctx, input)),
    escalate: authedProcedure
      .meta({ action: 'safeguarding.cases.escalate' })
      .input(z.object({ caseId, expectedVersion, note }))
      .mutation(({ ctx, input }) => escalateCase(ctx, input)),
    recordSharing: authedProcedure
      .meta({ action: 'safeguarding.cases.recordSharing' })
      .input(
        z.object({
          caseId,
          shared: z.boolean({ error: 'Say whether information was shared' }),
          recipient: choice(sharingRecipients),
          /** Why it was, or was not, shared — including the lawful basis. */
          reason: note,
        }),
      )
      .mutation(({ ctx, input }) => recordSharing(ctx, input)),
    recordToldYoungPerson: authedProcedure
      .meta({ action: 'safeguarding.cases.recordToldYoungPerson' })
      .input(
        z
          .object({
            caseId,
            told: z.boolean({ error: 'Say whether they were told' }),
            how: choice(toldMethods).optional(),
            /** What they were told and how they responded — or why they were not told. */
            note,
          })
          .refine((i) => !i.told || i.how !== undefined, {
            error: 'Say how they were told',
            path: ['how'],
          })
          .refine((i) => i.told || i.how === undefined, {
            error: 'Leave this out when they were not told',
            path: ['how'],
          }),
      )
      .mutation(({ ctx, input }) => recordToldYoungPerson(ctx, input)),
    recordReferral: authedProcedure
      .meta({ action: 'safeguarding.cases.recordReferral' })
      .input(
        z.object({
          caseId,
          agency: choice(referralAgencies),
          /** The agency's reference for the referral, if it gave one. */
          reference: safeText({ max: 100 }).optional(),
          note,
        }),
      )
      .mutation(({ ctx, input }) => recordReferral(ctx, input)),
    close: authedProcedure
      .meta({ action: 'safeguarding.cases.close' })
      .input(z.object({ caseId, expectedVersion, outcome: choice(caseOutcomes), note }))
      .mutation(({ ctx, input }) => closeCase(ctx, input)),
  }),
  reports: router({
    /** Anyone signed in reports something they can see, or a person. */
    create: authedProcedure
      .meta({ action: 'safeguarding.reports.create' })
      .input(
        z.object({
          target: z.discriminatedUnion(
            'kind',
            [
              z.object({
                kind: z.literal('content'),
                contentKind: z
                  .string()
                  .max(100)
                  .regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/, 'Not a kind of content'),
                contentId: z.uuid('Not a valid content id'),
              }),
              z.object({ kind: z.literal('user'), userId: z.uuid('Not a valid user id') }),
            ],
            { error: 'Say whether you are reporting something written or a person' },
          ),
          reason: choice(reportReasons),
          /** What the reporter wants moderators to know; kept encrypted. */
          note: safeText({ max: 2000, multiline: true }).optional(),
        }),
      )
      .mutation(({ ctx, input }) => createReport(ctx, input)),
  }),
  moderation: router({
    list: authedProcedure
      .meta({ action: 'safeguarding.moderation.list' })
      .input(
        z
          .object({
            status: z.enum(['open', 'resolved']).default('open'),
            after: itemId.optional(),
            limit: z.number().int().min(1).max(100).default(50),
          })
          .default({ status: 'open', limit: 50 }),
      )
      .query(({ ctx, input }) => listQueue(ctx, input)),
    get: authedProcedure
      .meta({ action: 'safeguarding.moderation.get' })
      .input(z.object({ itemId }))
      .query(({ ctx, input }) => getQueueItem(ctx, input)),
    act: authedProcedure
      .meta({ action: 'safeguarding.moderation.act' })
      .input(
        z
          .object({
            itemId,
            action: choice(queueActions),
            /** Why, for the record. */
            reason: safeText({ max: 1000, multiline: true }),
            /** For a warning: what the author will read. */
            message: safeText({ max: 1000, multiline: true }).optional(),
            /** The item's version the moderator saw. */
            expectedVersion: z
              .number({ error: 'Give the version of the item you saw' })
              .int()
              .min(1),
          })
          .refine((i) => i.action !== 'warn' || i.message !== undefined, {
            error: 'Write the message the author will see',
            path: ['message'],
          })
          .refine((i) => i.action === 'warn' || i.message === undefined, {
            error: 'Only a warning has a message for the author',
            path: ['message'],
          }),
      )
      .mutation(({ ctx, input }) => actOnItem(ctx, input)),
  }),
});
