import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
  getErrorShape,
  getTRPCErrorFromUnknown,
  TRPCError,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';

/**
 * Plain calls — queries and mutations with JSON input, batched or not — answered on Node's own
 * request and response, with the router's own procedures, error shapes and status codes.
 *
 * tRPC's Node adapter turns each request into a Fetch API `Request` (a web stream for its body,
 * Headers, an AbortController and several combined signals) and its answer into a `Response`
 * piped through a `WritableStream`. For a JSON call of a few hundred bytes that machinery costs
 * more CPU than the procedure's own checks. Everything this does not recognise as a plain call
 * (subscriptions, other content types, unknown or mistyped procedures, paths that need
 * decoding, lazy routers, connection parameters) is left to tRPC's handler, and what
 * it does answer it must answer exactly as tRPC would: `tests/server/direct-calls.test.ts`
 * sends the same requests to both and compares status, headers and bodies.
 */
export interface DirectCallOptions {
  router: AnyTRPCRouter;
  /** The API's path prefix with its trailing slash, e.g. `/trpc/`. */
  prefix: string;
  maxBodySize: number;
  createContext(req: IncomingMessage, res: ServerResponse): unknown;
  onError(error: TRPCError, path: string | undefined): void;
}

interface PlainCall {
  readonly paths: string[];
  readonly procedures: AnyTRPCProcedure[];
  readonly type: 'query' | 'mutation';
  readonly batch: boolean;
  readonly query: URLSearchParams;
}

/**
 * Whether the router sends data as it is (no transformer such as superjson): the only kind
 * whose calls are answered here.
 */
export function sendsPlainJson(router: AnyTRPCRouter): boolean {
  const { transformer } = router._def._config;
  const probe = {};
  return (
    transformer.input.deserialize(probe) === probe && transformer.output.serialize(probe) === probe
  );
}

/** Names as Hearth and most routers spell them: nothing a URL would encode or normalise. */
const plainPath = /^[A-Za-z0-9_$.,-]+$/;

type Inputs = Record<number, unknown>;

/**
 * Answers `req` if it is a plain call and returns true; returns false, having read and written
 * nothing, when it is not.
 */
export function answerDirectCall(
  options: DirectCallOptions,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const call = recognise(options, req);
  if (!call) return false;
  void answer(options, call, req, res).catch((cause) => {
    // Only writing the answer can fail here (every call's own failure is part of the answer).
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end();
    } else {
      res.destroy(cause instanceof Error ? cause : undefined);
    }
  });
  return true;
}

function recognise(options: DirectCallOptions, req: IncomingMessage): PlainCall | null {
  const method = req.method;
  if (method !== 'GET' && method !== 'POST') return null;
  const contentType = req.headers['content-type'];
  if (contentType === undefined ? method === 'POST' : !isJson(contentType)) return null;

  const url = req.url ?? '';
  if (!url.startsWith(options.prefix)) return null;
  const mark = url.indexOf('?');
  const path = url.slice(options.prefix.length, mark < 0 ? undefined : mark);
  if (!plainPath.test(path)) return null;
  const rawQuery = mark < 0 ? '' : url.slice(mark + 1);
  if (rawQuery.includes('#')) return null;
  const query = new URLSearchParams(rawQuery);
  if (query.has('connectionParams')) return null;

  const batch = query.get('batch') === '1';
  const paths = batch ? path.split(',') : [path];
  const procedures: AnyTRPCProcedure[] = [];
  let type: 'query' | 'mutation' | undefined;
  const known = options.router._def.procedures as Record<string, AnyTRPCProcedure>;
  for (const name of paths) {
    // Own entries only: `constructor` or `__proto__` must not find Object's.
    if (!Object.hasOwn(known, name)) return null;
    const procedure = known[name];
    if (typeof procedure !== 'function') return null;
    const kind = procedure._def.type;
    if (kind === 'subscription' || (type !== undefined && kind !== type)) return null;
    type = kind;
    procedures.push(procedure);
  }
  if (type === undefined) return null;
  if ((type === 'query') !== (method === 'GET')) return null;
  return { paths, procedures, type, batch, query };
}

/** Media types are case-insensitive, and parameters (`; charset=utf-8`) do not change them. */
function isJson(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const media = semicolon < 0 ? contentType : contentType.slice(0, semicolon);
  return media.trim().toLowerCase() === 'application/json';
}

async function answer(
  options: DirectCallOptions,
  call: PlainCall,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // Procedures may watch for the client leaving, as they can under tRPC's adapter.
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) abort.abort();
  });
  const config = options.router._def._config;
  let ctx: unknown;
  let ctxError: TRPCError | undefined;
  try {
    ctx = options.createContext(req, res);
  } catch (cause) {
    ctxError = getTRPCErrorFromUnknown(cause);
  }

  let stored: Inputs | undefined;
  let reading: Promise<Inputs> | undefined;
  const readInputs = async (): Promise<Inputs> => {
    if (stored) return stored;
    reading ??= parseInputs(call, req, options.maxBodySize).catch((cause: unknown) => {
      throw cause instanceof TRPCError
        ? cause
        : new TRPCError({
            code: 'BAD_REQUEST',
            message: cause instanceof Error ? cause.message : 'Invalid input',
            cause,
          });
    });
    stored = await reading;
    reading = undefined;
    return stored;
  };

  const results = await Promise.all(
    call.procedures.map(async (procedure, index): Promise<[TRPCError | undefined, unknown]> => {
      const path = call.paths[index]!;
      try {
        if (ctxError) throw ctxError;
        const data: unknown = await procedure({
          path,
          getRawInput: async () => (await readInputs())[index],
          ctx,
          type: call.type,
          signal: abort.signal,
          batchIndex: index,
        });
        return [undefined, data];
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        options.onError(error, path);
        return [error, undefined];
      }
    }),
  );

  const shape = (error: TRPCError, path: string | undefined, index: number) =>
    getErrorShape({
      config,
      ctx,
      error,
      input: path === undefined ? undefined : stored?.[index],
      path,
      type: call.type,
    });
  let envelopes: ({ result: { data: unknown } } | { error: unknown })[];
  let errors: (TRPCError | undefined)[];
  if (!call.batch) {
    let [error, data] = results[0]!;
    let path: string | undefined = call.paths[0];
    if (!error && isDataStream(data)) {
      // tRPC reports this like a failure of the request as a whole: without the path.
      error = streamLikeAnswer();
      path = undefined;
      options.onError(error, undefined);
    }
    envelopes = [error ? { error: shape(error, path, 0) } : { result: { data } }];
    errors = error ? [error] : [];
  } else {
    errors = [];
    envelopes = results.map(([error, data], index) => {
      const failure = error ?? (isDataStream(data) ? streamLikeAnswer() : undefined);
      errors.push(failure);
      return failure ? { error: shape(failure, call.paths[index], index) } : { result: { data } };
    });
  }
  const status = getHTTPStatusCode(envelopes as never, errors as TRPCError[]);
  const body = JSON.stringify(call.batch ? envelopes : envelopes[0]);
  if (res.statusCode === 200) res.statusCode = status;
  res.setHeader('vary', 'trpc-accept, accept');
  res.setHeader('content-type', 'application/json');
  res.end(body);
}

function streamLikeAnswer(): TRPCError {
  return new TRPCError({
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
  });
}

async function parseInputs(call: PlainCall, req: IncomingMessage, max: number): Promise<Inputs> {
  let raw: string | null;
  if (call.type === 'query') {
    raw = call.query.get('input');
  } else {
    raw = await readBody(req, max);
  }
  const inputs: unknown = raw ? JSON.parse(raw) : undefined;
  const out: Inputs = Object.create(null);
  if (inputs === undefined) return out;
  if (!call.batch) {
    out[0] = inputs;
    return out;
  }
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: '"input" needs to be an object when doing a batch call',
    });
  }
  for (let index = 0; index < call.paths.length; index++) {
    const input = (inputs as Record<number, unknown>)[index];
    if (input !== undefined) out[index] = input;
  }
  return out;
}

/** The body as text (a leading byte-order mark dropped, as `Request.text()` does). */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      done();
      reject(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
    };
    const onEnd = () => {
      done();
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      resolve(bytes.toString('utf8', bom ? 3 : 0));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** As tRPC judges it: an answer holding promises or async iterables needs a streaming link. */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Symbol.asyncIterator in value) return true;
  const values = Object.values(value);
  return values.some(isPromise) || values.some(isAsyncIterable);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPromise(value: unknown): boolean {
  return (
    (isObject(value) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function' &&
    typeof (value as { catch?: unknown }).catch === 'function'
  );
}

function isAsyncIterable(value: unknown): boolean {
  return isObject(value) && Symbol.asyncIterator in value;
}
