import { type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import type { ZodError } from 'zod';

/** Messages keyed by field path (`branding.colors.primary`); `_form` for the input as a whole. */
export type FieldErrors = Record<string, string[]>;

/** Carries field-level messages from a handler to the client, like a failed input parse does. */
export class FieldErrorCause extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super('Invalid fields');
    this.name = 'FieldErrorCause';
  }
}

/** A rejection the user can act on: a 4xx with a message for each field concerned. */
export function fieldError(
  code: TRPC_ERROR_CODE_KEY,
  fieldErrors: FieldErrors,
  message = firstMessage(fieldErrors),
): TRPCError {
  return new TRPCError({ code, message, cause: new FieldErrorCause(fieldErrors) });
}

function firstMessage(fieldErrors: FieldErrors): string {
  for (const messages of Object.values(fieldErrors)) if (messages[0]) return messages[0];
  return 'Some details need to be corrected';
}

export function zodFieldErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length === 0 ? '_form' : issue.path.map(String).join('.');
    const list = out[key] ?? [];
    list.push(issue.message);
    out[key] = list;
  }
  return out;
}

/** The same answer for "does not exist" and "belongs to another organisation". */
export function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} not found` });
}

/**
 * A failure whose writes are kept: the transaction commits, then the caller gets the error.
 * For refusals that must leave a trace (a failed sign-in is counted, then refused). Throw it
 * only when every write the procedure made so far is meant to last.
 */
export class CommitThenFail extends TRPCError {}
