import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, tenantId } from './columns.js';
import { tenants } from './tenancy.js';

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * Members have a username and an age band and no real name; staff are invited by e-mail and
 * hold one or more staff roles.
 */
export const users = pgTable(
  'users',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind', { enum: ['member', 'staff'] }).notNull(),
    username: text('username').notNull(),
    email: text('email'),
    displayName: text('display_name'),
    ageBand: text('age_band'),
    roles: text('roles').array().notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    disabledAt: at('disabled_at'),
    disabledBy: uuid('disabled_by'),
    /**
     * What the person says about themselves on their profile. Moderated like everything people
     * write: others see it only while `about_state` is `visible`.
     */
    about: text('about'),
    /** Identifies this version of `about` to moderation and safeguarding; new on each change. */
    aboutId: uuid('about_id'),
    aboutState: text('about_state', { enum: ['visible', 'held', 'removed'] }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    unique('users_tenant_username_key').on(t.tenantId, t.username),
    unique('users_tenant_email_key').on(t.tenantId, t.email),
    foreignKey({
      columns: [t.tenantId, t.disabledBy],
      foreignColumns: [t.tenantId, t.id],
    }),
    check('users_member_has_age_band', sql`${t.kind} <> 'member' or ${t.ageBand} is not null`),
    check('users_has_role', sql`cardinality(${t.roles}) > 0`),
    check(
      'users_about_has_id_and_state',
      sql`(${t.about} is null) = (${t.aboutId} is null) and (${t.about} is null) = (${t.aboutState} is null)`,
    ),
    unique('users_tenant_about_id_key').on(t.tenantId, t.aboutId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    /** Null when the platform invited the first admin of a new tenant. */
    invitedBy: uuid('invited_by'),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    acceptedAt: at('accepted_at'),
    acceptedUserId: uuid('accepted_user_id'),
    revokedAt: at('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.invitedBy], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({
      columns: [t.tenantId, t.acceptedUserId],
      foreignColumns: [users.tenantId, users.id],
    }),
    unique('invitations_tenant_token_key').on(t.tenantId, t.tokenHash),
  ],
);

/** Only the SHA-256 of a session token is stored; the token itself lives in the cookie. */
export const sessions = pgTable(
  'sessions',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    userId: uuid('user_id').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    createdAt: createdAt(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    idleExpiresAt: at('idle_expires_at').notNull(),
    absoluteExpiresAt: at('absolute_expires_at').notNull(),
    revokedAt: at('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }),
    unique('sessions_tenant_token_key').on(t.tenantId, t.tokenHash),
    index('sessions_tenant_user_idx').on(t.tenantId, t.userId),
  ],
);

/**
 * Failed sign-ins, counted per account and per network address to slow down guessing.
 * Addresses are stored as a keyed hash, never in the clear.
 */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    scope: text('scope', { enum: ['account', 'address'] }).notNull(),
    key: text('key').notNull(),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('sign_in_failures_lookup_idx').on(t.tenantId, t.scope, t.key, t.at),
  ],
);
