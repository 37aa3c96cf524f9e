import type { HearthErrorData, HearthRouter } from '@hearth/server';
import {
  createTRPCClientProxy,
  httpSubscriptionLink,
  type TRPCClient,
  TRPCClientError,
  type TRPCLink,
} from '@trpc/client';
import type { AnyTRPCRouter, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { BatchingClient } from './calls.js';

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
  /**
   * The `EventSource` class for live subscriptions, where the runtime has none (Node.js before
   * 22: the `eventsource` package). Browsers have their own.
   */
  EventSource?: EventSourceConstructor;
  /** Options for each `EventSource`, such as a `fetch` that carries cookies in Node.js. */
  eventSourceOptions?: Record<string, unknown>;
}

/** An `EventSource` class: the browser's, or one such as the `eventsource` package's. */
// biome-ignore lint/suspicious/noExplicitAny: EventSource classes differ in their options and events
export type EventSourceConstructor = new (url: string, init?: any) => any;

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
  const maxItems = options.maxBatchSize ?? 10;
  if (!Number.isInteger(maxItems) || maxItems < 1) {
    throw new TypeError('createHearthClient: maxBatchSize must be a whole number, 1 or more');
  }
  const EventSourceClass =
    options.EventSource ??
    (globalThis as { EventSource?: EventSourceConstructor }).EventSource ??
    missingEventSource;
  // Live subscriptions arrive as server-sent events; the browser sends the session cookie.
  const live = httpSubscriptionLink<HearthRouter, EventSourceConstructor>({
    url: options.url,
    EventSource: EventSourceClass,
    eventSourceOptions: { withCredentials: true, ...options.eventSourceOptions },
  }) as unknown as TRPCLink<AnyTRPCRouter>;
  // Queries and mutations are batched per tick, as tRPC's httpBatchLink does (see calls.ts).
  // Hearth's router uses no transformer, so answers are plain JSON.
  const untyped = new BatchingClient([live], {
    url: options.url,
    maxItems,
    headers: () => ({ ...options.headers, [CLIENT_HEADER]: '1' }),
    fetch: (input, init) =>
      fetchImpl(input as Parameters<typeof fetch>[0], { ...init, credentials: 'include' }),
  });
  return createTRPCClientProxy(untyped) as unknown as HearthClient<TRouter>;
}

const missingEventSource = function missingEventSource() {
  throw new TypeError(
    'Live subscriptions need an EventSource: pass createHearthClient({ EventSource }) (in Node.js before 22, from the "eventsource" package)',
  );
} as unknown as EventSourceConstructor;

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
