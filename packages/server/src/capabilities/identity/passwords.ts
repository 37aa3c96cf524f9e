import { hash, verify } from '@node-rs/argon2';

/**
 * Argon2id cost. The defaults are OWASP's recommended minimum (19 MiB, 2 passes, 1 lane);
 * raise them if your servers can afford it, never lower them in production.
 */
export interface PasswordHashing {
  /** KiB of memory. @default 19456 */
  memoryCost?: number;
  /** @default 2 */
  timeCost?: number;
  /** @default 1 */
  parallelism?: number;
}

// `Algorithm.Argon2id` is a const enum, which isolated modules cannot read.
const ARGON2ID = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Always does the work of one verification, so an unknown user answers as slowly as a known one. */
  verify(stored: string | null, password: string): Promise<boolean>;
}

export function createPasswordHasher(options: PasswordHashing = {}): PasswordHasher {
  const params = {
    algorithm: ARGON2ID,
    memoryCost: options.memoryCost ?? 19456,
    timeCost: options.timeCost ?? 2,
    parallelism: options.parallelism ?? 1,
  };
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, params),
    async verify(stored, password) {
      if (stored === null) {
        decoy ??= hash(crypto.randomUUID(), params);
        await verify(await decoy, password).catch(() => false);
        return false;
      }
      return verify(stored, password).catch(() => false);
    },
  };
}
