import { sql } from 'drizzle-orm';
import { test } from 'vitest';
import { createTestDatabase } from '@hearth/db/testing';
import { hearthRouter, listProcedureActions } from '@hearth/server';

test('explore', async () => {
  const t = await createTestDatabase();
  console.log(listProcedureActions(hearthRouter));
  const proc = (hearthRouter._def.procedures as any)['identity.users.disable'];
  const inp = proc._def.inputs[0];
  console.log(inp._zod.def.type, Object.keys(inp._zod.def.shape), inp._zod.def.shape.userId._zod.def);
  const r = await t.db.transaction(null, (tx) => tx.execute(sql`select polname, pg_get_expr(polqual, polrelid) q, pg_get_expr(polwithcheck, polrelid) w, polroles::text r, polcmd, polpermissive from pg_policy`));
  console.log(r);
  const r2 = await t.db.transaction(null, (tx) => tx.execute(sql`select c.relname, i.indexrelid::regclass::text idx, pg_get_indexdef(i.indexrelid, 1, true) first from pg_index i join pg_class c on c.oid=i.indrelid join pg_namespace n on n.oid=c.relnamespace where n.nspname='public'`));
  console.log(r2);
  try {
    await t.db.transaction(null, (tx) => tx.execute(sql`insert into sessions (tenant_id, user_id, token_hash, idle_expires_at, absolute_expires_at) values (gen_random_uuid(), gen_random_uuid(), '\\x00', now(), now())`));
  } catch (e: any) { console.log('ERR', e.constructor.name, Object.keys(e), e.cause?.constructor?.name, e.cause && Object.entries(e.cause)); }
  console.log(Object.keys(t.db));
  await t.drop();
});
