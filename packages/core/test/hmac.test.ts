import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as portable from '../src/hmac';
import * as onNode from '../src/hmac.node';
import { hmacSha256Hex } from '../src/webhooks/crypto';

// RFC 4231, test case 2.
const KEY = 'Jefe';
const MESSAGE = 'what do ya want for nothing?';
const MAC = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

describe.each([
  ['portable (pure JS)', portable, 'noble'],
  ['node:crypto', onNode, 'node'],
] as const)('synchronous HMAC-SHA256, %s build', (_name, hmac, implementation) => {
  it('says which implementation it is', () => {
    expect(hmac.HMAC_IMPLEMENTATION).toBe(implementation);
  });

  it('gives the RFC 4231 MAC, for a message whole or in parts, text or bytes', () => {
    expect(hmac.hmacSha256HexSync(KEY, MESSAGE)).toBe(MAC);
    expect(
      hmac.hmacSha256HexSync(KEY, ['what do ya ', new TextEncoder().encode('want'), ' for nothing?']),
    ).toBe(MAC);
    expect(hmac.hmacSha256HexSync(new TextEncoder().encode(KEY), MESSAGE)).toBe(MAC);
  });

  it('matches the WebCrypto HMAC on UTF-8 text and long keys, call after call with the same key', async () => {
    const key = `shpk${'k'.repeat(100)}`;
    for (const message of ['ação 日本', '', 'x'.repeat(200)]) {
      expect(hmac.hmacSha256HexSync(key, message)).toBe(await hmacSha256Hex(key, message));
      expect(hmac.hmacSha256HexSync(key, message)).toBe(await hmacSha256Hex(key, message));
    }
  });

  it('matches node:crypto for keys shorter than, equal to and longer than a block, and every ASCII byte', () => {
    const keys = [
      '',
      'k',
      'k'.repeat(63),
      'k'.repeat(64),
      'k'.repeat(65),
      'chave ação',
      'é'.repeat(32),
      'é'.repeat(33),
    ];
    const messages = [
      '',
      String.fromCharCode(...Array.from({ length: 128 }, (_, code) => code)),
      'a'.repeat(300),
    ];
    for (const key of keys)
      for (const message of messages)
        expect(hmac.hmacSha256HexSync(key, message)).toBe(
          createHmac('sha256', key).update(message).digest('hex'),
        );
  });

  it('keys every MAC by its own secret, across more secrets than any cache holds', async () => {
    // Text secrets may be kept between calls: each must still key only its own MACs.
    for (let index = 0; index < 150; index++) {
      const key = index % 3 === 0 ? `secret ação ${index}` : `shpk${index}`;
      expect(hmac.hmacSha256HexSync(key, MESSAGE)).toBe(await hmacSha256Hex(key, MESSAGE));
    }
    expect(hmac.hmacSha256HexSync(KEY, MESSAGE)).toBe(MAC);
  });

  it('checks a signature against every secret, in any case, and refuses a wrong one', () => {
    expect(hmac.matchesHmacSha256HexSync(['old', KEY], MESSAGE, ` ${MAC.toUpperCase()} `)).toBe(true);
    expect(hmac.matchesHmacSha256HexSync(['old', 'older'], MESSAGE, MAC)).toBe(false);
    expect(hmac.matchesHmacSha256HexSync([KEY], MESSAGE, MAC.slice(0, 63))).toBe(false);
  });

  it('hashes SHA-256 exactly as WebCrypto does: text as UTF-8 (a lone surrogate as U+FFFD) or bytes', async () => {
    const webCrypto = async (bytes: Uint8Array<ArrayBuffer>) =>
      [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('');
    expect(hmac.sha256HexSync('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    for (const text of ['', 'ação 日本 🛒', 'broken \uD800 pair', 'x'.repeat(100_000)]) {
      const bytes = new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
      expect(hmac.sha256HexSync(text)).toBe(await webCrypto(bytes));
      expect(hmac.sha256HexSync(bytes)).toBe(await webCrypto(bytes));
    }
  });
});
