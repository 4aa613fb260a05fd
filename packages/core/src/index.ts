export * from './client';
export * from './errors';
export * from './models';
export * from './money';
export * from './tokens/index';
export * from './transport/index';
export * from './validation';
export * from './webhooks/index';
