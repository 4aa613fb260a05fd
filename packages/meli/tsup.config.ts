import { adapterBuild } from '../../tsup.shared';

export default adapterBuild([
  'raw',
  'events',
  'categories',
  'labels',
  'messages',
  'proceeds',
  'invoices',
  'returns',
]);
