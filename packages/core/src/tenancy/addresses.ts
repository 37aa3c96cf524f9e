import { z } from 'zod';

/**
 * Whether `value` is an absolute https URL with a host and no embedded user name or password.
 * Credentials are refused because `https://childline.org.uk@example.com` shows a trusted name
 * but opens a different site.
 */
export function isHttpsUrl(value: string): boolean {
  if (!/^https:\/\/\S+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}

/**
 * A web address people are sent to, such as a helpline's website. Only https is accepted, so a
 * link can never run script (`javascript:`) or travel unencrypted.
 * @example 'https://www.childline.org.uk'
 */
export const httpsUrlSchema = z
  .string({ error: 'Web addresses must be text' })
  .trim()
  .max(2048, { error: 'Web addresses must be at most 2048 characters', abort: true })
  .refine(isHttpsUrl, { error: 'Must be a web address starting with https://' });

/**
 * A phone or SMS number as people would dial it, national or international.
 * @example '0800 1111'
 * @example '+44 (0)116 123'
 */
export const phoneNumberSchema = z
  .string({ error: 'Phone numbers must be text' })
  .trim()
  .regex(/^[0-9 +()-]{3,20}$/, {
    error: 'Phone numbers can only use digits, spaces and + ( ) -, up to 20 characters',
    abort: true,
  })
  // Short codes such as 999 or 85258 are real, but a number needs some digits to be dialled.
  .refine((value) => (value.match(/[0-9]/g)?.length ?? 0) >= 3, {
    error: 'Phone numbers need at least 3 digits',
  });
