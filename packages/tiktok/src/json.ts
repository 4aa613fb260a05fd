import { parse } from 'lossless-json';

const INTEGER = /^-?\d+$/;

/**
 * Parses a TikTok payload (API response or webhook body) without losing a digit: an integer
 * beyond ±(2^53 − 1), which `JSON.parse` would silently round, is kept as its exact decimal
 * string; every other number is a plain number. TikTok writes ids as strings, but some payloads
 * (old webhook samples, some responses) carry them as bare numbers. Throws `SyntaxError` on
 * invalid JSON.
 *
 * @example parseTikTokJson('{"product_id":1729592969712207008}') // { product_id: '1729592969712207008' }
 */
export function parseTikTokJson(text: string): unknown {
  return parse(text, null, (literal) => {
    const value = Number(literal);
    return INTEGER.test(literal) && !Number.isSafeInteger(value) ? literal : value;
  });
}
