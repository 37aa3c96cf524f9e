import type { AnyRouter } from '@trpc/server';
import type { Context } from '../context.js';
import type { Platform } from '../platform.js';
import type { RequestInfo } from './request.js';

/** Largest request body accepted (bytes); larger ones get 413 before any parsing. */
export const MAX_BODY_BYTES = 100 * 1024;

export function createContext(platform: Platform<AnyRouter>, request: RequestInfo): Context {
  return { runtime: platform.runtime, request };
}

/** Logs unexpected failures on the server; clients only ever see a generic message. */
export function reportError(
  error: { code: string; message: string; cause?: unknown },
  path?: string,
) {
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    console.error(
      `[hearth] ${path ?? '(unknown procedure)'} failed:`,
      error.cause ?? error.message,
    );
  }
}
