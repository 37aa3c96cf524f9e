import { isHearthError } from '@hearth/client';
import { createPlatform, hearthRouter } from '@hearth/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  callPath,
  type Owner,
  ownerConnection,
  proceduresOf,
  recordingClient,
  tableDigests,
} from '../support/db.js';
import {
  type Browser,
  PASSWORD,
  SECRET,
  startTestPlatform,
  type TestPlatform,
  tenantConfig,
} from '../support/platform.js';

/**
 * Bad input to every mutation, sent through the real client and as raw HTTP: each answer is a
 * 4xx (never a 500) naming the field at fault, carries no stack trace or file path, and
 * nothing is written anywhere in the database.
 */

let p: TestPlatform;
let owner: Owner;
let admin: Browser;
let platformAdmin: Browser;
let lead: Browser;
let member: Browser;
let mentor: Browser;
let senior: Browser;
const ids = {
  member: '',
  invitation: '',
  invitationToken: '',
  case: '',
  item: '',
  mentor: '',
  senior: '',
};

type Caller = 'anonymous' | 'admin' | 'platformAdmin' | 'lead' | 'member' | 'mentor' | 'senior';

// ---------------------------------------------------------------------------------------------
// What each mutation takes

/**
 * How a field's value is judged, which decides what each kind of odd value must get:
 * - username: a new member's or staff handle (letters, digits, _ . -; NFKC-folded)
 * - loginName / loginPassword: sign-in's deliberately loose fields (any text up to a length)
 * - password: a new password (any characters, 10–128 code points, hashed exactly as typed)
 * - text: a display name (safeText: no control, bidi or zero-width characters)
 * - note: like text, but several lines (newlines and tabs allowed), up to 5,000 characters
 * - token: an invitation token (any text up to 200; a wrong one is simply not found)
 * - boolean: true or false, nothing that merely looks like one
 * - uuids: a list of ids
 * - target: what a report is about, `{ kind: 'content', contentKind, contentId }` or `{ kind: 'user', userId }`
 * - tags: a list of short tags (skills, interests, help wanted)
 * - languages: a list of language tags (`en-GB`, `cy`)
 * - availability: weekly slots, `[{ day: 'tue', start: '18:00', end: '20:00' }]`
 * - count: a whole number where 0 may be valid (a capacity, a version before any exists)
 * - date / nullableDate: a calendar date `YYYY-MM-DD` (the second also null)
 * - backgroundCheck: `{ status, expiresOn }`
 * - ageBands: a list of age bands
 * - event: a change to a mentoring relationship, `{ type: 'close', reason }`
 */
type Kind =
  | 'username'
  | 'loginName'
  | 'password'
  | 'loginPassword'
  | 'enum'
  | 'email'
  | 'text'
  | 'note'
  | 'token'
  | 'uuid'
  | 'slug'
  | 'version'
  | 'config'
  | 'domains'
  | 'tags'
  | 'languages'
  | 'availability'
  | 'count'
  | 'date'
  | 'nullableDate'
  | 'backgroundCheck'
  | 'ageBands'
  | 'event'
  | 'boolean'
  | 'target'
  | 'uuids';

interface Mutation {
  path: string;
  as: Caller;
  /** Input that passes validation; each case breaks exactly one part of it. */
  valid: () => Record<string, unknown>;
  fields: Record<string, Kind>;
  /**
   * Fields that may be left out, so "missing" is no bad input, or that are required only in
   * combination (named only once the rest of the input is valid); an empty object names neither.
   */
  optional?: string[];
  conditional?: string[];
}

let serial = 0;
const fresh = (prefix: string) => `${prefix}${++serial}`;

const MUTATIONS: Mutation[] = [
  {
    path: 'identity.signUp',
    as: 'anonymous',
    valid: () => ({ username: fresh('newbie'), password: PASSWORD, ageBand: '16-17' }),
    fields: { username: 'username', password: 'password', ageBand: 'enum' },
  },
  {
    path: 'identity.signIn',
    as: 'anonymous',
    // An account that does not exist, so no case can succeed or lock a real account out.
    valid: () => ({ username: fresh('nobody'), password: PASSWORD }),
    fields: { username: 'loginName', password: 'loginPassword' },
  },
  {
    path: 'identity.invitations.create',
    as: 'admin',
    valid: () => ({ email: `${fresh('new')}@alpha.example.org`, role: 'mentor' }),
    fields: { email: 'email', role: 'enum' },
  },
  {
    path: 'identity.invitations.accept',
    as: 'anonymous',
    valid: () => ({
      token: ids.invitationToken,
      username: fresh('mentor'),
      password: PASSWORD,
      displayName: 'New Mentor',
    }),
    fields: { token: 'token', username: 'username', password: 'password', displayName: 'text' },
  },
  {
    path: 'identity.invitations.revoke',
    as: 'admin',
    valid: () => ({ invitationId: ids.invitation }),
    fields: { invitationId: 'uuid' },
  },
  {
    path: 'identity.users.disable',
    as: 'admin',
    valid: () => ({ userId: ids.member }),
    fields: { userId: 'uuid' },
  },
  {
    path: 'tenancy.config.update',
    as: 'admin',
    valid: () => ({ expectedVersion: 1, config: tenantConfig('Alpha Youth Trust') }),
    fields: { expectedVersion: 'version', config: 'config' },
  },
  {
    path: 'tenancy.tenants.create',
    as: 'platformAdmin',
    valid: () => ({
      slug: fresh('new-tenant-'),
      domains: [`${fresh('new')}.hearth.test`],
      config: tenantConfig('New Organisation'),
      firstAdminEmail: 'first@new.example.org',
    }),
    fields: { slug: 'slug', domains: 'domains', config: 'config', firstAdminEmail: 'email' },
  },
  {
    path: 'safeguarding.concerns.raise',
    as: 'lead',
    valid: () => ({
      subjectUserId: ids.member,
      category: 'abuse_neglect',
      severity: 'high',
      note: 'Said things at home are getting worse',
    }),
    fields: { subjectUserId: 'uuid', category: 'enum', severity: 'enum', note: 'note' },
  },
  {
    path: 'safeguarding.cases.acknowledge',
    as: 'lead',
    valid: () => ({ caseId: ids.case }),
    fields: { caseId: 'uuid' },
  },
  {
    path: 'safeguarding.cases.addNote',
    as: 'lead',
    valid: () => ({ caseId: ids.case, note: 'Spoke to her form tutor' }),
    fields: { caseId: 'uuid', note: 'note' },
  },
  {
    path: 'safeguarding.cases.triage',
    as: 'lead',
    // A severity or an assignee is needed: without the severity, the severity is named.
    valid: () => ({ caseId: ids.case, expectedVersion: 1, severity: 'critical' }),
    fields: { caseId: 'uuid', expectedVersion: 'version', severity: 'enum' },
    conditional: ['severity'],
  },
  {
    path: 'safeguarding.cases.escalate',
    as: 'lead',
    valid: () => ({ caseId: ids.case, expectedVersion: 1, note: 'Needs the lead today' }),
    fields: { caseId: 'uuid', expectedVersion: 'version', note: 'note' },
  },
  {
    path: 'safeguarding.cases.recordSharing',
    as: 'lead',
    valid: () => ({
      caseId: ids.case,
      shared: true,
      recipient: 'school',
      reason: 'The school needs to know to keep her safe at break times',
    }),
    fields: { caseId: 'uuid', shared: 'boolean', recipient: 'enum', reason: 'note' },
  },
  {
    path: 'safeguarding.cases.recordToldYoungPerson',
    as: 'lead',
    // Told, so how is needed: without it, it is named.
    valid: () => ({ caseId: ids.case, told: true, how: 'in_person', note: 'She agreed' }),
    fields: { caseId: 'uuid', told: 'boolean', how: 'enum', note: 'note' },
    conditional: ['how'],
  },
  {
    path: 'safeguarding.cases.recordReferral',
    as: 'lead',
    valid: () => ({
      caseId: ids.case,
      agency: 'childrens_social_care',
      reference: 'CSC-2026-0042',
      note: 'Referred by phone',
    }),
    fields: { caseId: 'uuid', agency: 'enum', reference: 'text', note: 'note' },
    optional: ['reference'],
  },
  {
    path: 'safeguarding.cases.close',
    as: 'lead',
    valid: () => ({
      caseId: ids.case,
      expectedVersion: 1,
      outcome: 'support_provided',
      note: 'Settled after mediation',
    }),
    fields: { caseId: 'uuid', expectedVersion: 'version', outcome: 'enum', note: 'note' },
  },
  {
    path: 'safeguarding.reports.create',
    as: 'member',
    valid: () => ({
      target: { kind: 'user', userId: ids.member },
      reason: 'bullying',
      note: 'Keeps calling me names',
    }),
    fields: { target: 'target', reason: 'enum', note: 'note' },
    optional: ['note'],
  },
  {
    path: 'safeguarding.moderation.act',
    as: 'lead',
    // A warning needs its message: without it, the message is named.
    valid: () => ({
      itemId: ids.item,
      action: 'warn',
      reason: 'Name-calling',
      message: 'Please be kind to other people here',
      expectedVersion: 1,
    }),
    fields: {
      itemId: 'uuid',
      action: 'enum',
      reason: 'note',
      message: 'note',
      expectedVersion: 'version',
    },
    conditional: ['message'],
  },
  {
    path: 'messaging.conversations.openDirect',
    as: 'member',
    valid: () => ({ relationshipId: '12345678-1234-4234-8234-123456789012' }),
    fields: { relationshipId: 'uuid' },
  },
  {
    path: 'messaging.conversations.createGroup',
    as: 'admin',
    valid: () => ({ title: 'Thursday group', memberIds: [ids.member] }),
    fields: { title: 'text', memberIds: 'uuids' },
  },
  {
    path: 'messaging.messages.send',
    as: 'member',
    valid: () => ({ conversationId: '12345678-1234-4234-8234-123456789012', body: 'Hello' }),
    fields: { conversationId: 'uuid', body: 'note' },
  },
  {
    path: 'messaging.messages.markRead',
    as: 'member',
    valid: () => ({ conversationId: '12345678-1234-4234-8234-123456789012', seq: 3 }),
    fields: { conversationId: 'uuid', seq: 'version' },
  },
  {
    path: 'mentoring.profile.update',
    as: 'mentor',
    valid: () => ({
      skills: ['cv writing'],
      interests: ['football'],
      languages: ['en-GB'],
      availability: [{ day: 'tue', start: '18:00', end: '20:00' }],
      capacity: 2,
    }),
    fields: {
      skills: 'tags',
      interests: 'tags',
      languages: 'languages',
      availability: 'availability',
      capacity: 'count',
    },
    optional: ['skills', 'interests', 'availability', 'capacity'],
  },
  {
    path: 'mentoring.vetting.update',
    as: 'admin',
    valid: () => ({
      mentorId: ids.mentor,
      expectedVersion: 0,
      backgroundCheck: { status: 'clear', expiresOn: '2030-01-31' },
      trainingCompletedOn: '2026-01-10',
      trainingValidForMonths: 12,
      supervisorId: ids.senior,
      clearedAgeBands: ['16-17'],
    }),
    fields: {
      mentorId: 'uuid',
      expectedVersion: 'count',
      backgroundCheck: 'backgroundCheck',
      trainingCompletedOn: 'nullableDate',
      trainingValidForMonths: 'count',
      supervisorId: 'uuid',
      clearedAgeBands: 'ageBands',
    },
    optional: ['trainingValidForMonths', 'supervisorId'],
  },
  {
    path: 'mentoring.match.request',
    as: 'member',
    valid: () => ({
      interests: ['football'],
      helpWith: ['cv writing'],
      languages: ['en'],
      availability: [{ day: 'sat', start: '10:00', end: '12:00' }],
      mentorId: ids.mentor,
      helpText: 'I want help finding a job',
    }),
    fields: {
      interests: 'tags',
      helpWith: 'tags',
      languages: 'languages',
      availability: 'availability',
      mentorId: 'uuid',
      helpText: 'note',
    },
    optional: ['interests', 'helpWith', 'languages', 'availability', 'mentorId', 'helpText'],
  },
  {
    path: 'mentoring.match.approve',
    as: 'senior',
    valid: () => ({
      relationshipId: '12345678-1234-4234-8234-123456789012',
      expectedVersion: 1,
      mentorId: ids.mentor,
    }),
    fields: { relationshipId: 'uuid', expectedVersion: 'version', mentorId: 'uuid' },
    optional: ['mentorId'],
  },
  {
    path: 'mentoring.match.decline',
    as: 'member',
    valid: () => ({
      relationshipId: '12345678-1234-4234-8234-123456789012',
      expectedVersion: 1,
      reason: 'Changed my mind',
    }),
    fields: { relationshipId: 'uuid', expectedVersion: 'version', reason: 'note' },
    optional: ['reason'],
  },
  {
    path: 'mentoring.relationships.transition',
    as: 'member',
    valid: () => ({
      relationshipId: '12345678-1234-4234-8234-123456789012',
      expectedVersion: 1,
      event: { type: 'close', reason: 'goals-met' },
    }),
    fields: { relationshipId: 'uuid', expectedVersion: 'version', event: 'event' },
  },
  {
    path: 'mentoring.supervision.record',
    as: 'senior',
    valid: () => ({
      mentorId: ids.mentor,
      heldOn: '2026-03-02',
      durationMinutes: 45,
      notes: 'Talked through a hard conversation with a mentee',
    }),
    fields: { mentorId: 'uuid', heldOn: 'date', durationMinutes: 'count', notes: 'note' },
    optional: ['durationMinutes'],
  },
  {
    path: 'identity.profile.updateAbout',
    as: 'member',
    valid: () => ({ about: 'I like drawing and football' }),
    fields: { about: 'note' },
  },
];

// ---------------------------------------------------------------------------------------------
// The cases

interface Expected {
  status: number;
  /** The field the errors must name (every key is it or under it); null: no field errors. */
  field: string | null;
  /** Rows a case is expected to add, by table (only sign-in failures are ever kept). */
  adds?: Record<string, number>;
}

interface Case {
  mutation: Mutation;
  name: string;
  /** The input, or a raw body (only sent as raw HTTP). */
  input?: () => unknown;
  rawBody?: () => string;
  rawHeaders?: Record<string, string>;
  expected: Expected;
}

const fullwidth = (s: string) =>
  [...s]
    .map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c))
    .join('');

/** Odd text, built around a value that would otherwise be valid. */
const ODDITIES: Record<string, (valid: string) => string> = {
  'a zero-width joiner': (v) => `${v.slice(0, 2)}\u200D${v.slice(2)}`,
  'a right-to-left override (U+202E)': (v) => `\u202E${v}`,
  'a NUL byte': (v) => `${v.slice(0, 2)}\u0000${v.slice(2)}`,
  'a lone surrogate': (v) => `${v}\uD800`,
  'a 4-byte emoji': (v) => `${v}\u{1F642}`,
  'a full-width (NFKC) look-alike': (v) => fullwidth(v),
  'a very long combining sequence': (v) => `${v}${'\u0301'.repeat(5000)}`,
};

const BAD = (field: string): Expected => ({ status: 400, field });
const FAILED_SIGN_IN: Expected = {
  status: 401,
  field: null,
  adds: { sign_in_failures: 2 }, // one for the account, one for the address
};

/**
 * What an odd value must get, by the kind of field. `undefined` means the value is acceptable
 * for that kind and is not a bad input (for example, passwords may hold any character).
 */
function oddityExpectation(kind: Kind, oddity: string, field: string): Expected | undefined {
  switch (kind) {
    case 'username':
      // Folding makes the look-alike an existing handle, so it is taken (see the cases below).
      return oddity === 'a full-width (NFKC) look-alike' ? undefined : BAD(field);
    case 'loginName':
      if (oddity === 'a NUL byte' || oddity === 'a very long combining sequence') return BAD(field);
      // Sign-in does not judge usernames: an odd one is a wrong one, and counts as a failure.
      // (The look-alike folds to the valid name, which is not an account either.)
      return FAILED_SIGN_IN;
    case 'password':
      // Passwords may hold any character and are hashed exactly as typed (NIST SP 800-63B),
      // but half a surrogate pair is not a character, and 5000 marks are too long.
      return oddity === 'a lone surrogate' || oddity === 'a very long combining sequence'
        ? BAD(field)
        : undefined;
    case 'loginPassword':
      return oddity === 'a very long combining sequence' ? BAD(field) : FAILED_SIGN_IN;
    case 'note':
    case 'text':
      // Emoji and full-width letters are fine in a name or a note.
      return oddity === 'a 4-byte emoji' || oddity === 'a full-width (NFKC) look-alike'
        ? undefined
        : BAD(field);
    case 'token':
      // A token is opaque: an odd one is simply not an invitation, unless it is too long.
      return oddity === 'a very long combining sequence'
        ? BAD(field)
        : { status: 404, field: null };
    default:
      return BAD(field);
  }
}

const TYPE_CONFUSIONS: Record<string, unknown> = {
  'a number': 42,
  zero: 0,
  'a boolean': true,
  null: null,
  'an empty array': [],
  'an array of strings': ['x'],
  'an object': {},
  'an object with toString': { toString: 'x' },
};

const slot = (day: string, start: string, end: string) => ({ day, start, end });
const nthTag = (i: number) => `tag ${i}`;

/** Bad values for the mentoring kinds of field: each must be refused, naming the field. */
const MENTORING_KIND_VALUES = {
  tags: () => ({
    'a string, not a list': 'football',
    'a number': 42,
    null: null,
    'an object': {},
    'a list holding a number': [42],
    'a list holding null': [null],
    'a list holding an empty tag': [''],
    'a list holding a 10 kB tag': ['x'.repeat(10_000)],
    'a list of 21': Array.from({ length: 21 }, (_, i) => nthTag(i)),
    'a tag with a right-to-left override': ['foot\u202Eball'],
    'a tag with a NUL byte': ['foot\u0000ball'],
    'a tag with a zero-width joiner': ['foot\u200Dball'],
    'a tag with a lone surrogate': ['football\uD800'],
    'a tag with a line break': ['foot\nball'],
  }),
  languages: () => ({
    'a string, not a list': 'en',
    'a number': 42,
    null: null,
    'an object': {},
    'a list holding a number': [42],
    'a list holding a word': ['english'],
    'a list holding "und"': ['und'],
    'a list holding a NUL byte': ['e\u0000n'],
    'a list holding 10 kB': ['x'.repeat(10_000)],
    'a list of 11': ['en', 'cy', 'pl', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'da'],
  }),
  availability: () => ({
    'a string': 'evenings',
    'a number': 42,
    null: null,
    'an object': {},
    'a list holding a string': ['tue 18:00-20:00'],
    'a slot on "monday"': [slot('monday', '18:00', '20:00')],
    'a slot starting at "6pm"': [slot('tue', '6pm', '20:00')],
    'a slot off the quarter hour': [slot('tue', '18:05', '20:00')],
    'a slot ending before it starts': [slot('tue', '20:00', '18:00')],
    'a slot with a time zone': [{ ...slot('tue', '18:00', '20:00'), tz: 'UTC' }],
    'overlapping slots': [slot('tue', '18:00', '20:00'), slot('tue', '19:00', '21:00')],
    'a list of 29 slots': Array.from({ length: 29 }, (_, i) =>
      slot(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][i % 7]!,
        `${String(Math.floor(i / 7) * 2).padStart(2, '0')}:00`,
        `${String(Math.floor(i / 7) * 2).padStart(2, '0')}:30`,
      ),
    ),
  }),
  count: () => ({
    'a numeric string': '1',
    null: null,
    'a boolean': true,
    'an array': [1],
    'an object': {},
    'a fraction': 1.5,
    'a negative number': -1,
    'a number beyond 2^53': 1e300,
  }),
  date: () => ({ null: null, ...BAD_DATES }),
  nullableDate: () => BAD_DATES,
  backgroundCheck: () => ({
    'a string': 'clear',
    'a number': 42,
    null: null,
    'an array': [],
    'an empty object': {},
    'a status without an expiry': { status: 'clear' },
    'an unknown status': { status: 'maybe', expiresOn: null },
    'an expiry that is not a date': { status: 'clear', expiresOn: 'soon' },
    'an expiry on 30 February': { status: 'clear', expiresOn: '2026-02-30' },
    'an unknown key': { status: 'clear', expiresOn: null, checkedBy: 'me' },
  }),
  ageBands: () => ({
    'a string, not a list': '16-17',
    'a number': 42,
    null: null,
    'an object': {},
    'a list holding a number': [16],
    'a list holding an unknown band': ['16'],
    'a list holding a band with a space': ['16-17 '],
  }),
  event: () => ({
    'a string': 'pause',
    'a number': 42,
    null: null,
    'an array': [],
    'an empty object': {},
    'an unknown type': { type: 'explode' },
    'a type in capitals': { type: 'PAUSE' },
    'accept (approve requests instead)': { type: 'accept' },
    'decline (decline requests instead)': { type: 'decline' },
    'a close without a reason': { type: 'close' },
    'a close for an unknown reason': { type: 'close', reason: 'bored' },
    'a close for a concern without its case': { type: 'close', reason: 'concern' },
    'a close naming a case that is not a uuid': {
      type: 'close',
      reason: 'other',
      safeguardingCaseId: 'case-1',
    },
    'a pause with a reason (unknown key)': { type: 'pause', reason: 'exams' },
  }),
} as const;

const BAD_DATES = {
  'a number': 20260302,
  'a boolean': true,
  'an object': {},
  'an empty string': '',
  'a date in words': 'yesterday',
  'a day/month/year date': '02/03/2026',
  'a date without leading zeros': '2026-3-2',
  '30 February': '2026-02-30',
  'a date and time': '2026-03-02T10:00:00Z',
  '10 kB': 'x'.repeat(10_000),
  'a date with a lone surrogate': '2026-03-02\uD800',
};

function fieldCases(mutation: Mutation, field: string, kind: Kind): Case[] {
  const cases: Case[] = [];
  const withValue = (value: () => unknown) => () => ({ ...mutation.valid(), [field]: value() });
  if (!mutation.optional?.includes(field)) {
    cases.push({
      mutation,
      name: `${field} missing`,
      input: () => {
        const input = mutation.valid();
        delete input[field];
        return input;
      },
      expected: BAD(field),
    });
  }

  if (kind === 'version') {
    for (const [name, value] of Object.entries({
      'a numeric string': '1',
      null: null,
      'a boolean': true,
      'an array': [1],
      'an object': {},
      'a fraction': 1.5,
      zero: 0,
      'a negative number': -1,
      'a number beyond 2^53': 1e300,
    })) {
      cases.push({
        mutation,
        name: `${field} is ${name}`,
        input: withValue(() => value),
        expected: BAD(field),
      });
    }
    return cases;
  }
  if (kind === 'config') {
    for (const [name, value] of Object.entries({
      'a number': 42,
      'a string': 'x',
      null: null,
      'an array': [],
      'an empty object': {},
      'an unknown key': { ...tenantConfig('Alpha Youth Trust'), isAdmin: true },
    })) {
      cases.push({
        mutation,
        name: `${field} is ${name}`,
        input: withValue(() => value),
        expected: BAD(field),
      });
    }
    for (const [oddity, make] of Object.entries(ODDITIES)) {
      const expected = oddityExpectation('text', oddity, `${field}.displayName`);
      if (!expected) continue;
      cases.push({
        mutation,
        name: `${field}.displayName with ${oddity}`,
        input: withValue(() => tenantConfig(make('Alpha Youth Trust'))),
        expected,
      });
    }
    cases.push({
      mutation,
      name: `${field}.displayName of 10 kB`,
      input: withValue(() => tenantConfig('x'.repeat(10_000))),
      expected: BAD(`${field}.displayName`),
    });
    cases.push({
      mutation,
      name: `${field} with a script for a colour`,
      input: withValue(() =>
        tenantConfig('Alpha', {
          branding: { colors: { primary: 'red;background:url(javascript:x)' } },
        }),
      ),
      expected: BAD(`${field}.branding.colors.primary`),
    });
    return cases;
  }
  if (kind === 'boolean') {
    for (const [name, value] of Object.entries({
      'the string "true"': 'true',
      'the number 1': 1,
      zero: 0,
      null: null,
      'an array': [true],
      'an object': {},
    })) {
      cases.push({
        mutation,
        name: `${field} is ${name}`,
        input: withValue(() => value),
        expected: BAD(field),
      });
    }
    return cases;
  }
  if (kind === 'uuids') {
    for (const [name, value] of Object.entries({
      'a single id, not a list': ids.member,
      null: null,
      'an object': {},
      'a list holding a number': [42],
      'a list holding null': [null],
      'a list holding a non-uuid': ['not-a-uuid'],
      'a list holding a SQL-looking id': [`${ids.member}' or '1'='1`],
      'a list of 101': Array.from({ length: 101 }, () => ids.member),
    })) {
      cases.push({
        mutation,
        name: `${field} is ${name}`,
        input: withValue(() => value),
        expected: BAD(field),
      });
    }
    return cases;
  }
  if (Object.hasOwn(MENTORING_KIND_VALUES, kind)) {
    const values = MENTORING_KIND_VALUES[kind as keyof typeof MENTORING_KIND_VALUES]();
    for (const [name, value] of Object.entries(values)) {
      cases.push({
        mutation,
        name: `${field} is ${name}`,
        input: withValue(() => value),
        expected: BAD(field),
      });
    }
    return cases;
  }
  if (kind === 'target') {
    const uuid = '12345678-1234-4234-8234-123456789012';
    for (const [name, value] of Object.entries({
      ...TYPE_CONFUSIONS,
      'a user id alone': uuid,
      'an unknown kind': { kind: 'message', contentId: uuid },
      'a user without an id': { kind: 'user' },
      'a user with a non-uuid id': { kind: 'user', userId: 'me' },
      'content without a kind of content': { kind: 'content', contentId: uuid },
      'content of a kind with spaces': {
        kind: 'content',
        contentKind: 'identity profile',
        contentId: uuid,
      },
      'content of a 10 kB kind': {
        kind: 'content',
        contentKind: `a.${'b'.repeat(10_000)}`,
        contentId: uuid,
      },
      'content with a SQL-looking id': {
        kind: 'content',
        contentKind: 'identity.profile.about',
        contentId: `${uuid}' or '1'='1`,
      },
    })) {
      cases.push({
        mutation,
        name: `${field} is ${name}`,
        input: withValue(() => value),
        expected: BAD(field),
      });
    }
    return cases;
  }
  if (kind === 'domains') {
    for (const [name, value] of Object.entries({
      'a string, not a list': 'new.hearth.test',
      'a number': 42,
      null: null,
      'an object': {},
      'an empty list': [],
      'a list holding a number': [42],
      'a list holding null': [null],
      'a list of 11': Array.from({ length: 11 }, (_, i) => `n${i}.hearth.test`),
      'a host with a path': ['new.hearth.test/admin'],
      'a host with a port': ['new.hearth.test:8080'],
      'a look-alike (Cyrillic а)': ['\u0430lpha.hearth.test'],
    })) {
      cases.push({
        mutation,
        name: `${field} is ${name}`,
        input: withValue(() => value),
        expected: BAD(field),
      });
    }
    for (const [oddity, make] of Object.entries(ODDITIES)) {
      cases.push({
        mutation,
        name: `${field} holding a host with ${oddity}`,
        input: withValue(() => [make('new.hearth.test')]),
        expected: BAD(field),
      });
    }
    cases.push({
      mutation,
      name: `${field} holding a 10 kB host`,
      input: withValue(() => ['x'.repeat(10_000)]),
      expected: BAD(field),
    });
    return cases;
  }

  // Text fields.
  for (const [name, value] of Object.entries(TYPE_CONFUSIONS)) {
    cases.push({
      mutation,
      name: `${field} is ${name}`,
      input: withValue(() => value),
      expected: BAD(field),
    });
  }
  cases.push({
    mutation,
    name: `${field} of 10 kB`,
    input: withValue(() => 'x'.repeat(10_000)),
    expected: BAD(field),
  });
  for (const [oddity, make] of Object.entries(ODDITIES)) {
    const expected = oddityExpectation(kind, oddity, field);
    if (!expected) continue;
    cases.push({
      mutation,
      name: `${field} with ${oddity}`,
      input: () => {
        const input = mutation.valid();
        return { ...input, [field]: make(String(input[field])) };
      },
      expected,
    });
  }
  if (kind === 'uuid') {
    for (const bad of [
      '',
      'not-a-uuid',
      '12345678-1234-4234-8234-12345678901',
      '12345678-1234-4234-8234-1234567890123',
      '{12345678-1234-4234-8234-123456789012}',
      '12345678123442348234123456789012',
      'g2345678-1234-4234-8234-123456789012',
      ' 12345678-1234-4234-8234-123456789012',
      "12345678-1234-4234-8234-123456789012' or '1'='1",
    ]) {
      cases.push({
        mutation,
        name: `${field} is the non-uuid ${JSON.stringify(bad)}`,
        input: withValue(() => bad),
        expected: BAD(field),
      });
    }
  }
  return cases;
}

/** Odd inputs about the mutation as a whole rather than one field. */
function wholeCases(mutation: Mutation): Case[] {
  // Where every field may be left out, an empty object is good input rather than bad.
  const allOptional = Object.keys(mutation.fields).every((f) => mutation.optional?.includes(f));
  const cases: Case[] = allOptional
    ? []
    : [
        {
          mutation,
          name: 'an empty object (every field named)',
          input: () => ({}),
          expected: { status: 400, field: '*' },
        },
      ];
  for (const [name, value] of Object.entries({
    null: null,
    'an array': [],
    'a string': 'x',
    'a number': 42,
  })) {
    cases.push({
      mutation,
      name: `the input is ${name}`,
      input: () => value,
      expected: BAD('_form'),
    });
  }
  const big = () => ({ ...mutation.valid(), padding: 'x'.repeat(200 * 1024) });
  cases.push({
    mutation,
    name: 'a 200 kB body',
    input: big,
    expected: { status: 413, field: null },
  });
  cases.push(
    {
      mutation,
      name: 'malformed JSON',
      rawBody: () => JSON.stringify(mutation.valid()).slice(0, -3),
      expected: { status: 400, field: null },
    },
    {
      mutation,
      name: 'an empty body',
      rawBody: () => '',
      expected: BAD('_form'),
    },
    {
      mutation,
      name: 'JSON nested 20000 deep',
      rawBody: () => `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      expected: BAD('_form'),
    },
    {
      mutation,
      name: 'a body that is not JSON (text/plain)',
      rawBody: () => JSON.stringify(mutation.valid()),
      rawHeaders: { 'content-type': 'text/plain' },
      expected: { status: 415, field: null },
    },
  );
  // The same lone surrogate as above, but typed into the JSON text by hand, as a client that
  // does not go through JSON.stringify would send it.
  for (const [field, kind] of Object.entries(mutation.fields)) {
    const expected = oddityExpectation(kind, 'a lone surrogate', field);
    if (typeof mutation.valid()[field] !== 'string' || !expected) continue;
    cases.push({
      mutation,
      name: `${field} with a lone surrogate written literally as \\ud800 in the JSON text`,
      rawBody: () => {
        const input = mutation.valid();
        const marker = '@@SURROGATE@@';
        return JSON.stringify({ ...input, [field]: `${input[field]}${marker}` }).replace(
          marker,
          '\\ud800',
        );
      },
      expected,
    });
  }
  return cases;
}

const CASES: Case[] = MUTATIONS.flatMap((mutation) => [
  ...Object.entries(mutation.fields).flatMap(([field, kind]) => fieldCases(mutation, field, kind)),
  ...wholeCases(mutation),
]);

// ---------------------------------------------------------------------------------------------
// Sending and judging

interface Outcome {
  status: number;
  code: string | undefined;
  fieldErrors: Record<string, string[]> | null | undefined;
  body: string;
}

function browserFor(caller: Caller): Browser {
  if (caller === 'admin') return admin;
  if (caller === 'platformAdmin') return platformAdmin;
  if (caller === 'lead') return lead;
  if (caller === 'member') return member;
  if (caller === 'mentor') return mentor;
  if (caller === 'senior') return senior;
  return p.browser(p.alpha.host);
}

const procedureType = (path: string) =>
  proceduresOf(hearthRouter)[path]!._def.type as 'query' | 'mutation';

async function viaClient(c: Case): Promise<Outcome> {
  const b = browserFor(c.mutation.as);
  const { client, bodies } = recordingClient(`${p.origin(p.alpha.host)}/trpc`, b.fetch);
  try {
    await callPath(client, c.mutation.path, procedureType(c.mutation.path), c.input!());
  } catch (error) {
    if (!isHearthError(error)) throw error;
    return {
      status: error.data?.httpStatus ?? -1,
      code: error.data?.code,
      fieldErrors: error.data?.fieldErrors,
      body: bodies.join('\n'),
    };
  }
  return { status: 200, code: undefined, fieldErrors: undefined, body: bodies.join('\n') };
}

async function viaFetch(c: Case): Promise<Outcome> {
  const b = browserFor(c.mutation.as);
  const response = await b.fetch(`/trpc/${c.mutation.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hearth-client': '1', ...c.rawHeaders },
    body: c.rawBody ? c.rawBody() : JSON.stringify(c.input!()),
  });
  const body = await response.text();
  const data = (JSON.parse(body) as { error?: { data?: Record<string, unknown> } }).error?.data;
  return {
    status: response.status,
    code: data?.code as string | undefined,
    fieldErrors: data?.fieldErrors as Outcome['fieldErrors'],
    body,
  };
}

/** Keys anywhere in a JSON document. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  }
  return [];
}

function expectNoInternals(body: string) {
  for (const part of body.split('\n')) {
    expect(keysOf(JSON.parse(part))).not.toContain('stack');
  }
  expect(body).not.toMatch(/node_modules|\/work\/|file:\/\/|[\w-]+\.(?:ts|js|mjs|cjs):\d+/);
  expect(body).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(/);
  expect(body).not.toMatch(/DrizzleQueryError|Failed query|PostgresError|invalid byte sequence/i);
}

async function judge(c: Case, send: (c: Case) => Promise<Outcome>) {
  const before = await tableDigests(owner);
  const outcome = await send(c);
  const after = await tableDigests(owner);
  const { expected } = c;

  expect(outcome.status, outcome.body).toBe(expected.status);
  expect(outcome.status).toBeGreaterThanOrEqual(400);
  expect(outcome.status).toBeLessThan(500);
  expectNoInternals(outcome.body);
  const keys = Object.keys(outcome.fieldErrors ?? {});
  if (expected.field === '*') {
    const notNamed = [...(c.mutation.optional ?? []), ...(c.mutation.conditional ?? [])];
    expect(keys.sort()).toEqual(
      Object.keys(c.mutation.fields)
        .filter((field) => !notNamed.includes(field))
        .sort(),
    );
  } else if (expected.field) {
    expect(keys.length, outcome.body).toBeGreaterThan(0);
    for (const key of keys) {
      expect(
        key === expected.field || key.startsWith(`${expected.field}.`),
        `${key} in ${outcome.body}`,
      ).toBe(true);
    }
    for (const messages of Object.values(outcome.fieldErrors!)) {
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect(message).toEqual(expect.any(String));
    }
  } else {
    expect(outcome.fieldErrors ?? null).toBeNull();
  }

  // Nothing changed, except the sign-in failures a refused sign-in is meant to count.
  for (const [table, state] of Object.entries(before)) {
    const adds = expected.adds?.[table] ?? 0;
    expect(after[table]!.rows, `rows of ${table}`).toBe(state.rows + adds);
    if (adds === 0) expect(after[table]!.digest, `contents of ${table}`).toBe(state.digest);
  }
  expect(Object.keys(after)).toEqual(Object.keys(before));
}

beforeAll(async () => {
  p = await startTestPlatform();
  owner = ownerConnection(p.database);
  const { provisionUser } = await import('@hearth/server');
  await provisionUser(p.database.db, {
    tenantId: p.alpha.id,
    username: 'alpha_platform',
    password: PASSWORD,
    roles: ['platform_admin'],
    email: 'platform@alpha.example.org',
  });
  admin = p.browser(p.alpha.host);
  await admin.client.identity.signIn.mutate({
    username: p.alpha.admin.username,
    password: PASSWORD,
  });
  platformAdmin = p.browser(p.alpha.host);
  await platformAdmin.client.identity.signIn.mutate({
    username: 'alpha_platform',
    password: PASSWORD,
  });
  await provisionUser(p.database.db, {
    tenantId: p.alpha.id,
    username: 'alpha_lead',
    password: PASSWORD,
    roles: ['safeguarding_lead'],
    email: 'lead@alpha.example.org',
  });
  lead = p.browser(p.alpha.host);
  await lead.client.identity.signIn.mutate({ username: 'alpha_lead', password: PASSWORD });
  const signedUp = await p.browser(p.alpha.host).client.identity.signUp.mutate({
    username: 'alpha_member',
    password: PASSWORD,
    ageBand: '16-17',
  });
  ids.member = signedUp.id;
  const invitation = await admin.client.identity.invitations.create.mutate({
    email: 'pending@alpha.example.org',
    role: 'mentor',
  });
  ids.invitation = invitation.invitation.id;
  ids.invitationToken = invitation.token;
  const concern = await lead.client.safeguarding.concerns.raise.mutate({
    subjectUserId: ids.member,
    category: 'bullying_threats',
    severity: 'medium',
    note: 'Being picked on after school',
  });
  ids.case = concern.caseId;
  member = p.browser(p.alpha.host);
  await member.client.identity.signIn.mutate({ username: 'alpha_member', password: PASSWORD });
  for (const [key, role] of [
    ['mentor', 'mentor'],
    ['senior', 'senior_mentor'],
  ] as const) {
    const username = `alpha_${key}`;
    const made = await provisionUser(p.database.db, {
      tenantId: p.alpha.id,
      username,
      password: PASSWORD,
      roles: [role],
      email: `${key}@alpha.example.org`,
    });
    ids[key] = made.userId;
    const browser = p.browser(p.alpha.host);
    await browser.client.identity.signIn.mutate({ username, password: PASSWORD });
    if (key === 'mentor') mentor = browser;
    else senior = browser;
  }
  await lead.client.safeguarding.reports.create.mutate({
    target: { kind: 'user', userId: ids.member },
    reason: 'offensive',
  });
  const [item] = await lead.client.safeguarding.moderation.list.query();
  ids.item = item!.id;
});
afterAll(async () => {
  await owner?.close();
  await p?.close();
});

describe('the cases', () => {
  test('cover every mutation of the router', () => {
    const mutations = Object.entries(proceduresOf(hearthRouter))
      .filter(
        ([, procedure]) => procedure._def.type === 'mutation' && procedure._def.inputs.length > 0,
      )
      .map(([path]) => path)
      .sort();
    expect(MUTATIONS.map((m) => m.path).sort()).toEqual(mutations);
    expect(CASES.length).toBeGreaterThan(200);
  });

  test('start from inputs that pass validation, so each case fails for its one broken part', async () => {
    for (const mutation of MUTATIONS) {
      const inputs = proceduresOf(hearthRouter)[mutation.path]!._def.inputs as {
        safeParseAsync(value: unknown): Promise<{ success: boolean; error?: unknown }>;
      }[];
      expect(inputs.length, mutation.path).toBe(1);
      const result = await inputs[0]!.safeParseAsync(mutation.valid());
      expect(result.success, `${mutation.path}: ${String(result.error)}`).toBe(true);
      expect(Object.keys(mutation.valid()).sort()).toEqual(Object.keys(mutation.fields).sort());
    }
  });
});

describe.each(MUTATIONS.map((m) => m.path))('%s', (path) => {
  const cases = CASES.filter((c) => c.mutation.path === path);
  test.each(
    cases.filter((c) => c.input).map((c) => [c.name, c] as const),
  )('client: %s', async (_, c) => {
    await judge(c, viaClient);
  });
  test.each(cases.map((c) => [c.name, c] as const))('raw HTTP: %s', async (_, c) => {
    await judge(c, viaFetch);
  });
});

describe('look-alikes and rule breaches that pass validation', () => {
  const signUp = MUTATIONS.find((m) => m.path === 'identity.signUp')!;
  const accept = MUTATIONS.find((m) => m.path === 'identity.invitations.accept')!;
  const create = MUTATIONS.find((m) => m.path === 'tenancy.tenants.create')!;
  const disable = MUTATIONS.find((m) => m.path === 'identity.users.disable')!;
  const invite = MUTATIONS.find((m) => m.path === 'identity.invitations.create')!;
  const taken: Expected = { status: 409, field: 'username' };
  test.each([
    ['sign-up as a full-width alpha_admin', signUp, { username: fullwidth('alpha_admin') }, taken],
    ['sign-up as 𝐚𝐥𝐩𝐡𝐚_𝐚𝐝𝐦𝐢𝐧 (mathematical bold)', signUp, { username: '𝐚𝐥𝐩𝐡𝐚_𝐚𝐝𝐦𝐢𝐧' }, taken],
    ['sign-up as ALPHA_ADMIN', signUp, { username: 'ALPHA_ADMIN' }, taken],
    [
      'sign-up as a Cyrillic look-alike of alpha_admin',
      signUp,
      { username: '\u0430lpha_admin' },
      BAD('username'),
    ],
    [
      'accepting as a full-width alpha_admin',
      accept,
      { username: fullwidth('alpha_admin') },
      taken,
    ],
    ['disabling oneself', disable, () => ({ userId: p.alpha.adminId }), BAD('userId')],
    ['inviting a platform admin', invite, { role: 'platform_admin' }, BAD('role')],
    [
      'inviting someone who has an account',
      invite,
      { email: 'ADMIN@alpha.example.org' },
      { status: 409, field: 'email' },
    ],
    ['a tenant with a slug in use', create, { slug: 'alpha' }, { status: 409, field: 'slug' }],
    [
      'a tenant with a host in use',
      create,
      { domains: ['alpha.hearth.test'] },
      { status: 409, field: 'domains' },
    ],
    [
      'a tenant with a host in use, in capitals',
      create,
      { domains: ['ALPHA.Hearth.Test.'] },
      BAD('domains'),
    ],
    [
      'a tenant with a host in use, in capitals without the dot',
      create,
      { domains: ['ALPHA.Hearth.Test'] },
      { status: 409, field: 'domains' },
    ],
  ] as const)('%s', async (name, mutation, change, expected) => {
    const input = () => ({
      ...mutation.valid(),
      ...(typeof change === 'function' ? change() : change),
    });
    await judge({ mutation, name, input, expected }, viaClient);
    await judge({ mutation, name, input, expected }, viaFetch);
  });
});

describe('the body size limit, on both adapters', () => {
  const body = JSON.stringify({
    username: 'x'.repeat(200 * 1024),
    password: PASSWORD,
    ageBand: '16-17',
  });

  test('Node adapter: 413 with or without a declared length', async () => {
    for (const chunked of [false, true]) {
      const before = await tableDigests(owner);
      const response = await p.browser(p.alpha.host).fetch('/trpc/identity.signUp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hearth-client': '1' },
        body: chunked
          ? new ReadableStream({
              start(controller) {
                controller.enqueue(new TextEncoder().encode(body));
                controller.close();
              },
            })
          : body,
        ...(chunked ? { duplex: 'half' } : {}),
      } as RequestInit);
      expect(response.status).toBe(413);
      expectNoInternals(await response.text());
      expect(await tableDigests(owner)).toEqual(before);
    }
  });

  test('fetch adapter (platform.handler): 413 with or without a declared length', async () => {
    const platform = createPlatform({ db: p.database.db, secret: SECRET });
    const url = `http://${p.alpha.host}/trpc/identity.signUp`;
    const headers = { 'content-type': 'application/json', 'x-hearth-client': '1' };
    const before = await tableDigests(owner);
    const declared = await platform.handler(
      new Request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        body,
      }),
    );
    expect(declared.status).toBe(413);
    expectNoInternals(await declared.text());
    const undeclared = await platform.handler(new Request(url, { method: 'POST', headers, body }));
    expect(undeclared.status).toBe(413);
    expectNoInternals(await undeclared.text());
    // A length that is not a number must not let the body past the limit unmeasured.
    for (const length of ['abc', '', '-1', '1e9x']) {
      const garbled = await platform.handler(
        new Request(url, {
          method: 'POST',
          headers: { ...headers, 'content-length': length },
          body,
        }),
      );
      expect(garbled.status, `content-length ${JSON.stringify(length)}`).toBe(413);
    }
    expect(await tableDigests(owner)).toEqual(before);
  });
});

describe('queries that take input', () => {
  const query = (path: string, input: unknown): Case => ({
    mutation: { path, as: 'admin', valid: () => ({}), fields: {} },
    name: path,
    input: () => input,
    expected: BAD('_form'),
  });
  async function viaGet(c: Case, search: string): Promise<Outcome> {
    const response = await admin.fetch(`/trpc/${c.mutation.path}?${search}`);
    const body = await response.text();
    const data = (JSON.parse(body) as { error?: { data?: Record<string, unknown> } }).error?.data;
    return {
      status: response.status,
      code: data?.code as string | undefined,
      fieldErrors: data?.fieldErrors as Outcome['fieldErrors'],
      body,
    };
  }
  const limits = { zero: 0, 'too many': 101, 'a fraction': 1.5, 'a string': '10', huge: 1e300 };
  const cursors = {
    'a number': 42,
    null: null,
    'a NUL byte': 'ab\u0000c',
    'a lone surrogate': 'abc\uD800',
    'a right-to-left override': '\u202Eabc',
    '10 kB': 'x'.repeat(10_000),
  };
  test.each([
    ...Object.entries(limits).map(([name, limit]) => [
      `identity.users.list, limit is ${name}`,
      'identity.users.list',
      { limit },
      'limit',
    ]),
    ...Object.entries(cursors).map(([name, after]) => [
      `identity.users.list, cursor is ${name}`,
      'identity.users.list',
      { after },
      'after',
    ]),
    ...Object.entries(limits).map(([name, limit]) => [
      `tenancy.config.history, limit is ${name}`,
      'tenancy.config.history',
      { limit },
      'limit',
    ]),
    ['identity.users.list, input is a string', 'identity.users.list', 'x', '_form'],
    ['tenancy.config.history, input is an array', 'tenancy.config.history', [], '_form'],
  ] as [string, string, unknown, string][])('%s', async (_, path, input, field) => {
    const c = { ...query(path, input), expected: BAD(field) };
    await judge(c, viaClient);
    await judge(c, (x) => viaGet(x, `input=${encodeURIComponent(JSON.stringify(input))}`));
  });

  test.each([
    ['malformed JSON in ?input', 'input=%7B%22limit%22%3A', 400],
    [
      'a lone surrogate written literally in ?input',
      'input=%7B%22after%22%3A%22ab%5Cud800%22%7D',
      400,
    ],
  ] as const)('%s', async (_, search, status) => {
    const c = query('identity.users.list', undefined);
    await judge(
      { ...c, expected: { status, field: search.includes('after') ? 'after' : null } },
      (x) => viaGet(x, search),
    );
  });

  test('a query sent as POST, and a mutation sent as GET, are refused', async () => {
    const before = await tableDigests(owner);
    const post = await admin.fetch('/trpc/identity.users.list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hearth-client': '1' },
      body: '{}',
    });
    expect(post.status).toBe(405);
    expectNoInternals(await post.text());
    const get = await admin.fetch(
      `/trpc/identity.users.disable?input=${encodeURIComponent(JSON.stringify({ userId: ids.member }))}`,
    );
    expect(get.status).toBe(405);
    expectNoInternals(await get.text());
    expect(await tableDigests(owner)).toEqual(before);
  });

  test('a 50 kB query string is refused before it reaches the API', async () => {
    const response = await admin.fetch(
      `/trpc/identity.users.list?input=${encodeURIComponent(JSON.stringify({ after: 'x'.repeat(50_000) }))}`,
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).not.toMatch(/node_modules|\/work\/|\n\s+at /);
  });
});
