/**
 * The zod that `@mlh/core` and the adapters build their schemas with, as one entry,
 * `@mlh/core/zod`: the adapters' Node and CommonJS builds import it instead of `zod/mini`, so a
 * process loads one copy of zod. Under Node (the `node` export condition) it is the copy bundled
 * into core's Node build, one file instead of zod's hundred; elsewhere it is `zod/mini` itself.
 *
 * Named, not `export *`: everything re-exported is kept in that file, and all of `zod/mini` (with
 * its `locales`, JSON Schema and `compile`) is several times what the SDK uses. A build that reads
 * a name missing here fails, naming it (`tsup.shared.ts`).
 *
 * Applications import `zod/mini` (or `zod`) themselves, not this entry; zod's schemas and errors
 * work across copies.
 *
 * @internal
 * @packageDocumentation
 */
export {
  _default,
  array,
  bigint,
  boolean,
  catch,
  config,
  custom,
  enum,
  extend,
  gte,
  int,
  iso,
  lazy,
  length,
  literal,
  looseObject,
  lt,
  maxLength,
  minLength,
  nonnegative,
  null,
  nullable,
  nullish,
  number,
  object,
  optional,
  partial,
  pipe,
  positive,
  record,
  refine,
  regex,
  safeParse,
  string,
  superRefine,
  transform,
  trim,
  union,
  unknown,
  url,
} from 'zod/mini';
