import { riskCategories, riskSeverities, safeText } from '@hearth/core';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc.js';
import { acknowledgeCase, concernStatus, getCase, listCases, raiseConcern } from './cases.js';

const caseId = z.object({ caseId: z.uuid('Not a valid case id') });

export const safeguardingRouter = router({
  concerns: router({
    /** Any member of staff or mentor raises a concern; it opens a case at the first step. */
    raise: authedProcedure
      .meta({ action: 'safeguarding.concerns.raise' })
      .input(
        z.object({
          /** The person the concern is about. */
          subjectUserId: z.uuid('Not a valid user id'),
          category: z.enum(riskCategories),
          severity: z.enum(riskSeverities),
          note: safeText({ max: 5000, multiline: true }),
        }),
      )
      .mutation(({ ctx, input }) => raiseConcern(ctx, input)),
    /** Whoever raised a concern follows its progress, without its notes. */
    status: authedProcedure
      .meta({ action: 'safeguarding.concerns.status' })
      .input(caseId)
      .query(({ ctx, input }) => concernStatus(ctx, input)),
  }),
  cases: router({
    list: authedProcedure
      .meta({ action: 'safeguarding.cases.list' })
      .query(({ ctx }) => listCases(ctx)),
    get: authedProcedure
      .meta({ action: 'safeguarding.cases.get' })
      .input(caseId)
      .query(({ ctx, input }) => getCase(ctx, input)),
    acknowledge: authedProcedure
      .meta({ action: 'safeguarding.cases.acknowledge' })
      .input(caseId)
      .mutation(({ ctx, input }) => acknowledgeCase(ctx, input)),
  }),
});
