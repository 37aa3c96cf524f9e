import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { type Tx, tenantDataKeys } from '@hearth/db';
import { and, desc, eq, isNull } from 'drizzle-orm';

/**
 * Application-level encryption for the most sensitive fields (safeguarding case notes).
 *
 * Envelope scheme: each tenant has data keys (AES-256), stored only wrapped by a master key
 * that lives outside the database (an environment variable or a KMS). Each field is sealed with
 * AES-256-GCM under the tenant's current data key, with additional authenticated data naming
 * the tenant, table, row and column: a ciphertext copied to another row, column, table or
 * tenant fails to decrypt instead of revealing one person's notes as another's.
 */

export interface EncryptionOptions {
  /**
   * Master keys, each 32 random bytes in base64 (`openssl rand -base64 32`). The first wraps
   * new data keys; the others are kept only to unwrap data keys made before a rotation.
   */
  masterKeys: readonly string[];
}

export interface FieldRef {
  table: string;
  rowId: string;
  column: string;
}

export class DecryptionError extends Error {
  constructor(message = 'This field could not be decrypted') {
    super(message);
    this.name = 'DecryptionError';
  }
}

interface MasterKey {
  id: string;
  key: Buffer;
}

const FORMAT = 'hearth1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function decodeMasterKey(encoded: string): MasterKey {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) {
    throw new Error('encryption: every master key must be 32 bytes, base64-encoded');
  }
  // The id names the key without revealing it, so a wrapped data key says which master opens it.
  const id = createHash('sha256')
    .update('hearth-master-key-id')
    .update(key)
    .digest('hex')
    .slice(0, 16);
  return { id, key };
}

function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  const bytes = Buffer.from(sealed);
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new DecryptionError();
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new DecryptionError();
  }
}

const dataKeyAad = (tenantId: string, version: number) =>
  `hearth/data-key/v1|${tenantId}|${version}`;

const fieldAad = (tenantId: string, version: number, ref: FieldRef) =>
  `hearth/field/v1|${tenantId}|${ref.table}|${ref.rowId}|${ref.column}|${version}`;

export interface Keyring {
  /** Seals and opens fields of one tenant inside a transaction scoped to it. */
  forTenant(tx: Tx, tenantId: string): Promise<FieldCipher>;
  /** Starts a new data key version for a tenant; earlier versions still decrypt. */
  rotateDataKey(tx: Tx, tenantId: string): Promise<number>;
}

export interface FieldCipher {
  encrypt(ref: FieldRef, plaintext: string): string;
  /** Throws DecryptionError for a tampered, moved or foreign ciphertext. */
  decrypt(ref: FieldRef, ciphertext: string): Promise<string>;
}

export function createKeyring(options: EncryptionOptions): Keyring {
  if (options.masterKeys.length === 0) throw new Error('encryption: give at least one master key');
  const masters = options.masterKeys.map(decodeMasterKey);
  const current = masters[0]!;
  // Unwrapped data keys by tenant and version: a version never changes, so entries never go
  // stale. Bounded only to cap memory.
  const cache = new Map<string, Buffer>();

  function remember(tenantId: string, version: number, key: Buffer) {
    if (cache.size >= 10_000) cache.clear();
    cache.set(`${tenantId}:${version}`, key);
  }

  async function loadVersion(tx: Tx, tenantId: string, version: number): Promise<Buffer> {
    const cached = cache.get(`${tenantId}:${version}`);
    if (cached) return cached;
    const [row] = await tx
      .select()
      .from(tenantDataKeys)
      .where(and(eq(tenantDataKeys.tenantId, tenantId), eq(tenantDataKeys.version, version)));
    if (!row) throw new DecryptionError();
    const master = masters.find((m) => m.id === row.masterKeyId);
    if (!master) throw new DecryptionError('The master key for this data key is not configured');
    const key = open(master.key, row.wrappedKey, dataKeyAad(tenantId, version));
    remember(tenantId, version, key);
    return key;
  }

  async function createVersion(tx: Tx, tenantId: string, version: number): Promise<number> {
    const key = randomBytes(32);
    const inserted = await tx
      .insert(tenantDataKeys)
      .values({
        tenantId,
        version,
        masterKeyId: current.id,
        wrappedKey: seal(current.key, key, dataKeyAad(tenantId, version)),
      })
      .onConflictDoNothing()
      .returning({ version: tenantDataKeys.version });
    // Another transaction made this version first: use theirs.
    if (inserted.length === 0) return version;
    remember(tenantId, version, key);
    return version;
  }

  async function currentVersion(tx: Tx, tenantId: string): Promise<number> {
    const [row] = await tx
      .select({ version: tenantDataKeys.version })
      .from(tenantDataKeys)
      .where(and(eq(tenantDataKeys.tenantId, tenantId), isNull(tenantDataKeys.retiredAt)))
      .orderBy(desc(tenantDataKeys.version))
      .limit(1);
    return row?.version ?? createVersion(tx, tenantId, 1);
  }

  return {
    async forTenant(tx, tenantId) {
      const version = await currentVersion(tx, tenantId);
      const key = await loadVersion(tx, tenantId, version);
      return {
        encrypt(ref, plaintext) {
          const sealed = seal(
            key,
            Buffer.from(plaintext, 'utf8'),
            fieldAad(tenantId, version, ref),
          );
          return `${FORMAT}.${version}.${sealed.toString('base64url')}`;
        },
        async decrypt(ref, ciphertext) {
          const [format, versionText, body] = ciphertext.split('.');
          const used = Number(versionText);
          if (format !== FORMAT || !Number.isInteger(used) || used < 1 || !body) {
            throw new DecryptionError();
          }
          const usedKey = used === version ? key : await loadVersion(tx, tenantId, used);
          return open(
            usedKey,
            Buffer.from(body, 'base64url'),
            fieldAad(tenantId, used, ref),
          ).toString('utf8');
        },
      };
    },
    async rotateDataKey(tx, tenantId) {
      const version = await currentVersion(tx, tenantId);
      await tx
        .update(tenantDataKeys)
        .set({ retiredAt: new Date() })
        .where(and(eq(tenantDataKeys.tenantId, tenantId), eq(tenantDataKeys.version, version)));
      return createVersion(tx, tenantId, version + 1);
    },
  };
}
