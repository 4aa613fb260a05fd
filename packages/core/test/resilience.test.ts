import {
  backoffDelay,
  createCircuitBreaker,
  createManualClock,
  createTokenBucketLimiter,
  isLoopbackHost,
  parseRetryAfter,
} from '@mlh/core';
import { describe, expect, it } from 'vitest';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it('reads seconds and HTTP dates, never negative', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('draws from a window that doubles per retry, capped by maxDelayMs', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1_000 };
    const ceilings = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, options, () => 0.999_999));
    expect(ceilings).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });
});

describe('createTokenBucketLimiter', () => {
  it('lets a burst go, then spaces reservations at the sustained rate', () => {
    const limiter = createTokenBucketLimiter();
    const rule = { perSecond: 2, burst: 3 };
    const waits = Array.from({ length: 6 }, () => limiter.reserve('k', rule, 0));
    expect(waits).toEqual([0, 0, 0, 500, 1_000, 1_500]);
    expect(limiter.reserve('other', rule, 0)).toBe(0);
  });

  it('refills with time, up to the burst', () => {
    const limiter = createTokenBucketLimiter();
    const rule = { perSecond: 10, burst: 1 };
    expect(limiter.reserve('k', rule, 0)).toBe(0);
    expect(limiter.reserve('k', rule, 100)).toBe(0);
    expect(limiter.reserve('k', rule, 10_000)).toBe(0);
    expect(limiter.reserve('k', rule, 10_000)).toBe(100);
  });
});

describe('createCircuitBreaker', () => {
  it('keeps hosts apart', () => {
    const clock = createManualClock();
    const breaker = createCircuitBreaker({ failureThreshold: 1 }, { clock });
    breaker.acquire('a.example.com');
    breaker.failure('a.example.com');
    expect(breaker.state('a.example.com')).toBe('open');
    expect(breaker.acquire('b.example.com')).toEqual({ allowed: true });
  });

  it('closes only after halfOpenSuccesses successful trials', async () => {
    const clock = createManualClock();
    const breaker = createCircuitBreaker(
      { failureThreshold: 1, openMs: 1_000, halfOpenSuccesses: 2 },
      { clock },
    );
    breaker.failure('h');
    await clock.advance(1_000);
    expect(breaker.acquire('h')).toEqual({ allowed: true });
    breaker.success('h');
    expect(breaker.state('h')).toBe('half-open');
    expect(breaker.acquire('h')).toEqual({ allowed: true });
    breaker.success('h');
    expect(breaker.state('h')).toBe('closed');
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback names and addresses', () => {
    for (const host of ['localhost', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['example.com', '10.0.0.1', '128.0.0.1', 'localhost.evil.com', '127.0.0.1.nip.io']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});
