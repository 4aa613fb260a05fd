import { adapterBuild } from '../../tsup.shared';

// `signer`: the request signer alone, for apps that only sign (no zod, no transport).
export default adapterBuild(['raw', 'events', 'categories', 'labels', 'proceeds', 'invoices', 'returns'], {
  signer: 'src/signer.ts',
});
