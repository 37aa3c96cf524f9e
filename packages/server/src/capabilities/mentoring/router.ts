import {
  ageBandSchema,
  mentorProfileSchema,
  mentorRequestSchema,
  mentorVettingSchema,
  relationshipEventSchema,
  relationshipStatuses,
  safeText,
} from '@hearth/core';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc.js';
import {
  approveMatch,
  declineMatch,
  matchCandidates,
  proposeMentors,
  requestMentor,
} from './matching.js';
import { getMentorProfile, listMentors, updateMentorProfile, updateVetting } from './profiles.js';
import {
  getRelationship,
  listRelationships,
  type TransitionEvent,
  transitionRelationshipService,
} from './relationships.js';
import { listSupervision, recordSupervision } from './supervision.js';

const mentorId = z.uuid('Not a valid mentor id');
const relationshipId = z.uuid('Not a valid relationship id');
const expectedVersion = z
  .number({ error: 'Give the version of the relationship you saw' })
  .int()
  .min(1);

/** What a member asks for; the age band is never taken from the request (strict: refused). */
const needs = mentorRequestSchema.omit({ ageBand: true });

export const mentoringRouter = router({
  profile: router({
    /** A mentor's profile, vetting and standing; leave out `mentorId` for your own. */
    get: authedProcedure
      .meta({ action: 'mentoring.profile.get' })
      .input(z.strictObject({ mentorId: mentorId.optional() }).default({}))
      .query(({ ctx, input }) => getMentorProfile(ctx, input)),
    /** A mentor says what they offer. Vetting fields are refused: they are not the mentor's. */
    update: authedProcedure
      .meta({ action: 'mentoring.profile.update' })
      .input(
        mentorProfileSchema.pick({
          skills: true,
          interests: true,
          languages: true,
          availability: true,
          capacity: true,
        }),
      )
      .mutation(({ ctx, input }) => updateMentorProfile(ctx, input)),
  }),
  vetting: router({
    /** An org admin records a mentor's checks, training, supervisor and cleared age bands. */
    update: authedProcedure
      .meta({ action: 'mentoring.vetting.update' })
      .input(
        z.strictObject({
          mentorId,
          /** The vetting version you saw; 0 when none has been recorded yet. */
          expectedVersion: z
            .number({ error: 'Give the version of the vetting you saw (0 if none is recorded)' })
            .int()
            .min(0),
          backgroundCheck: mentorVettingSchema.shape.backgroundCheck,
          /** Null while the mentor has not completed training. */
          trainingCompletedOn: z.iso
            .date({ error: 'Use a date like 2026-03-29, or null if training is not completed' })
            .nullable(),
          trainingValidForMonths: mentorVettingSchema.shape.trainingValidForMonths,
          /** The senior mentor who supervises them; leave out for none. */
          supervisorId: z.uuid('Not a valid supervisor id').optional(),
          clearedAgeBands: z.array(ageBandSchema, { error: 'Age bands must be a list' }),
        }),
      )
      .mutation(({ ctx, input }) => updateVetting(ctx, input)),
  }),
  mentors: router({
    /** Mentors with standing and caseload: all for org admins, supervisees for senior mentors. */
    list: authedProcedure
      .meta({ action: 'mentoring.mentors.list' })
      .input(
        z
          .object({
            /** Only mentors whose vetting stops them being matched. */
            flaggedOnly: z.boolean({ error: 'Must be true or false' }).default(false),
          })
          .default({ flaggedOnly: false }),
      )
      .query(({ ctx, input }) => listMentors(ctx, input)),
  }),
  match: router({
    /** Where members choose: the best mentors for what the member asks, with the reasons. */
    propose: authedProcedure
      .meta({ action: 'mentoring.match.propose' })
      .input(needs)
      .query(({ ctx, input }) => proposeMentors(ctx, input)),
    /** A member asks for a mentor (naming one from the proposals where members choose). */
    request: authedProcedure
      .meta({ action: 'mentoring.match.request' })
      .input(
        needs.extend({
          mentorId: mentorId.optional(),
          /** In the member's own words; moderated before anyone else reads it. */
          helpText: safeText({ max: 1000, multiline: true }).optional(),
        }),
      )
      .mutation(({ ctx, input }) => requestMentor(ctx, input)),
    /** For coordinators: every mentor for a waiting request, ranked or left out, with reasons. */
    candidates: authedProcedure
      .meta({ action: 'mentoring.match.candidates' })
      .input(z.object({ relationshipId }))
      .query(({ ctx, input }) => matchCandidates(ctx, input)),
    approve: authedProcedure
      .meta({ action: 'mentoring.match.approve' })
      .input(
        z.object({
          relationshipId,
          expectedVersion,
          /** The mentor a coordinator picks, when the member did not choose one. */
          mentorId: mentorId.optional(),
        }),
      )
      .mutation(({ ctx, input }) => approveMatch(ctx, input)),
    decline: authedProcedure
      .meta({ action: 'mentoring.match.decline' })
      .input(
        z.object({
          relationshipId,
          expectedVersion,
          /** Why, in words for the member. */
          reason: safeText({ max: 500, multiline: true }).optional(),
        }),
      )
      .mutation(({ ctx, input }) => declineMatch(ctx, input)),
  }),
  relationships: router({
    list: authedProcedure
      .meta({ action: 'mentoring.relationships.list' })
      .input(
        z
          .object({
            status: z
              .enum(relationshipStatuses, {
                error: `Use one of ${relationshipStatuses.join(', ')}`,
              })
              .optional(),
          })
          .default({}),
      )
      .query(({ ctx, input }) => listRelationships(ctx, input)),
    get: authedProcedure
      .meta({ action: 'mentoring.relationships.get' })
      .input(z.object({ relationshipId }))
      .query(({ ctx, input }) => getRelationship(ctx, input)),
    /** Pause, resume or close (with a reason; a concern names its safeguarding case). */
    transition: authedProcedure
      .meta({ action: 'mentoring.relationships.transition' })
      .input(
        z.object({
          relationshipId,
          expectedVersion,
          event: relationshipEventSchema.refine(
            (event) => event.type !== 'accept' && event.type !== 'decline',
            {
              error: 'Accept or decline a request with mentoring.match.approve or decline',
              path: ['type'],
            },
          ),
        }),
      )
      .mutation(({ ctx, input }) =>
        transitionRelationshipService(ctx, { ...input, event: input.event as TransitionEvent }),
      ),
  }),
  supervision: router({
    record: authedProcedure
      .meta({ action: 'mentoring.supervision.record' })
      .input(
        z.object({
          mentorId,
          heldOn: z.iso.date({ error: 'Use a date like 2026-03-29' }),
          durationMinutes: z
            .number({ error: 'Must be a whole number of minutes from 1 to 600' })
            .int({ error: 'Must be a whole number of minutes from 1 to 600' })
            .min(1, { error: 'Must be a whole number of minutes from 1 to 600' })
            .max(600, { error: 'Must be a whole number of minutes from 1 to 600' })
            .optional(),
          /** Stored encrypted; read only by the mentor's supervisor. */
          notes: safeText({ max: 5000, multiline: true }),
        }),
      )
      .mutation(({ ctx, input }) => recordSupervision(ctx, input)),
    list: authedProcedure
      .meta({ action: 'mentoring.supervision.list' })
      .input(z.object({ mentorId }))
      .query(({ ctx, input }) => listSupervision(ctx, input)),
  }),
});
