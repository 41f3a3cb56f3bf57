import { describe } from 'node:test';
import { accessStoreContract } from './metadata/accessStoreContract.js';
import { accountStoreContract } from './metadata/accountStoreContract.js';
import { blobLedgerContract } from './metadata/blobLedgerContract.js';
import { bucketStoreContract } from './metadata/bucketStoreContract.js';
import { contractTest, type MetadataContractTarget } from './metadata/contractKit.js';
import { durabilityContract } from './metadata/durabilityContract.js';
import { uploadStoreContract } from './metadata/uploadStoreContract.js';
import { versionStoreContract } from './metadata/versionStoreContract.js';

export { blobId, inlineVersion, newVersion, type MetadataContractTarget, type MetadataFixture } from './metadata/contractKit.js';

/**
 * The behaviour every MetadataStore backend must have: one suite per role port (test/storage/metadata/), run
 * together against one backend. Call it from a `*.test.ts` file:
 *   runMetadataContract('sqlite', { create: async () => … });
 */
export function runMetadataContract(name: string, target: MetadataContractTarget): void {
  const test = contractTest(target);
  void describe(`MetadataStore contract: ${name}`, { skip: target.skip ?? false }, () => {
    accountStoreContract(test);
    bucketStoreContract(test);
    versionStoreContract(test);
    accessStoreContract(test);
    uploadStoreContract(test);
    blobLedgerContract(test);
    durabilityContract(test);
  });
}
