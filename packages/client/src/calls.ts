import { TRPCClientError, type TRPCLink, TRPCUntypedClient } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';

/**
 * Queries and mutations, sent as tRPC's `httpBatchLink` sends them — the calls of one type made
 * before the next timer tick go in one request (`GET …/a,b?batch=1&input=…` for queries, a POST
 * with the inputs as JSON for mutations), at most `maxItems` to a request — and answered with
 * the same values and the same `TRPCClientError`s. What it leaves out is tRPC's per-call
 * machinery (an observable chain, two abort controllers and a signal race per call, an abort
 * with its `DOMException` after every answer), about as much CPU in the messaging benchmark's
 * profile as the fetch itself. `tests/client/calls.test.ts` sends the same calls through both and
 * compares requests, answers and errors.
 */
export interface BatchOptions {
  url: string;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  headers(): Record<string, string>;
  maxItems: number;
}

type CallType = 'query' | 'mutation';

interface Pending {
  path: string;
  input: unknown;
  signal: AbortSignal | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Meta = { response: Response; responseJSON: unknown } & Record<string, unknown>;

/** tRPC's error for an answer that is not a result or an error envelope. */
class TransformResultError extends Error {
  constructor() {
    super('Unable to transform response from server');
  }
}

/** The calls of one type waiting for the next tick. */
class Batcher {
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The API's address without its query, which goes first in every request's own. */
  private readonly base: string;
  private readonly search: string;

  constructor(
    private readonly type: CallType,
    private readonly options: BatchOptions,
  ) {
    const [base = '', query] = options.url.split('?');
    this.base = `${base.replace(/\/$/, '')}/`;
    this.search = query ? `?${query}&batch=1` : '?batch=1';
  }

  call(path: string, input: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push({ path, input, signal, resolve, reject });
      if (this.timer === null) this.timer = setTimeout(() => this.dispatch());
    });
  }

  private dispatch(): void {
    const calls = this.pending;
    this.pending = [];
    this.timer = null;
    for (let start = 0; start < calls.length; start += this.options.maxItems) {
      void this.send(calls.slice(start, start + this.options.maxItems));
    }
  }

  private async send(calls: Pending[]): Promise<void> {
    try {
      const signal = allAborted(calls);
      signal?.throwIfAborted();
      const inputs: Record<number, unknown> = {};
      for (let i = 0; i < calls.length; i++) inputs[i] = calls[i]!.input;
      const encoded = JSON.stringify(inputs);
      let search = this.search;
      const init: RequestInit = { method: this.type === 'query' ? 'GET' : 'POST' };
      let headers = this.options.headers();
      if (this.type === 'query') {
        search += `&input=${encodeURIComponent(encoded)}`;
      } else {
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
          headers = { 'content-type': 'application/json', ...headers };
        }
        init.body = encoded;
      }
      init.headers = headers;
      if (signal) init.signal = signal;
      const paths = calls.map((call) => call.path).join(',');
      const response = await this.options.fetch(`${this.base}${paths}${search}`, init);
      const json: unknown = await response.json();
      const meta: Meta = { response, responseJSON: json };
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i]!;
        if (!Array.isArray(json)) settle(call, json, meta);
        else if (i < json.length) settle(call, json[i], meta);
        else call.reject(TRPCClientError.from(new Error('Missing result'), { meta: undefined }));
      }
    } catch (cause) {
      // As tRPC's link: a request that failed, or an answer that was not JSON, has no meta.
      for (const call of calls)
        call.reject(TRPCClientError.from(cause as Error, { meta: undefined }));
    }
  }
}

/** One call's answer, judged as tRPC's `transformResult` judges it. */
function settle(call: Pending, item: unknown, meta: Meta): void {
  if (typeof item !== 'object' || item === null) {
    call.reject(TRPCClientError.from(new TransformResultError(), { meta }));
    return;
  }
  if ('error' in item) {
    const error = (item as { error: unknown }).error;
    if (!isObject(error) || typeof error.code !== 'number') {
      call.reject(TRPCClientError.from(new TransformResultError(), { meta }));
      return;
    }
    call.reject(TRPCClientError.from(item, { meta }));
    return;
  }
  const result: unknown = (item as { result?: unknown }).result;
  if (result === undefined || result === null) {
    call.reject(TRPCClientError.from(new TransformResultError(), { meta }));
    return;
  }
  // Whatever else the result is, its `data` is the answer (undefined when it has none).
  call.resolve((Object(result) as { data?: unknown }).data);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A signal for the request that aborts (with the default reason) once every call in it was
 * aborted, as tRPC's does; none when some call cannot be aborted, since such a request is never
 * cut short.
 */
function allAborted(calls: Pending[]): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  for (const call of calls) {
    if (!call.signal) return undefined;
    signals.push(call.signal);
  }
  const controller = new AbortController();
  let aborted = 0;
  const onAbort = () => {
    if (++aborted === signals.length) controller.abort();
  };
  for (const signal of signals) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  return controller.signal;
}

/**
 * tRPC's untyped client with its queries and mutations sent by `Batcher`s; subscriptions go
 * through its links as before.
 */
export class BatchingClient extends TRPCUntypedClient<AnyTRPCRouter> {
  private readonly queries: Batcher;
  private readonly mutations: Batcher;

  constructor(links: TRPCLink<AnyTRPCRouter>[], options: BatchOptions) {
    super({ links });
    this.queries = new Batcher('query', options);
    this.mutations = new Batcher('mutation', options);
  }

  override query(path: string, input?: unknown, opts?: { signal?: AbortSignal }) {
    return this.queries.call(path, input, opts?.signal);
  }

  override mutation(path: string, input?: unknown, opts?: { signal?: AbortSignal }) {
    return this.mutations.call(path, input, opts?.signal);
  }
}
