import { redact, redactHeaders, redactText, redactUrl } from '@mlh/core';
import { describe, expect, it } from 'vitest';

const TOKEN = 'APP_USR-6092-3f8a1b2c-9d7e-4f60-a1b2-c3d4e5f60789';

describe('redact', () => {
  it('shows at most the first and last 4 characters of a long secret', () => {
    expect(redact(TOKEN)).toBe('APP_…0789');
  });

  it('masks short values completely', () => {
    expect(redact('abcd1234')).toBe('****');
    expect(redact('')).toBe('****');
    expect(redact(undefined)).toBe('****');
  });
});

describe('redactUrl', () => {
  it('masks credential query parameters and keeps the rest', () => {
    const url = `https://partner.shopeemobile.com/api/v2/product/get_item_list?partner_id=1&timestamp=1700000000&access_token=${TOKEN}&sign=${'a1'.repeat(32)}&shop_id=99`;
    const shown = redactUrl(url);
    expect(shown).toBe(
      'https://partner.shopeemobile.com/api/v2/product/get_item_list?partner_id=1&timestamp=1700000000&access_token=APP_…0789&sign=a1a1…a1a1&shop_id=99',
    );
    expect(shown).not.toContain(TOKEN);
  });

  it('masks OAuth codes, secrets and user info', () => {
    const shown = redactUrl(
      `https://user:pass@auth.example.com/token?code=TG-123456789012345678901&client_secret=s3cr3t&x=1`,
    );
    expect(shown).not.toContain('TG-123456789012345678901');
    expect(shown).not.toContain('s3cr3t');
    expect(shown).not.toContain('pass@');
    expect(shown).toContain('x=1');
  });

  it('masks TikTok authorization codes and PKCE verifiers', () => {
    const shown = redactUrl(
      'https://auth.tiktok-shops.com/api/v2/token/get?app_key=abc&auth_code=ROW_abcdefghijklmnop1234&code_verifier=verifier-0123456789abcdef',
    );
    expect(shown).not.toContain('ROW_abcdefghijklmnop1234');
    expect(shown).not.toContain('verifier-0123456789abcdef');
    expect(shown).toContain('app_key=abc');
  });

  it('leaves a URL without credentials as it is', () => {
    expect(redactUrl('https://api.mercadolibre.com/items/MLB1?attributes=id,price')).toBe(
      'https://api.mercadolibre.com/items/MLB1?attributes=id,price',
    );
  });
});

describe('redactHeaders and redactText', () => {
  it('masks authorization, cookies and token headers', () => {
    expect(
      redactHeaders(
        new Headers({
          authorization: `Bearer ${TOKEN}`,
          'x-tts-access-token': TOKEN,
          accept: 'application/json',
        }),
      ),
    ).toEqual({ authorization: 'Bear…0789', 'x-tts-access-token': 'APP_…0789', accept: 'application/json' });
  });

  it('masks bearer tokens, token parameters and JSON token fields inside free text', () => {
    const text = `failed: Bearer ${TOKEN} at https://x.io/a?access_token=${TOKEN} body {"refresh_token":"${TOKEN}","id":"1"}`;
    const shown = redactText(text);
    expect(shown).not.toContain(TOKEN);
    expect(shown).toContain('"id":"1"');
  });
});
