import { randomUUID } from 'node:crypto';
import { type Actor, staffRoles } from '@hearth/core';
import { type Tx, users } from '@hearth/db';
import { and, eq } from 'drizzle-orm';
import type { AuthedContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { type ContentKind, screenText, type WriterAnswer } from '../safeguarding/content.js';

/** The content kind of a person's "about me" text, as moderation and safeguarding name it. */
export const PROFILE_ABOUT = 'identity.profile.about';

const staff: ReadonlySet<string> = new Set(staffRoles);
const isStaff = (actor: Actor) => actor.roles.some((role) => staff.has(role));

/**
 * Who may see someone's profile: they themselves and staff. (Members seeing the mentors they
 * may choose comes with mentoring.)
 */
function maySee(actor: Actor, userId: string): boolean {
  return actor.userId === userId || isStaff(actor);
}

export const profileAboutContent: ContentKind = {
  async load(tx, tenantId, contentId) {
    const [row] = await tx
      .select({ authorId: users.id, text: users.about })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.aboutId, contentId)));
    return row?.text == null ? null : { authorId: row.authorId, text: row.text };
  },
  async setVisibility(tx, tenantId, contentId, visibility) {
    await tx
      .update(users)
      .set({ aboutState: visibility })
      .where(and(eq(users.tenantId, tenantId), eq(users.aboutId, contentId)));
  },
  async canSee(tx, tenantId, contentId, actor) {
    const [row] = await tx
      .select({ userId: users.id, state: users.aboutState })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.aboutId, contentId)));
    if (!row || !maySee(actor, row.userId)) return false;
    return row.state === 'visible' || row.userId === actor.userId;
  },
};

export interface Profile {
  userId: string;
  username: string;
  displayName: string | null;
  /** Null when there is none, or while a moderator has it (except for its writer). */
  about: string | null;
  /** For the writer only: whether others can see `about` now. */
  aboutState: 'visible' | 'held' | 'removed' | null;
  /** The id of this version of `about`, for reporting it. */
  aboutId: string | null;
}

async function loadProfile(tx: Tx, tenantId: string, userId: string) {
  const [row] = await tx
    .select({
      userId: users.id,
      username: users.username,
      displayName: users.displayName,
      about: users.about,
      aboutId: users.aboutId,
      aboutState: users.aboutState,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return row;
}

/** A person's profile as the asker may see it; someone they may not see is "not found". */
export async function getProfile(ctx: AuthedContext, input: { userId: string }): Promise<Profile> {
  const row = await loadProfile(ctx.tx, ctx.tenant.id, input.userId);
  if (!row || !maySee(ctx.actor, row.userId)) throw notFound('Person');
  const own = row.userId === ctx.actor.userId;
  const shown = own || row.aboutState === 'visible';
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    about: shown ? row.about : null,
    aboutState: own ? row.aboutState : null,
    aboutId: shown ? row.aboutId : null,
  };
}

/**
 * Changes the signed-in person's "about me". The text is screened first: it may be shown at
 * once, held for a moderator or refused, and the answer says which (with helplines when the
 * words show the writer may be at risk). An empty text clears it.
 */
export async function updateAbout(
  ctx: AuthedContext,
  input: { about: string },
): Promise<WriterAnswer & { aboutId: string | null }> {
  const { tx, tenant, actor } = ctx;
  const where = and(eq(users.tenantId, tenant.id), eq(users.id, actor.userId));
  if (input.about === '') {
    await tx.update(users).set({ about: null, aboutId: null, aboutState: null }).where(where);
    return { status: 'published', explanation: null, helplines: [], aboutId: null };
  }
  const aboutId = randomUUID();
  const screened = await screenText(ctx, {
    contentKind: PROFILE_ABOUT,
    contentId: aboutId,
    text: input.about,
    authorId: actor.userId,
  });
  if (screened.visibility === null) return { ...screened.answer, aboutId: null };
  await tx
    .update(users)
    .set({ about: input.about, aboutId, aboutState: screened.visibility })
    .where(where);
  return { ...screened.answer, aboutId };
}
