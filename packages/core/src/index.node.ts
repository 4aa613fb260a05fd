/**
 * The entry of `@mlh/core` under the `node` export condition: everything the portable entry
 * exports, with `parseOrThrow` on the fast path of `fast-parse` (plain closures, no `eval`). It is
 * kept out of the portable entry only for size: browser and Workers bundles stay as they were.
 */
import { FAILED, fastParse } from './fast-parse';
import { installFastPath } from './fast-path-hook';

installFastPath({ parse: fastParse, failed: FAILED });

export * from './index';
