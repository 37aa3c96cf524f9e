import type { HearthErrorData, HearthRouter } from '@hearth/server';
import {
  createTRPCClient,
  httpBatchLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
} from '@trpc/client';
import type { AnyTRPCRouter, inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/** Sent with every call; the server refuses mutations without it (cross-site protection). */
const CLIENT_HEADER = 'x-hearth-client';

export interface HearthClientOptions {
  /**
   * The API's address: absolute, or relative to the page in a browser.
   * @example 'https://support.example.org/trpc'
   */
  url: string;
  /** A fetch to use instead of the global one (tests, cookie jars, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * Most calls combined into one HTTP request.
   * @default 10
   */
  maxBatchSize?: number;
}

export type HearthClient<TRouter extends AnyTRPCRouter = HearthRouter> = TRPCClient<TRouter>;

/**
 * A typed client for a Hearth server. Pass your platform's router type when you added routes:
 * `createHearthClient<typeof platform.router>({ url })`. Calls made in the same tick are
 * batched into one request.
 */
export function createHearthClient<TRouter extends AnyTRPCRouter = HearthRouter>(
  options: HearthClientOptions,
): HearthClient<TRouter> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  // Hearth's router uses no transformer; tRPC cannot see that through a generic router type.
  const batch = httpBatchLink<HearthRouter>({
    url: options.url,
    maxItems: options.maxBatchSize ?? 10,
    headers: () => ({ ...options.headers, [CLIENT_HEADER]: '1' }),
    fetch: (input, init) =>
      fetchImpl(input as Parameters<typeof fetch>[0], {
        ...(init as RequestInit),
        credentials: 'include',
      }),
  }) as unknown as TRPCLink<TRouter>;
  return createTRPCClient<TRouter>({ links: [batch] });
}

/** An error answered by a Hearth server, with its code, status and per-field messages. */
export type HearthClientError = TRPCClientError<HearthRouter> & {
  data: HearthErrorData | undefined;
};

export function isHearthError(error: unknown): error is HearthClientError {
  return error instanceof TRPCClientError;
}

/** Messages per input field (`{ username: ['That username is taken — try another'] }`), or `{}`. */
export function getFieldErrors(error: unknown): Record<string, string[]> {
  return isHearthError(error) ? (error.data?.fieldErrors ?? {}) : {};
}

/** The error's code (`'NOT_FOUND'`, `'UNAUTHORIZED'`, …), or `'UNKNOWN'` for a network failure. */
export function getErrorCode(error: unknown): string {
  return isHearthError(error) ? (error.data?.code ?? 'UNKNOWN') : 'UNKNOWN';
}

export type { HearthRouter };
export { TRPCClientError };

/** What each procedure accepts, e.g. `HearthInputs['identity']['signUp']`. */
export type HearthInputs<TRouter extends AnyTRPCRouter = HearthRouter> = inferRouterInputs<TRouter>;
/** What each procedure returns, e.g. `HearthOutputs['tenancy']['branding']`. */
export type HearthOutputs<TRouter extends AnyTRPCRouter = HearthRouter> =
  inferRouterOutputs<TRouter>;
