import { describe } from 'vitest';
import { describeReturnRestock } from '../../sync/test/support/return-restock-battery';
import { emptySyncStorePerCase, skipReason } from './support';

describe.skipIf(skipReason !== undefined)('PostgreSQL', () => {
  describeReturnRestock('PostgreSQL', emptySyncStorePerCase());
});
