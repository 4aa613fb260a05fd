export * from './backoff';
export * from './circuit-breaker';
export type * from './events';
export * from './rate-limiter';
export * from './retry-budget';
export * from './status-errors';
export * from './transport';
export type * from './types';
export * from './url';
