import type * as z from 'zod/mini';

/** What `parseOrThrow` reads a value with: `z.safeParse`'s answer, the data or the issues. */
export type SafeParse = (
  schema: z.core.$ZodType,
  value: unknown,
  owned?: boolean,
) => { success: true; data: unknown } | { success: false; error: { issues: z.core.$ZodIssue[] } };

/** A faster `z.safeParse` with the same answers; installed by the Node entry (`index.node`). */
export let fastSafeParse: SafeParse | undefined;

/** Installs the faster `z.safeParse` that `parseOrThrow` uses. */
export function installFastSafeParse(parse: SafeParse): void {
  fastSafeParse = parse;
}
