export * from './crypto';
export { createMemoryDedupeStore, type WebhookDedupeStore } from './dedupe';
export type * from './events';
export { verifiedEvents } from './events';
export * from './handler';
export * from './node';
export * from './verify';
