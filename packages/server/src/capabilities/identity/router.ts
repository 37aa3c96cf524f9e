import {
  ageBandSchema,
  displayNameSchema,
  emailSchema,
  passwordSchema,
  safeText,
  staffRoles,
  usernameSchema,
} from '@hearth/core';
import { z } from 'zod';
import { authedProcedure, router, tenantProcedure } from '../../trpc.js';
import { getProfile, updateAbout } from './profile.js';
import {
  acceptInvitation,
  disableUser,
  getMe,
  type InvitableRole,
  inviteStaff,
  listInvitations,
  listUsers,
  revokeInvitation,
  signIn,
  signOut,
  signUpMember,
} from './service.js';

const invitableRoles = staffRoles.filter((r): r is InvitableRole => r !== 'platform_admin');

export const identityRouter = router({
  signUp: tenantProcedure
    .meta({ action: 'identity.signUp' })
    .input(z.object({ username: usernameSchema, password: passwordSchema, ageBand: ageBandSchema }))
    .mutation(({ ctx, input }) => signUpMember(ctx, input)),

  signIn: tenantProcedure
    .meta({ action: 'identity.signIn' })
    // Deliberately loose: sign-in must not reveal the rules an existing account was made under.
    .input(
      z.object({
        username: z
          .string()
          .min(1, 'Enter your username')
          .max(200)
          // No username contains NUL, and PostgreSQL text cannot hold it: without this the
          // rate-limit lookup fails with a 500.
          .refine((value) => !value.includes('\u0000'), 'Enter your username'),
        password: z.string().min(1, 'Enter your password').max(1024),
      }),
    )
    .mutation(({ ctx, input }) => signIn(ctx, input)),

  signOut: authedProcedure.meta({ action: 'identity.signOut' }).mutation(async ({ ctx }) => {
    await signOut(ctx);
    return { signedOut: true as const };
  }),

  /** The signed-in person, or null for an anonymous visitor. */
  me: tenantProcedure.meta({ action: 'identity.me' }).query(({ ctx }) => getMe(ctx)),

  profile: router({
    /** Someone's profile, as the asker may see it. */
    get: authedProcedure
      .meta({ action: 'identity.profile.get' })
      .input(z.object({ userId: z.uuid('Not a valid user id') }))
      .query(({ ctx, input }) => getProfile(ctx, input)),
    /** Changes the signed-in person's "about me", after moderation; empty clears it. */
    updateAbout: authedProcedure
      .meta({ action: 'identity.profile.updateAbout' })
      .input(z.object({ about: safeText({ min: 0, max: 500, multiline: true }) }))
      .mutation(({ ctx, input }) => updateAbout(ctx, input)),
  }),

  users: router({
    list: authedProcedure
      .meta({ action: 'identity.users.list' })
      .input(
        z
          .object({
            after: usernameSchema.optional(),
            limit: z.number().int().min(1).max(100).default(50),
          })
          .default({ limit: 50 }),
      )
      .query(({ ctx, input }) => listUsers(ctx, input)),
    disable: authedProcedure
      .meta({ action: 'identity.users.disable' })
      .input(z.object({ userId: z.uuid('Not a valid user id') }))
      .mutation(({ ctx, input }) => disableUser(ctx, input)),
  }),

  invitations: router({
    create: authedProcedure
      .meta({ action: 'identity.invitations.create' })
      .input(z.object({ email: emailSchema, role: z.enum(invitableRoles) }))
      .mutation(({ ctx, input }) => inviteStaff(ctx, input)),
    list: authedProcedure
      .meta({ action: 'identity.invitations.list' })
      .query(({ ctx }) => listInvitations(ctx)),
    revoke: authedProcedure
      .meta({ action: 'identity.invitations.revoke' })
      .input(z.object({ invitationId: z.uuid('Not a valid invitation id') }))
      .mutation(({ ctx, input }) => revokeInvitation(ctx, input)),
    accept: tenantProcedure
      .meta({ action: 'identity.invitations.accept' })
      .input(
        z.object({
          token: z.string().min(1).max(200),
          username: usernameSchema,
          password: passwordSchema,
          displayName: displayNameSchema,
        }),
      )
      .mutation(({ ctx, input }) => acceptInvitation(ctx, input)),
  }),
});
