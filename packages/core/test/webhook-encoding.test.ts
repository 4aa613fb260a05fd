import {
  concatBytes,
  createWebhookHandler,
  decodeWebhookBody,
  WebhookVerificationError,
  webhookBodyText,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';

/** `{"title":"caf<0xE9>"}`: Latin-1 é, not UTF-8. */
const LATIN1_BODY = concatBytes(['{"title":"caf', new Uint8Array([0xe9]), '"}']);

describe('webhook bodies are strict UTF-8', () => {
  it('decodes well-formed UTF-8, bytes or text, and drops a leading BOM as before', () => {
    expect(decodeWebhookBody(new TextEncoder().encode('{"title":"café ✓ 🎉"}'))).toEqual({
      ok: true,
      text: '{"title":"café ✓ 🎉"}',
    });
    expect(decodeWebhookBody('{"a":"🎉"}')).toEqual({ ok: true, text: '{"a":"🎉"}' });
    expect(decodeWebhookBody(concatBytes([new Uint8Array([0xef, 0xbb, 0xbf]), '{}']))).toEqual({
      ok: true,
      text: '{}',
    });
  });

  it.each([
    ['a Latin-1 byte', LATIN1_BODY],
    ['a truncated sequence at the end', concatBytes(['{"a":"', new Uint8Array([0xe2, 0x82])])],
    ['an overlong encoding of "/"', concatBytes(['{"a":"', new Uint8Array([0xc0, 0xaf]), '"}'])],
    ['an encoded surrogate', concatBytes(['{"a":"', new Uint8Array([0xed, 0xa0, 0x80]), '"}'])],
  ])('refuses %s with its own reason instead of substituting U+FFFD', (_name, bytes) => {
    const decoded = decodeWebhookBody(bytes);
    expect(decoded).toMatchObject({ ok: false, reason: 'invalid_encoding' });
  });

  it('refuses text with a lone surrogate, which has no UTF-8 form', () => {
    expect(decodeWebhookBody('{"a":"\uD83D"}')).toMatchObject({ ok: false, reason: 'invalid_encoding' });
    expect(decodeWebhookBody('{"a":"\uDE00x"}')).toMatchObject({ ok: false, reason: 'invalid_encoding' });
  });

  it('webhookBodyText throws WebhookVerificationError with reason invalid_encoding', () => {
    expect(() => webhookBodyText(LATIN1_BODY)).toThrow(WebhookVerificationError);
    try {
      webhookBodyText(LATIN1_BODY);
    } catch (error) {
      expect((error as WebhookVerificationError).reason).toBe('invalid_encoding');
    }
  });

  it('the handler answers 400 invalid_encoding to a verifier that refuses the encoding', async () => {
    const handler = createWebhookHandler({
      sources: [
        {
          marketplace: 'meli',
          verify: async (input) => {
            const decoded = decodeWebhookBody(input.body);
            if (!decoded.ok) return decoded;
            throw new Error('a body that is not UTF-8 must not get this far');
          },
        },
      ],
    });
    const failures: string[] = [];
    handler.events.on('verificationFailed', (failure) => failures.push(failure.reason));
    const response = await handler.handle(
      new Request('https://app.example.com/webhooks/meli', { method: 'POST', body: LATIN1_BODY }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_encoding' });
    expect(failures).toEqual(['invalid_encoding']);
  });
});
