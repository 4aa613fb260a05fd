// The consumer smoke from CommonJS: the packages loaded with `require`, then the shared checks.
const { runChecks } = require('./checks.cjs');

runChecks({
  core: require('@mlh/core'),
  meli: require('@mlh/meli'),
  shopee: require('@mlh/shopee'),
  shopeeSigner: require('@mlh/shopee/signer'),
  tiktok: require('@mlh/tiktok'),
  tiktokSigner: require('@mlh/tiktok/signer'),
  sync: require('@mlh/sync'),
  testing: require('@mlh/testing'),
  server: require('@mlh/testing/server'),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
