import type * as z from 'zod/mini';

/** A faster success path for `parseOrThrow`: the parsed value, or `failed` to parse with zod. */
export interface FastPath {
  parse(schema: z.core.$ZodType, value: unknown): unknown;
  failed: symbol;
}

/** The fast path `parseOrThrow` tries first; installed by the Node entry (`index.node`). */
export let fastPath: FastPath | undefined;

/** Installs the fast path `parseOrThrow` tries before zod. */
export function installFastPath(path: FastPath): void {
  fastPath = path;
}
