import { parseSecureUrl, ValidationError } from '@mlh/core';
import { describe, expect, it } from 'vitest';

describe('parseSecureUrl: the one rule for URLs requests and browsers go to', () => {
  it.each([
    'https://auth.mercadolivre.com.br',
    'http://localhost:3000/cb',
    'http://app.localhost/cb',
    'http://127.0.0.1/cb',
    'http://127.8.9.10:8080/cb',
    'http://[::1]:3000/cb',
  ])('accepts %s', (value) => {
    expect(parseSecureUrl(value, 'redirectUri').href).toBe(new URL(value).href);
  });

  it.each([
    ['http://shop.example.com/cb', 'insecure_url'],
    ['http://10.0.0.5/cb', 'insecure_url'],
    ['http://localhost.example.com/cb', 'insecure_url'],
    ['ftp://example.com/cb', 'insecure_url'],
    ['/relative/cb', 'invalid_url'],
  ])('refuses %s, naming the field', (value, code) => {
    const attempt = () => parseSecureUrl(value, 'redirectUri', 'meli', 'Invalid authorization options');
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/^Invalid authorization options: redirectUri: /);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        expect.objectContaining({ path: 'redirectUri', code }),
      ]);
      expect((error as ValidationError).marketplace).toBe('meli');
    }
  });
});
