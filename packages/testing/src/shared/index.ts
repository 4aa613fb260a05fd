export * from './clock';
export * from './documents';
export * from './faults';
export * from './http';
export * from './nfe';
export * from './random';
export * from './rate-limit';
export * from './webhooks';
