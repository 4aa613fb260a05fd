import { parseOrThrow } from '@mlh/core';
import type * as z from 'zod/mini';

/*
 * A fast path for the response schemas: the zod schema stays the one definition of what is
 * accepted, and a reader compiled from it once accepts the common, well-formed payload without
 * zod's per-call costs (a new object for every object parsed, a result record per field, a copy
 * of every unknown key). The reader checks the same things zod checks and applies the same
 * transforms; it leaves the input untouched and copies an object only where a transform changed
 * one of its fields (Shopee's numeric ids become strings), so unknown fields stay where they are.
 * Anything it does not fully understand (a schema construct, a missing field, a wrong type) makes
 * it give up, and zod parses the value as before: same result, same typed error naming the field.
 * It belongs in core, for every adapter; @mlh/shopee does not use it yet (its lean client sits at
 * its 50 KB bundle limit, and this costs about 1 KB gzip).
 */

/** What a reader returns when it cannot vouch for the value: zod decides then. */
const GIVE_UP: unique symbol = Symbol('give up');

type Reader = (value: unknown) => unknown;

interface ZodInternals {
  def: Record<string, unknown> & { type: string; checks?: readonly ZodCheck[] };
  optin?: 'optional' | 'defaulted' | undefined;
  optout?: 'optional' | undefined;
}

interface ZodCheck {
  _zod: {
    def: Record<string, unknown> & { check: string; when?: (payload: CheckPayload) => boolean };
    check(payload: CheckPayload): unknown;
  };
}

interface CheckPayload {
  value: unknown;
  issues: unknown[];
}

function internals(schema: unknown): ZodInternals | undefined {
  const zod = (schema as { _zod?: ZodInternals } | null | undefined)?._zod;
  return zod && typeof zod.def?.type === 'string' ? zod : undefined;
}

/** A check as a predicate; the common ones inline, any other one run as zod runs it. */
function checkOf(check: ZodCheck): ((value: unknown) => boolean) | undefined {
  const def = check._zod.def;
  if (def.check === 'min_length' && typeof def.minimum === 'number' && def.minimum <= 1) {
    // At most one code point asked for: counting UTF-16 units gives the same answer. (zod's
    // `when` only skips values without a length; a reader checks strings and arrays only.)
    const minimum = def.minimum;
    return (value) => (value as string).length >= minimum;
  }
  if (def.check === 'number_format' && def.format === 'safeint') {
    return (value) => Number.isSafeInteger(value);
  }
  if (def.check === 'string_format' && def.format === 'regex' && def.pattern instanceof RegExp && !def.when) {
    const pattern = def.pattern;
    return (value) => {
      pattern.lastIndex = 0;
      return pattern.test(value as string);
    };
  }
  if (typeof check._zod.check !== 'function') return undefined;
  return (value) => {
    const payload: CheckPayload = { value, issues: [] };
    if (def.when && !def.when(payload)) return true;
    const outcome = check._zod.check(payload);
    return !(outcome instanceof Promise) && payload.issues.length === 0;
  };
}

function withChecks(zod: ZodInternals, reader: Reader): Reader | undefined {
  const checks = zod.def.checks ?? [];
  if (checks.length === 0) return reader;
  const predicates = checks.map(checkOf);
  if (predicates.some((predicate) => predicate === undefined)) return undefined;
  const all = predicates as ((value: unknown) => boolean)[];
  return (value) => {
    const read = reader(value);
    if (read === GIVE_UP) return GIVE_UP;
    for (const predicate of all) if (!predicate(read)) return GIVE_UP;
    return read;
  };
}

function hasOwn(value: object, key: string): boolean {
  return Object.hasOwn(value, key);
}

/** Compiles `schema`, or `undefined` when it uses something the fast path does not know. */
function compile(schema: unknown, depth: number): Reader | undefined {
  const zod = internals(schema);
  if (!zod || depth > 32) return undefined;
  const def = zod.def;
  switch (def.type) {
    case 'string':
      if (def.coerce) return undefined;
      return withChecks(zod, (value) => (typeof value === 'string' ? value : GIVE_UP));
    case 'number':
      if (def.coerce) return undefined;
      return withChecks(zod, (value) =>
        typeof value === 'number' && Number.isFinite(value) ? value : GIVE_UP,
      );
    case 'boolean':
      if (def.coerce) return undefined;
      return withChecks(zod, (value) => (typeof value === 'boolean' ? value : GIVE_UP));
    case 'unknown':
    case 'any':
      return withChecks(zod, (value) => value);
    case 'optional': {
      const inner = internals(def.innerType);
      // An optional around a default substitutes for absence: zod's business.
      if (!inner || inner.optin === 'defaulted') return undefined;
      const read = compile(def.innerType, depth + 1);
      if (!read) return undefined;
      return withChecks(zod, (value) => (value === undefined ? undefined : read(value)));
    }
    case 'nullable': {
      const read = compile(def.innerType, depth + 1);
      if (!read) return undefined;
      return withChecks(zod, (value) => (value === null ? null : read(value)));
    }
    case 'default': {
      const read = compile(def.innerType, depth + 1);
      if (!read) return undefined;
      // Read each time: zod hands out a fresh copy of an object or array default.
      const fallback = () => def.defaultValue;
      return withChecks(zod, (value) => {
        if (value === undefined) return fallback();
        const read_ = read(value);
        return read_ === undefined ? fallback() : read_;
      });
    }
    case 'pipe': {
      const first = compile(def.in, depth + 1);
      const second = compile(def.out, depth + 1);
      if (!first || !second) return undefined;
      return withChecks(zod, (value) => {
        const left = first(value);
        return left === GIVE_UP ? GIVE_UP : second(left);
      });
    }
    case 'transform': {
      const transform = def.transform as ((value: unknown, payload: CheckPayload) => unknown) | undefined;
      if (typeof transform !== 'function') return undefined;
      return withChecks(zod, (value) => {
        const payload: CheckPayload = { value, issues: [] };
        const out = transform(value, payload);
        return out instanceof Promise || payload.issues.length > 0 ? GIVE_UP : out;
      });
    }
    case 'union': {
      // zod's plain union takes the first option that passes; exclusive or discriminated ones differ.
      if (def.inclusive === false || def.discriminator !== undefined) return undefined;
      const options = (def.options as readonly unknown[]).map((option) => compile(option, depth + 1));
      if (options.some((option) => option === undefined)) return undefined;
      const readers = options as Reader[];
      return withChecks(zod, (value) => {
        for (const read of readers) {
          const out = read(value);
          if (out !== GIVE_UP) return out;
        }
        return GIVE_UP;
      });
    }
    case 'array': {
      const element = compile(def.element, depth + 1);
      if (!element) return undefined;
      return withChecks(zod, (value) => {
        if (!Array.isArray(value)) return GIVE_UP;
        let out: unknown[] | undefined;
        for (let index = 0; index < value.length; index++) {
          const item = value[index];
          const read = element(item);
          if (read === GIVE_UP) return GIVE_UP;
          if (read !== item) {
            out ??= value.slice();
            out[index] = read;
          }
        }
        return out ?? value;
      });
    }
    case 'object':
      return compileObject(zod, depth);
    default:
      return undefined;
  }
}

interface FieldReader {
  key: string;
  read: Reader;
  /** Absent is fine and stays absent. */
  omittable: boolean;
  /** Absent is read as the field's default. */
  defaulted: boolean;
}

/**
 * A loose object (unknown keys kept as they are, which is what makes "leave the input as it is"
 * zod's answer too). Objects that strip or refuse unknown keys are left to zod.
 */
function compileObject(zod: ZodInternals, depth: number): Reader | undefined {
  const def = zod.def;
  if (internals(def.catchall)?.def.type !== 'unknown') return undefined;
  const shape = def.shape as Record<string, unknown>;
  if (Object.getOwnPropertySymbols(shape).length > 0) return undefined;
  const fields: FieldReader[] = [];
  for (const key of Object.keys(shape)) {
    const field = internals(shape[key]);
    const read = compile(shape[key], depth + 1);
    if (!field || !read || key === '__proto__') return undefined;
    // An absent key that is optional in and out stays absent; one with a default (and not
    // optional out) gets it; any other absent key is left to zod.
    fields.push({
      key,
      read,
      omittable: field.optin === 'optional' && field.optout === 'optional',
      defaulted: field.optin === 'defaulted' && field.optout === undefined,
    });
  }
  return withChecks(zod, (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return GIVE_UP;
    // zod drops an own `__proto__` key from what it returns: not the fast path's case.
    if (hasOwn(value, '__proto__')) return GIVE_UP;
    const input = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const field of fields) {
      let current: unknown;
      if (field.key in input) current = input[field.key];
      else if (field.omittable) continue;
      else if (!field.defaulted) return GIVE_UP;
      const read = field.read(current);
      if (read === GIVE_UP) return GIVE_UP;
      if (read !== current || !(field.key in input)) {
        out ??= { ...input };
        out[field.key] = read;
      }
    }
    return out ?? input;
  });
}

const compiled = new WeakMap<object, Reader | null>();

function readerOf(schema: object): Reader | null {
  let reader = compiled.get(schema);
  if (reader === undefined) {
    reader = compile(schema, 0) ?? null;
    compiled.set(schema, reader);
  }
  return reader;
}

/**
 * What the fast path alone makes of `value`: `{ value }` when it vouches for it, `undefined` when
 * zod must decide. Exposed for tests.
 */
export function fastRead<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
): { value: z.infer<S> } | undefined {
  const reader = readerOf(schema);
  if (!reader) return undefined;
  const read = reader(value);
  return read === GIVE_UP ? undefined : { value: read as z.infer<S> };
}

/** Whether {@link fastRead} can read `schema` at all (every construct in it is understood). */
export function hasFastReader(schema: z.core.$ZodType): boolean {
  return readerOf(schema) !== null;
}

/**
 * Core's `parseOrThrow` with the fast path in front: what zod would return for a well-formed
 * value, without zod's per-call allocations; anything else goes to zod, which returns or throws
 * exactly as before.
 */
export function parseResponse<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  what: string,
  options: Parameters<typeof parseOrThrow>[3] = {},
): z.infer<S> {
  const reader = readerOf(schema);
  if (reader) {
    const read = reader(value);
    if (read !== GIVE_UP) return read as z.infer<S>;
  }
  return parseOrThrow(schema, value, what, options);
}
