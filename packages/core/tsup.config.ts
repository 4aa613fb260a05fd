import { packageBuild } from '../../tsup.shared';

// `hmac`: the synchronous HMAC for request signing, portable (pure JS); `hmac.node`: the same
// functions on node:crypto, chosen by the `node` export condition of `@mlh/core/hmac`.
// `nodeBuild`: Node imports dist/node/ (a few files per entry, a fast first import); bundlers the
// per-module build.
export default packageBuild(
  { index: 'src/index.ts', hmac: 'src/hmac.ts', 'hmac.node': 'src/hmac.node.ts' },
  {},
  { nodeBuild: true },
);
