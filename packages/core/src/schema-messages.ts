import * as z from 'zod/mini';

/** Units of a size limit by what is measured (zod's English wording). */
const UNITS: Readonly<Record<string, string>> = {
  string: 'characters',
  file: 'bytes',
  array: 'items',
  set: 'items',
  map: 'entries',
};

/**
 * What a string format is called. The formats the SDK's schemas check, and the common ones an
 * application's own zod/mini schemas may use; any other reads by its zod name ("Invalid cuid2").
 */
const FORMATS: Readonly<Record<string, string>> = {
  regex: 'input',
  template_literal: 'input',
  url: 'URL',
  email: 'email address',
  uuid: 'UUID',
  datetime: 'ISO datetime',
  date: 'ISO date',
  time: 'ISO time',
  duration: 'ISO duration',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  base64: 'base64-encoded string',
  json_string: 'JSON string',
};

/** zod's name of a value's type in "received …" (a class instance by its constructor). */
function typeName(input: unknown): string {
  if (typeof input === 'number')
    return Number.isNaN(input) ? 'NaN' : Number.isFinite(input) ? 'number' : String(input);
  if (typeof input !== 'object') return typeof input;
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  const prototype = Object.getPrototypeOf(input);
  return prototype !== Object.prototype && prototype !== null && typeof input.constructor === 'function'
    ? input.constructor.name
    : 'object';
}

function literal(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? `"${value}"` : `${value}`;
}

type Issue = z.core.$ZodRawIssue & Record<string, unknown>;

/**
 * The English message of a schema issue, word for word what zod's `en` locale writes for every
 * issue the SDK's schemas can raise (a test holds the two together), in a fraction of its bytes:
 * the locale is in every bundle that validates anything.
 */
export function englishSchemaMessage(raw: z.core.$ZodRawIssue): string {
  const issue = raw as Issue;
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected === 'nan' ? 'NaN' : issue.expected}, received ${typeName(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values as unknown[];
      return values.length === 1
        ? `Invalid input: expected ${literal(values[0])}`
        : `Invalid option: expected one of ${values.map(literal).join('|')}`;
    }
    case 'too_big':
    case 'too_small': {
      const big = issue.code === 'too_big';
      const adjective = issue.exact ? 'exactly ' : `${big ? '<' : '>'}${issue.inclusive ? '=' : ''}`;
      const origin = issue.origin as string | undefined;
      const unit = UNITS[origin ?? ''];
      const bound = `${adjective}${String(big ? issue.maximum : issue.minimum)}`;
      const what = big ? (origin ?? 'value') : origin;
      return `Too ${big ? 'big' : 'small'}: expected ${what} ${unit ? `to have ${bound} ${unit}` : `to be ${bound}`}`;
    }
    case 'invalid_format': {
      const format = issue.format as string;
      if (format === 'starts_with') return `Invalid string: must start with "${issue.prefix}"`;
      if (format === 'ends_with') return `Invalid string: must end with "${issue.suffix}"`;
      if (format === 'includes') return `Invalid string: must include "${issue.includes}"`;
      if (format === 'regex') return `Invalid string: must match pattern ${issue.pattern}`;
      return `Invalid ${FORMATS[format] ?? format}`;
    }
    case 'not_multiple_of':
      return `Invalid number: must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys': {
      const keys = issue.keys as string[];
      return `Unrecognized key${keys.length > 1 ? 's' : ''}: ${keys.map(literal).join(', ')}`;
    }
    case 'invalid_key':
      return `Invalid key in ${issue.origin}`;
    case 'invalid_element':
      return `Invalid value in ${issue.origin}`;
    case 'invalid_union': {
      const options = issue.options as unknown[] | undefined;
      if (Array.isArray(options) && options.length > 0)
        return `Invalid discriminator value. Expected ${options.map((option) => `'${option}'`).join(' | ')}`;
      return issue.inclusive === false ? 'Invalid input: more than one option matched' : 'Invalid input';
    }
    default:
      return 'Invalid input';
  }
}

/**
 * zod/mini (the SDK's schemas, for a small bundle) loads no locale, so without this every issue
 * would read "Invalid input". The SDK's `ValidationError`s name what is wrong in words, so the
 * modules that build or check schemas install English messages ({@link englishSchemaMessage}),
 * unless the application configured a locale of its own first (`z.config(...)`), which is then kept.
 */
export function useEnglishSchemaMessages(): void {
  if (!z.config().localeError) z.config({ localeError: englishSchemaMessage });
}
