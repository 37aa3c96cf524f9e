import { getErrorCode, getFieldErrors, isHearthError } from '@hearth/client';

/**
 * Words for a person about a failed call: the server's own message where it wrote one for
 * people (validation, refusals), and a calm generic one for anything else.
 */
export function describeError(error: unknown): string {
  if (!error) return '';
  const code = getErrorCode(error);
  if (code === 'UNKNOWN' || code === 'INTERNAL_SERVER_ERROR') {
    return 'Something went wrong on our side, or the connection dropped. Please try again.';
  }
  if (code === 'TOO_MANY_REQUESTS')
    return 'That was a lot of tries. Please wait a moment and try again.';
  if (isHearthError(error) && error.message) return error.message;
  return 'That did not work. Please try again.';
}

/** Messages per field for react-aria-components' `<Form validationErrors>`. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return getFieldErrors(error);
}

/** A polite, announced error line, or nothing. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="hearth-error" role="alert">
      {describeError(error)}
    </p>
  );
}

/**
 * A form's error line: nothing when the error is about fields, which the form shows beside
 * them (`validationErrors={fieldErrorsOf(error)}`).
 */
export function FormErrorText({ error }: { error: unknown }) {
  if (Object.keys(fieldErrorsOf(error)).length > 0) return null;
  return <ErrorText error={error} />;
}
