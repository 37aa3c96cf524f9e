import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { type HearthDb, migrationsFolder } from './database.js';
import { createPgliteDb } from './pglite.js';
import { createPostgresDb } from './postgres.js';

/**
 * A fresh, migrated database for one test file. On PostgreSQL it is cloned from a migrated
 * template, and the application connects as a login role that is only a member of
 * `hearth_app`, as a production deployment should.
 */
export interface TestDatabase {
  readonly db: HearthDb;
  readonly driver: 'postgres' | 'pglite';
  /** Set on PostgreSQL: a connection as the owner of the schema, for checks tests make. */
  readonly ownerUrl?: string;
  /** Set on PostgreSQL: the application's own connection string. */
  readonly appUrl?: string;
  drop(): Promise<void>;
}

/**
 * The PostgreSQL server tests use: `TEST_DATABASE_URL`, else `DATABASE_URL`, else none (PGlite).
 * Tests never touch the database the URL names: they create (and drop) their own databases
 * named `hearth_t_*` and `hearth_template_*` on that server, so the role needs CREATEDB and
 * CREATEROLE. Two runs against one server at the same time each set their own
 * `HEARTH_TEST_DB_NAMESPACE` (letters and digits): their databases are then named
 * `hearth_n<namespace>_*`, and neither run drops the other's at start.
 */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export const TEST_APP_LOGIN = 'hearth_app_test';
const PREFIX = testDatabasePrefix(process.env.HEARTH_TEST_DB_NAMESPACE);

function testDatabasePrefix(namespace: string | undefined): string {
  if (!namespace) return 'hearth_t_';
  if (!/^[a-z0-9]{1,20}$/.test(namespace)) {
    throw new Error('HEARTH_TEST_DB_NAMESPACE must be 1 to 20 lower-case letters or digits');
  }
  return `hearth_n${namespace}_`;
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder).sort()) {
    if (file.endsWith('.sql')) hash.update(readFileSync(join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

function withDatabase(url: string, database: string, user?: string, password?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = password ?? '';
  }
  return u.toString();
}

/** Drops the databases earlier test runs left behind. Call once before a run. */
export async function dropLeftoverTestDatabases(url = testDatabaseUrl()): Promise<number> {
  if (!url) return 0;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${PREFIX.replaceAll('_', '\\_')}%`}`;
    for (const { datname } of rows) {
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
    return rows.length;
  } finally {
    await admin.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  if (!url) {
    const db = await createPgliteDb();
    await db.migrate();
    return { db, driver: 'pglite', drop: () => db.close() };
  }
  const template = `hearth_template_${migrationsHash()}`;
  const name = `${PREFIX}${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // CREATE DATABASE cannot run in a transaction, so a session lock on the single connection
    // keeps parallel test workers from building the template twice.
    await admin`select pg_advisory_lock(hashtext('hearth-test-template'))`;
    const [exists] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!exists) {
      const building = `${template}_build`;
      await admin.unsafe(`drop database if exists "${building}" with (force)`);
      await admin.unsafe(`create database "${building}"`);
      const owner = createPostgresDb({ url: withDatabase(url, building), maxConnections: 1 });
      await owner.migrate();
      await owner.close();
      await admin.unsafe(`alter database "${building}" rename to "${template}"`);
    }
    const [role] = await admin`select 1 from pg_roles where rolname = ${TEST_APP_LOGIN}`;
    if (!role) {
      await admin.unsafe(
        `create role ${TEST_APP_LOGIN} login password '${TEST_APP_LOGIN}' nosuperuser nobypassrls in role hearth_app`,
      );
    }
    await admin.unsafe(`create database "${name}" template "${template}"`);
    await admin`select pg_advisory_unlock(hashtext('hearth-test-template'))`;
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(url, name);
  const appUrl = withDatabase(url, name, TEST_APP_LOGIN, TEST_APP_LOGIN);
  const db = createPostgresDb({ url: appUrl, migrationUrl: ownerUrl, maxConnections: 10 });
  return {
    db,
    driver: 'postgres',
    ownerUrl,
    appUrl,
    async drop() {
      await db.close();
      const cleanup = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
