/**
 * The entry of `@mlh/core` under the `node` export condition: everything the portable entry
 * exports, with `parseOrThrow` on the fast path of `fast-parse` (plain closures, no `eval`). It is
 * kept out of the portable entry only for size: browser and Workers bundles stay as they were.
 */
import * as z from 'zod/mini';
import { FAILED, fastParse } from './fast-parse';
import { installFastSafeParse } from './fast-path-hook';

installFastSafeParse((schema, value) => {
  const fast = fastParse(schema, value);
  // Only a bad value goes to zod, which names its issues.
  return fast === FAILED ? z.safeParse(schema, value) : { success: true, data: fast };
});

export * from './index';
