import type { Logger } from './transport/types';

/** Shortest value of which a start and an end may be shown; shorter ones are masked whole. */
const MIN_PARTIAL_LENGTH = 20;
const MASK = '****';

/**
 * Masks a secret for logs: long values keep their first and last 4 characters (`abcd…wxyz`),
 * short ones are masked completely. Enough to tell two tokens apart, never enough to use one.
 *
 * @example
 * redact('APP_USR-1234567890-abcdefghij-9876') // 'APP_…9876'
 * redact('short') // '****'
 */
export function redact(value: string | undefined | null): string {
  if (value === undefined || value === null || value === '') return MASK;
  if (value.length < MIN_PARTIAL_LENGTH) return MASK;
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

const SENSITIVE_PARAM_NAMES = new Set([
  'sign',
  'code',
  'auth_code',
  'code_verifier',
  'key',
  'apikey',
  'api_key',
  'app_secret',
  'client_secret',
  'partner_key',
  'password',
  'auth',
]);
// Personal data that rides along: Brazilian buyers' CPF/CNPJ (Shopee `buyer_cpf_id`, TikTok `cpf`).
const SENSITIVE_PARAM_PATTERN = /token|secret|signature|passw|cpf|cnpj|tax_?id/i;

/** True for query parameter and field names that carry credentials (`access_token`, `sign`, ...). */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_PARAM_NAMES.has(name.toLowerCase()) || SENSITIVE_PARAM_PATTERN.test(name);
}

/**
 * Returns the URL with credential-bearing query parameters (`access_token`, `sign`, `code`,
 * `*token*`, `*secret*`, ...) and any user info masked with {@link redact}. The only form in
 * which the transport logs a URL.
 *
 * @example
 * redactUrl('https://api.example.com/a?access_token=APP_USR-123456789012345678&x=1')
 * // 'https://api.example.com/a?access_token=APP_…5678&x=1'
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  if (parsed.username) parsed.username = MASK;
  if (parsed.password) parsed.password = MASK;
  const entries = [...parsed.searchParams.entries()];
  if (!entries.some(([name]) => isSensitiveName(name))) return parsed.toString();
  const query = entries
    .map(([name, value]) => {
      const shown = isSensitiveName(name) ? redact(value) : value;
      return `${encodeURIComponent(name)}=${encodeURIComponent(shown).replace(/%E2%80%A6/g, '…')}`;
    })
    .join('&');
  return `${parsed.origin}${parsed.pathname}?${query}${parsed.hash}`;
}

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-tts-access-token',
]);

/** A plain object of the headers with credential-bearing ones (`authorization`, cookies, `*token*`) redacted. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  return Object.fromEntries(
    entries.map(([name, value]) => [
      name,
      SENSITIVE_HEADERS.has(name.toLowerCase()) || isSensitiveName(name) ? redact(value) : value,
    ]),
  );
}

function taxIdCheckDigitsMatch(digits: string, weights: readonly number[]): boolean {
  const body = digits.slice(0, weights.length - 1);
  const digitFor = (part: string, from: number): number => {
    const sum = [...part].reduce(
      (total, digit, index) => total + Number(digit) * (weights[index + from] ?? 0),
      0,
    );
    const remainder = sum % 11;
    return remainder < 2 ? 0 : 11 - remainder;
  };
  const first = digitFor(body, 1);
  const second = digitFor(`${body}${first}`, 0);
  return digits.endsWith(`${first}${second}`) && !/^(\d)\1+$/.test(digits);
}

const CPF_WEIGHTS = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/**
 * Masks Brazilian tax ids in free text: formatted CPFs (`529.982.247-25`) and CNPJs
 * (`11.222.333/0001-81`), and bare 11- or 14-digit runs whose check digits say they are one.
 * Ids of other lengths (and the 44-digit NF-e access key) are left alone.
 *
 * @example
 * redactTaxIds('wrong_receiver_cpf: 52998224725') // 'wrong_receiver_cpf: ****'
 */
export function redactTaxIds(text: string): string {
  return text
    .replace(/\b\d{3}\.\d{3}\.\d{3}-\d{2}\b|\b\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}\b/g, MASK)
    .replace(/\b\d{11}\b|\b\d{14}\b/g, (digits) =>
      taxIdCheckDigitsMatch(digits, digits.length === 11 ? CPF_WEIGHTS : CNPJ_WEIGHTS) ? MASK : digits,
    );
}

/**
 * Masks credentials and tax ids inside free text (error messages from lower layers): bearer
 * tokens, `name=value` pairs of sensitive names, the query of URLs, CPFs and CNPJs.
 */
export function redactText(text: string): string {
  return redactTaxIds(text)
    .replace(/\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]+)/gi, (_m, scheme: string, value: string) => {
      return `${scheme} ${redact(value)}`;
    })
    .replace(/([A-Za-z0-9_-]+)=([^&\s"'<>]+)/g, (match, name: string, value: string) =>
      isSensitiveName(name) ? `${name}=${redact(value)}` : match,
    )
    .replace(/("?[A-Za-z0-9_-]+"?\s*:\s*")([^"]+)"/g, (match, prefix: string, value: string) =>
      isSensitiveName(prefix.replace(/[":\s]/g, '')) ? `${prefix}${redact(value)}"` : match,
    );
}

/** A {@link Logger} that drops everything: the transport's default. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * A {@link Logger} writing to `console`, from `level` up. Lines from the SDK are already redacted.
 *
 * @example
 * createTransport({ ..., logger: consoleLogger('info') });
 */
export function consoleLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const enabled = (wanted: (typeof order)[number]) => order.indexOf(wanted) >= order.indexOf(level);
  const write =
    (wanted: (typeof order)[number]) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (!enabled(wanted)) return;
      if (fields === undefined) console[wanted](`[mlh] ${message}`);
      else console[wanted](`[mlh] ${message}`, fields);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
