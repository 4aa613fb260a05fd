import { parseOrThrow } from '@mlh/core';
import type * as z from 'zod/mini';

/*
 * A fast path for response schemas: the zod schema stays the one definition of what is accepted.
 * zod builds a new object for every object it parses and copies every unknown key into it; the
 * reader compiled here walks the objects and arrays itself, leaves them as they are (copying one
 * only where a field changed, e.g. a numeric id read as a string), and hands every other value to
 * the zod schema of that field, so checks and transforms are zod's own. Whatever it cannot vouch
 * for (an unknown construct, a missing field, a field zod refuses) makes it give up, and zod parses
 * the whole value as before: same result, same typed error naming the field. Kept identical in
 * @mlh/shopee and @mlh/tiktok (adapters do not import each other; it belongs in core).
 */

const GIVE_UP: unique symbol = Symbol();
const CONTEXT = { async: false };

type Reader = (value: unknown) => unknown;
type Run = (payload: { value: unknown; issues: unknown[] }, context: object) => unknown;
interface Zod {
  def: { type: string; [key: string]: unknown };
  run: Run;
  optin?: string;
  optout?: string;
}

const zodOf = (schema: unknown): Zod => (schema as { _zod: Zod })._zod;

/** A value zod reads without objects or arrays of its own: zod's own run, without the copying around it. */
function leaf(zod: Zod): Reader {
  return (value) => {
    const result = zod.run({ value, issues: [] }, CONTEXT) as { value: unknown; issues: unknown[] };
    return result instanceof Promise || result.issues.length > 0 ? GIVE_UP : result.value;
  };
}

function compile(schema: unknown, depth: number): Reader | undefined {
  const zod = zodOf(schema);
  const def = zod.def;
  if (depth > 32) return undefined;
  if ((def.checks as unknown[] | undefined)?.length) return leaf(zod);
  switch (def.type) {
    case 'optional':
    case 'nullable': {
      const inner = compile(def.innerType, depth + 1);
      if (!inner || zodOf(def.innerType).optin === 'defaulted') return undefined;
      const skipped = def.type === 'optional' ? undefined : null;
      return (value) => (value === skipped ? value : inner(value));
    }
    case 'array': {
      const element = compile(def.element, depth + 1);
      return (
        element &&
        ((value) => {
          if (!Array.isArray(value)) return GIVE_UP;
          let out: unknown[] | undefined;
          for (let index = 0; index < value.length; index++) {
            const read = element(value[index]);
            if (read === GIVE_UP) return GIVE_UP;
            if (read !== value[index]) {
              out ??= value.slice();
              out[index] = read;
            }
          }
          return out ?? value;
        })
      );
    }
    case 'object': {
      // Only loose objects: zod keeps their unknown keys as they are, as the reader does.
      if ((def.catchall as { _zod?: Zod } | undefined)?._zod?.def.type !== 'unknown') return undefined;
      const shape = def.shape as Record<string, unknown>;
      const fields: [string, Reader, boolean][] = [];
      for (const key of Object.keys(shape)) {
        const field = zodOf(shape[key]);
        const read = compile(shape[key], depth + 1);
        if (!read || key === '__proto__') return undefined;
        // Absent and optional stays absent; any other absent key (required, defaulted) is zod's.
        fields.push([key, read, field.optin === 'optional' && field.optout === 'optional']);
      }
      return (value) => {
        if (typeof value !== 'object' || !value || Array.isArray(value) || Object.hasOwn(value, '__proto__'))
          return GIVE_UP;
        const input = value as Record<string, unknown>;
        let out: Record<string, unknown> | undefined;
        for (const [key, read, omittable] of fields) {
          if (!(key in input)) {
            if (omittable) continue;
            return GIVE_UP;
          }
          const next = read(input[key]);
          if (next === GIVE_UP) return GIVE_UP;
          if (next !== input[key]) {
            out ??= { ...input };
            out[key] = next;
          }
        }
        return out ?? input;
      };
    }
    case 'default': {
      const inner = compile(def.innerType, depth + 1);
      return inner && ((value) => (value === undefined ? GIVE_UP : inner(value)));
    }
    default:
      return leaf(zod);
  }
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
  const read = readerOf(schema)?.(value) ?? GIVE_UP;
  return read === GIVE_UP ? undefined : { value: read as z.infer<S> };
}

/** Whether the fast path reads `schema` at all (every construct in it is understood). */
export function hasFastReader(schema: z.core.$ZodType): boolean {
  return readerOf(schema) !== null;
}

/**
 * Core's `parseOrThrow` with the fast path in front: what zod would return for a well-formed
 * value, without zod's copies; anything else goes to zod, which returns or throws as before.
 */
export function parseResponse<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  what: string,
  options: Parameters<typeof parseOrThrow>[3] = {},
): z.infer<S> {
  const read = readerOf(schema)?.(value) ?? GIVE_UP;
  return read === GIVE_UP ? parseOrThrow(schema, value, what, options) : (read as z.infer<S>);
}
