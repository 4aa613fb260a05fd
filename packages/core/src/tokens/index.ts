export type * from './authorizer';
export * from './encrypted-store';
export * from './locks';
export * from './manager';
export * from './memory-store';
export type * from './types';
