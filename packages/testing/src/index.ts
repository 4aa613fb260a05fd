export * from './meli/index';
export * from './shared/index';
export * from './shopee/index';
export * from './tiktok/index';
