import { describe, expect, it } from 'vitest';
import { displayNameSchema, emailSchema, passwordSchema, usernameSchema } from './fields.js';

function messagesOf(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

const phoneMessage =
  "Usernames can't contain a phone number — choose something that doesn't identify you";

describe('usernameSchema', () => {
  it.each([
    [' Ｓｋｙ_Blue ', 'sky_blue'],
    ['SKY.blue-99', 'sky.blue-99'],
    ['\u3000river\u3000', 'river'],
    ['abc', 'abc'],
    ['a'.repeat(24), 'a'.repeat(24)],
    ['9lives', '9lives'],
    ['year2025', 'year2025'],
    ['123456', '123456'],
  ])('normalises %j to %j', (input, expected) => {
    expect(usernameSchema.parse(input)).toBe(expected);
  });

  it.each([
    ['ab', 'Usernames must be at least 3 characters'],
    ['  a  ', 'Usernames must be at least 3 characters'],
    ['a'.repeat(25), 'Usernames must be at most 24 characters'],
    [
      'sky blue',
      'Usernames can only use letters a–z, numbers, underscores (_), dots (.) and dashes (-)',
    ],
    [
      'zoë',
      'Usernames can only use letters a–z, numbers, underscores (_), dots (.) and dashes (-)',
    ],
    [
      'sky\u200Bblue',
      'Usernames can only use letters a–z, numbers, underscores (_), dots (.) and dashes (-)',
    ],
    ['_skyblue', 'Usernames must start with a letter or a number'],
    ['.skyblue', 'Usernames must start with a letter or a number'],
    [
      'sky@example.org',
      "Usernames can't be an email address — choose something that doesn't identify you",
    ],
    [
      'sky＠example',
      "Usernames can't be an email address — choose something that doesn't identify you",
    ],
    ['07700900123', phoneMessage],
    ['sky1234567', phoneMessage],
    ['call07700-900_123', phoneMessage],
    ['１２３４５６７', phoneMessage],
  ])('rejects %j with %j', (input, message) => {
    expect(messagesOf(usernameSchema.safeParse(input))).toEqual([message]);
  });

  it('allows six digits in a row', () => {
    expect(usernameSchema.parse('sky123456')).toBe('sky123456');
  });
});

describe('passwordSchema', () => {
  it('accepts long passphrases without composition rules and keeps them exactly', () => {
    expect(passwordSchema.parse('correct horse battery')).toBe('correct horse battery');
    expect(passwordSchema.parse('  spaced out  ')).toBe('  spaced out  ');
  });

  it('counts code points, so ten emoji are ten characters', () => {
    expect(passwordSchema.parse('🙂'.repeat(10))).toBe('🙂'.repeat(10));
    expect(messagesOf(passwordSchema.safeParse('🙂'.repeat(9)))).toEqual([
      'Passwords must be at least 10 characters',
    ]);
    expect(passwordSchema.safeParse('🙂'.repeat(128)).success).toBe(true);
    expect(messagesOf(passwordSchema.safeParse('🙂'.repeat(129)))).toEqual([
      'Passwords must be at most 128 characters',
    ]);
  });

  it('rejects short passwords', () => {
    expect(messagesOf(passwordSchema.safeParse('abcdefghi'))).toEqual([
      'Passwords must be at least 10 characters',
    ]);
  });

  it.each([
    'password123',
    '1234567890',
    'qwertyuiop',
    'Password123',
    'QWERTYUIOP',
  ])('rejects the common password %j', (password) => {
    expect(messagesOf(passwordSchema.safeParse(password))).toEqual([
      'That password is too common — choose one that would be hard to guess',
    ]);
  });
});

describe('emailSchema', () => {
  it('trims and lower-cases', () => {
    expect(emailSchema.parse('  Jo.Bloggs@Charity.ORG ')).toBe('jo.bloggs@charity.org');
  });

  it('rejects things that are not email addresses', () => {
    expect(messagesOf(emailSchema.safeParse('jo'))).toEqual([
      'Enter an email address like name@example.org',
    ]);
    expect(emailSchema.safeParse('jo@localhost').success).toBe(false);
  });

  it('rejects addresses over 254 characters', () => {
    const long = `${'a'.repeat(64)}@${`${'b'.repeat(60)}.`.repeat(3)}ee.org`;
    expect(long.length).toBe(254);
    expect(emailSchema.safeParse(long).success).toBe(true);
    expect(messagesOf(emailSchema.safeParse(`a${long}`))).toEqual([
      'Email addresses must be at most 254 characters',
    ]);
  });
});

describe('displayNameSchema', () => {
  it('is safe text of at most 60 characters', () => {
    expect(displayNameSchema.parse(' Sam Patel ')).toBe('Sam Patel');
    expect(messagesOf(displayNameSchema.safeParse('x'.repeat(61)))).toEqual([
      'Must be at most 60 characters',
    ]);
    expect(displayNameSchema.safeParse('Sam\u202EPatel').success).toBe(false);
  });
});
