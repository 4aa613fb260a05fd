export * from './encrypted-store';
export * from './manager';
export * from './memory-store';
export type * from './types';
