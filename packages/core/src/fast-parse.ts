import * as z from 'zod/mini';

/**
 * A faster success path for zod/mini schemas.
 *
 * zod/mini interprets every node of a schema with a fresh payload object, an issues array and
 * bookkeeping per property; on a response of a few hundred fields that is most of the cost of
 * reading it. {@link fastParse} walks a schema once and builds plain closures for the nodes a
 * response is made of (objects, arrays, unions, optional, nullable, default, pipe, and unchecked
 * strings, numbers, booleans, enums, unknown); every other node (formats, checked leaves,
 * transforms, records, lazy, ...) runs on zod itself. The closures give exactly what zod gives
 * or {@link FAILED}; on {@link FAILED} the caller parses again with zod, which names the issues,
 * so errors are zod's own. Where the runtime compiles code from strings (Node, Bun, Deno; not
 * Workers, nor Node under `--disallow-code-generation-from-strings`), an object's parser is
 * generated for its keys from the schema alone, never from the data; elsewhere it is a loop.
 */

/** Returned by a fast parser when zod would report an issue: parse with zod for the issues. */
export const FAILED: unique symbol = Symbol('fast parse failed');

/** Thrown inside a fast parser when it cannot tell what zod would do (a promise, a memoizer). */
const UNSURE: unique symbol = Symbol('fast parse unsure');

type Node = z.core.$ZodType;
type Check = z.core.$ZodCheck;
type Parser = (value: unknown) => unknown;

interface Internals {
  def: {
    type: string;
    checks?: Check[];
    coerce?: boolean;
    format?: string;
    innerType?: Node;
    element?: Node;
    options?: Node[];
    inclusive?: boolean;
    in?: Node;
    out?: Node;
    shape?: Record<string, Node>;
    catchall?: Node;
    defaultValue?: unknown;
  };
  traits: Set<string>;
  optin?: 'optional' | 'defaulted';
  optout?: 'optional';
  values?: Set<unknown>;
  run(payload: { value: unknown; issues: unknown[] }, ctx: object): unknown;
}

const internals = (node: Node) => (node as unknown as { _zod: Internals })._zod;

/** The context zod's own `safeParse` gives a run. */
const CONTEXT = { async: false };

/** How a set of parsers is built, with the cache of the parsers built that way. */
interface Mode {
  /** The value is the caller's own (see {@link parserOf}). */
  owned: boolean;
  /** Objects get generated parsers (see {@link generatedObjectParser}). */
  generated: boolean;
  cache: WeakMap<Node, Parser>;
}

const mode = (owned: boolean, generated: boolean): Mode => ({ owned, generated, cache: new WeakMap() });
/** The four sets of parsers: owned or not, objects generated or interpreted. */
const MODES = {
  fresh: mode(false, true),
  owned: mode(true, true),
  freshInterpreted: mode(false, false),
  ownedInterpreted: mode(true, false),
};

/**
 * Parses `value` with `schema` on the fast path: what `z.safeParse` would return as `data`, or
 * {@link FAILED} when zod would report an issue (then parse with zod for the issues). `owned`: see
 * {@link parserOf}. `generated: false` parses objects as on a runtime that compiles no code from
 * strings (for tests; the answer is the same).
 *
 * @example
 * const value = fastParse(schema, input);
 * const data = value === FAILED ? z.parse(schema, input) : value; // throws with zod's issues
 */
export function fastParse(
  schema: Node,
  value: unknown,
  owned = false,
  generated: boolean = CAN_GENERATE,
): unknown {
  try {
    const set = owned
      ? generated
        ? MODES.owned
        : MODES.ownedInterpreted
      : generated
        ? MODES.fresh
        : MODES.freshInterpreted;
    return parserOf(schema, set)(value);
  } catch (error) {
    if (error === UNSURE) return FAILED;
    throw error;
  }
}

/**
 * The parser of `node`. `owned`: the value is the caller's own (JSON it just parsed, an object a
 * mapper just built), so the result may share the parts the schema leaves as they are: a loose
 * object or an array comes back as it went in unless a field of it changes, and then as a copy;
 * an object that strips unknown keys comes back as it went in when it has none and no field
 * changes. The input is never written to either way. It spares a copy of every object of a
 * response, most of whose fields the schemas only keep.
 */
function parserOf(node: Node, mode: Mode): Parser {
  const { cache } = mode;
  let parser = cache.get(node);
  if (parser) return parser;
  // Cycles only pass through z.lazy, which runs on zod: a placeholder is never called while building.
  cache.set(node, (value) => parserOf(node, mode)(value));
  parser = build(node, mode);
  cache.set(node, parser);
  return parser;
}

/** Runs `node` on zod itself: one payload, zod's answer. */
function onZod(node: Node): Parser {
  const zod = internals(node);
  return (value) => {
    const result = zod.run({ value, issues: [] }, CONTEXT) as { value: unknown; issues: unknown[] };
    if (result instanceof Promise) throw UNSURE;
    return result.issues.length === 0 ? result.value : FAILED;
  };
}

/** The node's own checks (an object's refinements, an array's length), run as zod runs them. */
function withChecks(node: Node, parse: Parser): Parser {
  const checks = internals(node).def.checks;
  if (!checks || checks.length === 0) return parse;
  return (value) => {
    const parsed = parse(value);
    if (parsed === FAILED) return FAILED;
    const payload = { value: parsed, issues: [] as unknown[] };
    for (const check of checks) {
      const zod = (
        check as unknown as { _zod: { def: { when?: (p: unknown) => boolean }; check(p: unknown): unknown } }
      )._zod;
      if (zod.def.when && !zod.def.when(payload)) continue;
      if (zod.check(payload) instanceof Promise) throw UNSURE;
      if (payload.issues.length > 0) return FAILED;
    }
    return payload.value;
  };
}

/**
 * zod's built-in checks of strings and numbers: pure tests of the value (a format may normalize
 * it) that never parse anything themselves, so one scratch payload per leaf serves every call.
 */
const BUILT_IN_CHECKS = [
  '$ZodCheckStringFormat',
  '$ZodCheckMinLength',
  '$ZodCheckMaxLength',
  '$ZodCheckLengthEquals',
  '$ZodCheckGreaterThan',
  '$ZodCheckLessThan',
  '$ZodCheckNumberFormat',
];

type CheckInternals = {
  traits: Set<string>;
  def: {
    when?: (p: unknown) => boolean;
    pattern?: unknown;
    minimum?: unknown;
    value?: unknown;
    inclusive?: boolean;
    format?: string;
  };
  check(p: unknown): unknown;
};

/**
 * The test of a parser that returns its value unchanged or {@link FAILED}, written as JavaScript
 * for a generated object parser to run in place of a call (see {@link generatedObjectParser}):
 * given the name of a variable holding a present value, a boolean expression, true when the
 * parser would return the value. Constants such as patterns are handed over through `constant`,
 * which answers the name they are bound to.
 * A response's fields are mostly such leaves, and a call per field means a closure, its context
 * and zod's check objects read from memory for each: after a request has passed through the
 * caches, reading them costs more than the tests themselves.
 */
type InlineTest = (value: string, constant: (value: unknown) => string) => string;
const INLINE_TESTS = new WeakMap<Parser, InlineTest>();

/** The `when` zod gives length checks of its own: run on values that have a length. */
const LENGTH_CHECKS_WHEN = /* @__PURE__ */ (() =>
  (z.minLength(1) as unknown as { _zod: CheckInternals })._zod.def.when)();

/** String formats whose check is their pattern's test and nothing else (zod's default check). */
const PATTERN_ONLY_FORMATS = ['$ZodCheckRegex', '$ZodISODateTime', '$ZodISODate', '$ZodISOTime'];

/** A built-in check as a boolean expression over `value`, or undefined when it is not that simple. */
function inlineCheck(check: CheckInternals): InlineTest | undefined {
  const { traits, def } = check;
  // A length check's own `when` (a value with a length) holds for every string; another says more.
  if (def.when && def.when !== LENGTH_CHECKS_WHEN) return undefined;
  const pattern = def.pattern;
  if (PATTERN_ONLY_FORMATS.some((trait) => traits.has(trait)) && pattern instanceof RegExp) {
    // zod rewinds the pattern before each test; only a global or sticky one reads where it stopped.
    return (value, constant) =>
      pattern.global || pattern.sticky
        ? `(${constant(pattern)}.lastIndex = 0, ${constant(pattern)}.test(${value}))`
        : `${constant(pattern)}.test(${value})`;
  }
  // Of a string's length, zod counts code points; a string of at least one unit holds at least one.
  if (traits.has('$ZodCheckMinLength') && typeof def.minimum === 'number' && def.minimum <= 1)
    return (value, constant) => `${value}.length >= ${constant(def.minimum)}`;
  const bound = def.value;
  if (typeof bound === 'number') {
    if (traits.has('$ZodCheckGreaterThan'))
      return (value, constant) => `${value} ${def.inclusive ? '>=' : '>'} ${constant(bound)}`;
    if (traits.has('$ZodCheckLessThan'))
      return (value, constant) => `${value} ${def.inclusive ? '<=' : '<'} ${constant(bound)}`;
  }
  if (traits.has('$ZodCheckNumberFormat') && def.format === 'safeint')
    return (value) => `Number.isSafeInteger(${value})`;
  return undefined;
}

/**
 * A string, number or boolean leaf: zod's type test, then its checks (the leaf's own format
 * first, as zod orders them) run directly; anything but built-in checks runs on zod.
 */
function leafParser(node: Node, type: LeafType): Parser {
  const zod = internals(node);
  if (zod.def.coerce) return onZod(node);
  const { isType } = type;
  const checks = [
    ...(zod.traits.has('$ZodCheck') ? [node as unknown as Check] : []),
    ...(zod.def.checks ?? []),
  ].map((check) => (check as unknown as { _zod: CheckInternals })._zod);
  if (!checks.every((check) => BUILT_IN_CHECKS.some((trait) => check.traits.has(trait)))) return onZod(node);
  const parser = checkedLeafParser(isType, checks);
  const tests = checks.map(inlineCheck);
  if (tests.every((test) => test !== undefined)) {
    INLINE_TESTS.set(
      parser,
      (value, constant) =>
        `(${[type.test(value), ...tests.map((test) => test(value, constant))].join(' && ')})`,
    );
  }
  return parser;
}

function checkedLeafParser(isType: (value: unknown) => boolean, checks: CheckInternals[]): Parser {
  if (checks.length === 0) return (value) => (isType(value) ? value : FAILED);
  const scratch = { value: undefined as unknown, issues: [] as unknown[] };
  return (value) => {
    if (!isType(value)) return FAILED;
    scratch.value = value;
    for (const check of checks) {
      if (check.def.when && !check.def.when(scratch)) continue;
      check.check(scratch);
      if (scratch.issues.length > 0) {
        scratch.issues.length = 0;
        scratch.value = undefined;
        return FAILED;
      }
    }
    const parsed = scratch.value;
    scratch.value = undefined;
    return parsed;
  };
}

/** zod's type test of a leaf, as a function and as an expression over a variable. */
interface LeafType {
  isType: (value: unknown) => boolean;
  test: (value: string) => string;
}
const STRING: LeafType = {
  isType: (value) => typeof value === 'string',
  test: (value) => `typeof ${value} === "string"`,
};
const NUMBER: LeafType = {
  isType: (value) => typeof value === 'number' && Number.isFinite(value),
  test: (value) => `typeof ${value} === "number" && Number.isFinite(${value})`,
};
const BOOLEAN: LeafType = {
  isType: (value) => typeof value === 'boolean',
  test: (value) => `typeof ${value} === "boolean"`,
};

/**
 * An `optional` (`passed` undefined) or a `nullable` (`passed` null): that value as it is, any
 * other to the inner parser; tested in place when the inner one is.
 */
function letThrough(node: Node, parseInner: Parser, passed: undefined | null): Parser {
  const parse = withChecks(node, (value) => (value === passed ? passed : parseInner(value)));
  const innerTest = INLINE_TESTS.get(parseInner);
  return withInlineTest(
    parse,
    innerTest && !internals(node).def.checks?.length
      ? (value, constant) => `(${value} === ${passed} || ${innerTest(value, constant)})`
      : undefined,
  );
}

/** `parser`, made known as `test` to generated object parsers (see {@link InlineTest}). */
function withInlineTest(parser: Parser, test: InlineTest | undefined): Parser {
  if (test) INLINE_TESTS.set(parser, test);
  return parser;
}

function build(node: Node, mode: Mode): Parser {
  const zod = internals(node);
  const { def, traits } = zod;
  switch (def.type) {
    case 'string':
      return traits.has('$ZodString') ? leafParser(node, STRING) : onZod(node);
    case 'number':
      return traits.has('$ZodNumber') ? leafParser(node, NUMBER) : onZod(node);
    case 'boolean':
      return traits.has('$ZodBoolean') ? leafParser(node, BOOLEAN) : onZod(node);
    case 'unknown':
    case 'any':
      return def.checks?.length
        ? onZod(node)
        : withInlineTest(
            (value) => value,
            () => 'true',
          );
    case 'enum': {
      const values = zod.values;
      if (def.checks?.length || !values) return onZod(node);
      return withInlineTest(
        (value) => (values.has(value) ? value : FAILED),
        (value, constant) => `${constant(values)}.has(${value})`,
      );
    }
    case 'optional': {
      if (!traits.has('$ZodOptional') || traits.has('$ZodExactOptional')) return onZod(node);
      const inner = def.innerType as Node;
      if (internals(inner).optin === 'defaulted') return onZod(node);
      return letThrough(node, parserOf(inner, mode), undefined);
    }
    case 'nullable': {
      if (!traits.has('$ZodNullable')) return onZod(node);
      return letThrough(node, parserOf(def.innerType as Node, mode), null);
    }
    case 'default': {
      if (!traits.has('$ZodDefault')) return onZod(node);
      const parseInner = parserOf(def.innerType as Node, mode);
      return withChecks(node, (value) => {
        // zod reads the default anew each time (a copy of an object default): so does this.
        if (value === undefined) return def.defaultValue;
        const parsed = parseInner(value);
        return parsed === undefined ? def.defaultValue : parsed;
      });
    }
    case 'pipe': {
      if (!traits.has('$ZodPipe') || traits.has('$ZodCodec')) return onZod(node);
      const first = parserOf(def.in as Node, mode);
      const then = parserOf(def.out as Node, mode);
      return withChecks(node, (value) => {
        const middle = first(value);
        return middle === FAILED ? FAILED : then(middle);
      });
    }
    case 'union': {
      if (
        !traits.has('$ZodUnion') ||
        traits.has('$ZodXor') ||
        traits.has('$ZodDiscriminatedUnion') ||
        def.inclusive === false
      ) {
        return onZod(node);
      }
      const options = (def.options as Node[]).map((option) => parserOf(option, mode));
      const parse = withChecks(node, (value) => {
        for (const option of options) {
          const parsed = option(value);
          if (parsed !== FAILED) return parsed;
        }
        return FAILED;
      });
      // Options that each return their value unchanged: the union's answer is the value too.
      const tests = options.map((option) => INLINE_TESTS.get(option));
      return withInlineTest(
        parse,
        !def.checks?.length && tests.every((test) => test !== undefined)
          ? (value, constant) => `(${tests.map((test) => test(value, constant)).join(' || ')})`
          : undefined,
      );
    }
    case 'transform': {
      if (!traits.has('$ZodTransform') || def.checks?.length) return onZod(node);
      const transform = (def as { transform?: unknown }).transform;
      if (typeof transform !== 'function') return onZod(node);
      // What zod's run does for a transform: the function, handed the payload it may add issues to.
      return (value) => {
        const payload = { value, issues: [] as unknown[] };
        const output: unknown = transform(value, payload);
        if (output instanceof Promise) throw UNSURE;
        return payload.issues.length === 0 ? output : FAILED;
      };
    }
    case 'array': {
      if (!traits.has('$ZodArray')) return onZod(node);
      const element = parserOf(def.element as Node, mode);
      return withChecks(node, (value) => {
        if (!Array.isArray(value)) return FAILED;
        let out: unknown[] | undefined = mode.owned ? undefined : new Array(value.length);
        for (let index = 0; index < value.length; index++) {
          const item: unknown = value[index];
          const parsed = element(item);
          if (parsed === FAILED) return FAILED;
          if (out) out[index] = parsed;
          else if (parsed !== item) {
            out = value.slice(0, index);
            out[index] = parsed;
          }
        }
        return out ?? value;
      });
    }
    case 'object':
      return traits.has('$ZodObject') && !traits.has('$ZodObjectJIT')
        ? objectParser(node, mode)
        : onZod(node);
    default:
      return onZod(node);
  }
}

interface Property {
  key: string;
  parse: Parser;
  optin: Internals['optin'];
  optout: Internals['optout'];
}

/**
 * An object as zod's interpreted `$ZodObject` parses it: the shape's keys in order (with zod's
 * rules for absent, optional and defaulted keys), then the catchall's unknown keys in input order.
 */
function objectParser(node: Node, mode: Mode): Parser {
  const { def } = internals(node);
  const shape = def.shape as Record<string, Node>;
  if (Object.getOwnPropertySymbols(shape).length > 0) return onZod(node);
  const keys = Object.keys(shape);
  const known = new Set(keys);
  let properties: Property[] | undefined;
  // Built on first use: optin/optout are lazy in zod, and a shape may name schemas defined later.
  const propertiesOf = () => {
    properties ??= keys
      .filter((key) => key !== '__proto__')
      .map((key) => {
        const child = shape[key] as Node;
        const zod = internals(child);
        return { key, parse: parserOf(child, mode), optin: zod.optin, optout: zod.optout };
      });
    return properties;
  };
  const catchall = def.catchall;
  const strict = catchall !== undefined && internals(catchall).def.type === 'never';
  let rest: Property | undefined;
  const restOf = () => {
    if (!rest) {
      const zod = internals(catchall as Node);
      rest = { key: '', parse: parserOf(catchall as Node, mode), optin: zod.optin, optout: zod.optout };
    }
    return rest;
  };
  const catchallZod = catchall === undefined ? undefined : internals(catchall);
  const keepsUnknown =
    (catchallZod?.def.type === 'unknown' || catchallZod?.def.type === 'any') &&
    !catchallZod.def.checks?.length;
  const kind: ObjectKind = !mode.owned
    ? 'fresh'
    : keepsUnknown
      ? 'share'
      : catchall === undefined
        ? 'keep'
        : 'fresh';
  const interpreted = interpretedObjectParser(propertiesOf, kind, catchall, known, strict, restOf);
  if (!mode.generated) return withChecks(node, interpreted);
  // Generated on first use, when the shape's parsers can be built (see `properties`); the
  // interpreted parser serves if the runtime refuses to compile it after all.
  let run: Parser = (value) => {
    const rest = catchall === undefined ? undefined : { known, strict, restOf };
    run = generatedObjectParser(propertiesOf(), kind, rest) ?? interpreted;
    return run(value);
  };
  return withChecks(node, (value) => run(value));
}

/**
 * How an object parser treats its input. `fresh`: it builds a new object (zod's answer).
 * Owned values only: `share`, a loose object comes back as it is unless a field changes, then as
 * a spread copy; `keep`, an object that strips unknown keys comes back as it is when zod's answer
 * would hold the same keys and values (none stripped, none changed or defaulted), else fresh.
 */
type ObjectKind = 'fresh' | 'share' | 'keep';

/** Own enumerable keys of an object (what a plain object's `for…in` visits). */
function keyCount(input: Record<string, unknown>): number {
  let count = 0;
  for (const _ in input) count += 1;
  return count;
}

/** The object parser of {@link objectParser}, one property at a time by its key. */
function interpretedObjectParser(
  propertiesOf: () => Property[],
  kind: ObjectKind,
  catchall: Node | undefined,
  known: Set<string>,
  strict: boolean,
  restOf: () => Property,
): Parser {
  if (kind === 'share') {
    return (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return FAILED;
      const input = value as Record<string, unknown>;
      // zod leaves out a `__proto__` key, which a parsed body can hold as its own.
      let out = Object.hasOwn(input, '__proto__') ? copyOf(input) : undefined;
      for (const property of propertiesOf()) {
        const { key } = property;
        const parsed = settle(input, key, property);
        if (parsed === FAILED) return FAILED;
        if (parsed === ABSENT) continue;
        if (parsed === input[key] && (parsed !== undefined || key in input)) continue;
        // No `__proto__` of its own here (see above), so a spread copies what `copyOf` would, through
        // V8's object-clone fast path: about a tenth of a key-by-key copy.
        out ??= { ...input };
        out[key] = parsed;
      }
      return out ?? input;
    };
  }
  if (kind === 'keep') {
    return (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return FAILED;
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      let same = true;
      let seen = 0;
      for (const property of propertiesOf()) {
        const { key } = property;
        const field = input[key];
        const present = field !== undefined || key in input;
        const parsed = settleValue(field, present, property);
        if (parsed === FAILED) return FAILED;
        if (present) seen += 1;
        if (parsed === ABSENT) continue;
        out[key] = parsed;
        if (!present || parsed !== field) same = false;
      }
      return same && seen === keyCount(input) ? input : out;
    };
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return FAILED;
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const property of propertiesOf()) {
      if (!assign(out, input, property.key, property)) return FAILED;
    }
    if (catchall === undefined) return out;
    return restInto(out, input, known, strict, restOf);
  };
}

/** The catchall's part of an object: its unknown keys in input order, after the shape's. */
function restInto(
  out: Record<string, unknown>,
  input: Record<string, unknown>,
  known: Set<string>,
  strict: boolean,
  restOf: () => Property,
): unknown {
  for (const key in input) {
    if (known.has(key)) continue;
    if (strict) return FAILED;
    if (key === '__proto__') continue;
    if (!assign(out, input, key, restOf())) return FAILED;
  }
  return out;
}

/**
 * Whether this runtime compiles code from strings. Node does unless started with
 * `--disallow-code-generation-from-strings`; Workers never do.
 */
const CAN_GENERATE = (() => {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
})();

/**
 * The same parser as {@link interpretedObjectParser}, generated for the shape's keys: each key is
 * read and written by its name, which V8 caches per object shape, where a loop over the keys makes
 * every read a generic keyed lookup; on an order of a few hundred fields that lookup was most of
 * the cost. Keys are written as JSON string literals, so any key is safe in the source. Undefined
 * when the runtime refuses to compile it.
 */
function generatedObjectParser(
  properties: readonly Property[],
  kind: ObjectKind,
  rest: { known: Set<string>; strict: boolean; restOf: () => Property } | undefined,
): Parser | undefined {
  // Each child parser is a constant of the generated closure: every call site then sees one
  // function, which V8 can inline, where a shared loop calls them all from one site.
  const lines: string[] = properties.map((_, index) => `const parse${index} = properties[${index}].parse;`);
  const constants: unknown[] = [];
  const constant = (value: unknown): string => {
    let index = constants.indexOf(value);
    if (index === -1) {
      index = constants.push(value) - 1;
      lines.push(`const constant${index} = constants[${index}];`);
    }
    return `constant${index}`;
  };
  // A present value's parse: the leaf's test written in place where it has one (see InlineTest).
  const presentParse = properties.map((property, index) => {
    const test = INLINE_TESTS.get(property.parse);
    return test ? `(${test('field', constant)} ? field : FAILED)` : `parse${index}(field)`;
  });
  lines.push(
    'return function parseObject(value) {',
    'if (typeof value !== "object" || value === null || Array.isArray(value)) return FAILED;',
    'const input = value;',
    kind === 'share'
      ? 'let out = hasOwn(input, "__proto__") ? copyOf(input) : undefined;'
      : kind === 'keep'
        ? `let same = true, seen = 0${properties.map((_, index) => `, value${index} = ABSENT`).join('')};`
        : 'const out = {};',
    'let field, parsed;',
  );
  properties.forEach((property, index) => {
    const key = JSON.stringify(property.key);
    // `settleValue`, with what this property's optin and optout decide folded in.
    const { optin, optout } = property;
    const optionalOut = optout === 'optional';
    // How the parsed value is kept: `changed` is the test of a value that differs from the input's.
    const write = (changed: string) =>
      kind === 'share'
        ? `if (${changed}) { if (out === undefined) out = { ...input }; out[${key}] = parsed; }`
        : kind === 'keep'
          ? `value${index} = parsed; ${changed === 'true' ? 'same = false;' : `if (${changed}) same = false;`}`
          : `out[${key}] = parsed;`;
    let absent = '';
    if (!(optionalOut && optin === 'optional')) {
      const onFailure = optin !== undefined && optionalOut ? '' : 'return FAILED;';
      const onValue =
        optin === undefined
          ? 'return FAILED;'
          : optin === 'defaulted' && !optionalOut
            ? write('true')
            : `if (parsed !== undefined) { ${write('true')} }`;
      absent = `parsed = parse${index}(undefined); if (parsed === FAILED) { ${onFailure} } else { ${onValue} }`;
    }
    lines.push(
      `field = input[${key}];`,
      `if (field === undefined && !(${key} in input)) { ${absent} }`,
      `else { ${kind === 'keep' ? 'seen++; ' : ''}parsed = ${presentParse[index]}; if (parsed === FAILED) return FAILED; ${write('parsed !== field')} }`,
    );
  });
  if (kind === 'keep') {
    lines.push(
      'if (same && seen === keyCount(input)) return input;',
      'const out = {};',
      ...properties.map(
        (property, index) =>
          `if (value${index} !== ABSENT) out[${JSON.stringify(property.key)}] = value${index};`,
      ),
      'return out;',
    );
  } else {
    lines.push(
      kind === 'share'
        ? 'return out === undefined ? input : out;'
        : rest
          ? 'return restInto(out, input, rest.known, rest.strict, rest.restOf);'
          : 'return out;',
    );
  }
  lines.push('};');
  try {
    const factory = new Function(
      'FAILED',
      'ABSENT',
      'properties',
      'hasOwn',
      'copyOf',
      'restInto',
      'keyCount',
      'rest',
      'constants',
      lines.join('\n'),
    );
    return factory(
      FAILED,
      ABSENT,
      properties,
      Object.hasOwn,
      copyOf,
      restInto,
      keyCount,
      rest,
      constants,
    ) as Parser;
  } catch {
    return undefined;
  }
}

/** What {@link settle} answers for a key zod leaves out of its output. */
const ABSENT: unique symbol = Symbol('absent');

/**
 * One property as zod's `handlePropertyResult` settles it: the value zod writes at `key`,
 * {@link ABSENT} when it writes nothing there, {@link FAILED} when it reports an issue.
 */
function settle(input: Record<string, unknown>, key: string, property: Property): unknown {
  const value = input[key];
  // A defined value is present: the `in` lookup is only needed for undefined.
  return settleValue(value, value !== undefined || key in input, property);
}

/** {@link settle} for a value already read, and whether its key is `present` in the input. */
function settleValue(value: unknown, present: boolean, property: Property): unknown {
  const { optin, optout } = property;
  const optionalOut = optout === 'optional';
  if (!present && optionalOut && optin === 'optional') return ABSENT;
  const parsed = property.parse(value);
  if (parsed === FAILED) return optin !== undefined && optionalOut && !present ? ABSENT : FAILED;
  if (!present && optin === undefined) return FAILED;
  if (parsed === undefined && !present && !(optin === 'defaulted' && !optionalOut)) return ABSENT;
  return parsed;
}

/** Writes one property as zod would into `out`; false when zod reports an issue. */
function assign(
  out: Record<string, unknown>,
  input: Record<string, unknown>,
  key: string,
  property: Property,
): boolean {
  const parsed = settle(input, key, property);
  if (parsed === FAILED) return false;
  if (parsed !== ABSENT) out[key] = parsed;
  return true;
}

/** A shallow copy of a parsed body's object, without a `__proto__` key of its own. */
function copyOf(input: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in input) if (key !== '__proto__') copy[key] = input[key];
  return copy;
}
