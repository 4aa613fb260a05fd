import {
  AuthenticationError,
  MlhError,
  NetworkError,
  PermissionError,
  ValidationError,
  WebhookVerificationError,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';

describe('error names', () => {
  it('names every core error after its class, as logs and toJSON show it', () => {
    expect(new MlhError('x').name).toBe('MlhError');
    expect(new ValidationError('x', []).name).toBe('ValidationError');
    expect(new AuthenticationError('x').toJSON().name).toBe('AuthenticationError');
    expect(new NetworkError('x').name).toBe('NetworkError');
    expect(new WebhookVerificationError('bad_signature').name).toBe('WebhookVerificationError');
  });

  it('lets a subclass defined outside core keep its own name', () => {
    class ShopScopeError extends PermissionError {}
    expect(new ShopScopeError('x').name).toBe('ShopScopeError');
    expect(new ShopScopeError('x').kind).toBe('permission');
  });
});
