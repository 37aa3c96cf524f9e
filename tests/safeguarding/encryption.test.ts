import { randomBytes, randomUUID } from 'node:crypto';
import { tenantDataKeys } from '@hearth/db';
import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import { createKeyring, DecryptionError, provisionTenant } from '@hearth/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const NOTE = 'Disclosed that her stepdad hits her when he has been drinking. Told her first.';

let t: TestDatabase;
let A: string;
let B: string;

beforeAll(async () => {
  t = await createTestDatabase();
  A = (
    await provisionTenant(t.db, {
      slug: 'enc-a',
      domains: ['enc-a.test'],
      config: { displayName: 'A' },
    })
  ).tenantId;
  B = (
    await provisionTenant(t.db, {
      slug: 'enc-b',
      domains: ['enc-b.test'],
      config: { displayName: 'B' },
    })
  ).tenantId;
});
afterAll(async () => {
  await t?.drop();
});

const ref = (rowId: string, column = 'body', table = 'case_notes') => ({ table, rowId, column });

function seal(
  keyring: ReturnType<typeof createKeyring>,
  tenantId: string,
  rowId: string,
  text = NOTE,
) {
  return t.db.transaction(tenantId, async (tx) =>
    (await keyring.forTenant(tx, tenantId)).encrypt(ref(rowId), text),
  );
}

function unseal(
  keyring: ReturnType<typeof createKeyring>,
  tenantId: string,
  where: ReturnType<typeof ref>,
  ciphertext: string,
) {
  return t.db.transaction(tenantId, async (tx) =>
    (await keyring.forTenant(tx, tenantId)).decrypt(where, ciphertext),
  );
}

describe('field encryption', () => {
  test('round-trips, and the stored form reveals nothing and is never the same twice', async () => {
    const keyring = createKeyring({ masterKeys: [K1] });
    const row = randomUUID();
    const first = await seal(keyring, A, row);
    const second = await seal(keyring, A, row);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^hearth1\.1\.[A-Za-z0-9_-]+$/);
    expect(first).not.toContain('stepdad');
    expect(Buffer.from(first.split('.')[2]!, 'base64url').toString('latin1')).not.toContain(
      'stepdad',
    );
    expect(await unseal(keyring, A, ref(row), first)).toBe(NOTE);
    // A fresh process (no cached keys) opens it from the database with the master key.
    expect(await unseal(createKeyring({ masterKeys: [K1] }), A, ref(row), first)).toBe(NOTE);
  });

  test('a ciphertext moved to another row, column, table or tenant does not decrypt', async () => {
    const keyring = createKeyring({ masterKeys: [K1] });
    const row = randomUUID();
    const sealed = await seal(keyring, A, row);
    const elsewhere = [ref(randomUUID()), ref(row, 'summary'), ref(row, 'body', 'referrals')];
    for (const where of elsewhere) {
      await expect(unseal(keyring, A, where, sealed)).rejects.toBeInstanceOf(DecryptionError);
    }
    await expect(unseal(keyring, B, ref(row), sealed)).rejects.toBeInstanceOf(DecryptionError);
  });

  test('tampering or garbage is refused with DecryptionError, never garbage text', async () => {
    const keyring = createKeyring({ masterKeys: [K1] });
    const row = randomUUID();
    const sealed = await seal(keyring, A, row);
    const body = Buffer.from(sealed.split('.')[2]!, 'base64url');
    for (let i = 0; i < body.length; i += 7) {
      const flipped = Buffer.from(body);
      flipped[i] = flipped[i]! ^ 0x01;
      await expect(
        unseal(keyring, A, ref(row), `hearth1.1.${flipped.toString('base64url')}`),
      ).rejects.toBeInstanceOf(DecryptionError);
    }
    for (const garbage of [
      '',
      'hearth1',
      'hearth1.1.',
      'hearth1.x.AAAA',
      'hearth1.99.AAAA',
      'v0.1.AAAA',
      `hearth1.1.${'A'.repeat(10)}`,
    ]) {
      await expect(unseal(keyring, A, ref(row), garbage), garbage).rejects.toBeInstanceOf(
        DecryptionError,
      );
    }
  });

  test('data keys are stored only wrapped, under the named master key', async () => {
    const keyring = createKeyring({ masterKeys: [K1] });
    await seal(keyring, A, randomUUID());
    const keys = await t.db.transaction(A, (tx) =>
      tx.select().from(tenantDataKeys).where(eq(tenantDataKeys.tenantId, A)),
    );
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const k of keys) {
      // 12-byte nonce + 32-byte key + 16-byte tag: sealed, not raw.
      expect(Buffer.from(k.wrappedKey).length).toBe(60);
      expect(k.masterKeyId).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  test('without the right master key nothing opens; after a master rotation old data still does', async () => {
    const row = randomUUID();
    const sealed = await seal(createKeyring({ masterKeys: [K1] }), A, row);
    await expect(
      unseal(createKeyring({ masterKeys: [K2] }), A, ref(row), sealed),
    ).rejects.toBeInstanceOf(DecryptionError);
    const rotated = createKeyring({ masterKeys: [K2, K1] });
    expect(await unseal(rotated, A, ref(row), sealed)).toBe(NOTE);
  });

  test('a rotated data key seals new data; older versions still open', async () => {
    const keyring = createKeyring({ masterKeys: [K1] });
    const row = randomUUID();
    const before = await seal(keyring, B, row, 'before rotation');
    const version = await t.db.transaction(B, (tx) => keyring.rotateDataKey(tx, B));
    const after = await seal(keyring, B, row, 'after rotation');
    expect(after.split('.')[1]).toBe(String(version));
    expect(before.split('.')[1]).not.toBe(String(version));
    const fresh = createKeyring({ masterKeys: [K1] });
    expect(await unseal(fresh, B, ref(row), before)).toBe('before rotation');
    expect(await unseal(fresh, B, ref(row), after)).toBe('after rotation');
  });

  test('the first use by many transactions at once settles on one data key', async () => {
    const { tenantId } = await provisionTenant(t.db, {
      slug: 'enc-race',
      domains: ['enc-race.test'],
      config: { displayName: 'Race' },
    });
    const keyrings = Array.from({ length: 6 }, () => createKeyring({ masterKeys: [K1] }));
    const rows = keyrings.map(() => randomUUID());
    const sealed = await Promise.all(keyrings.map((k, i) => seal(k, tenantId, rows[i]!)));
    const keys = await t.db.transaction(tenantId, (tx) =>
      tx.select().from(tenantDataKeys).where(eq(tenantDataKeys.tenantId, tenantId)),
    );
    expect(keys).toHaveLength(1);
    const reader = createKeyring({ masterKeys: [K1] });
    for (const [i, text] of sealed.entries()) {
      expect(await unseal(reader, tenantId, ref(rows[i]!), text)).toBe(NOTE);
    }
  });

  test('refuses master keys that are not 32 bytes', () => {
    expect(() => createKeyring({ masterKeys: [] })).toThrow('at least one master key');
    expect(() => createKeyring({ masterKeys: ['c2hvcnQ='] })).toThrow('32 bytes');
  });
});
