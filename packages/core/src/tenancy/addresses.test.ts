import { describe, expect, it } from 'vitest';
import { httpsUrlSchema, isHttpsUrl, phoneNumberSchema } from './addresses.js';

describe('isHttpsUrl', () => {
  it.each([
    'https://www.childline.org.uk',
    'https://example.org/help?x=1#top',
  ])('accepts %s', (url) => {
    expect(isHttpsUrl(url)).toBe(true);
  });

  it.each([
    'http://example.org',
    'javascript:alert(1)',
    'https://',
    'https://exa mple.org',
    'https://childline.org.uk@evil.example',
    'https://user:pass@example.org',
    '//example.org',
    '/help',
  ])('rejects %s', (url) => {
    expect(isHttpsUrl(url)).toBe(false);
  });
});

describe('httpsUrlSchema', () => {
  it('trims and keeps the address as written', () => {
    expect(httpsUrlSchema.parse(' https://Example.org/Help ')).toBe('https://Example.org/Help');
  });

  it('explains what is wrong', () => {
    expect(httpsUrlSchema.safeParse('http://example.org').error?.issues[0]?.message).toBe(
      'Must be a web address starting with https://',
    );
    expect(httpsUrlSchema.safeParse(`https://e.org/${'a'.repeat(2040)}`).error?.issues).toEqual([
      expect.objectContaining({ message: 'Web addresses must be at most 2048 characters' }),
    ]);
  });
});

describe('phoneNumberSchema', () => {
  it.each([
    '0800 1111',
    '116 123',
    '85258',
    '999',
    '+44 (0)20 7946 0000',
  ])('accepts %s', (phone) => {
    expect(phoneNumberSchema.parse(` ${phone} `)).toBe(phone);
  });

  it.each([
    ['12', 'Phone numbers can only use digits, spaces and + ( ) -, up to 20 characters'],
    [
      '0800 1111 ext. 2',
      'Phone numbers can only use digits, spaces and + ( ) -, up to 20 characters',
    ],
    ['1'.repeat(21), 'Phone numbers can only use digits, spaces and + ( ) -, up to 20 characters'],
    ['+()-', 'Phone numbers need at least 3 digits'],
    ['1 - 2', 'Phone numbers need at least 3 digits'],
  ])('rejects %j', (phone, message) => {
    expect(phoneNumberSchema.safeParse(phone).error?.issues.map((i) => i.message)).toEqual([
      message,
    ]);
  });
});
