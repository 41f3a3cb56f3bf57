import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteIamStore } from '../../src/storage/metadata/sqlite/iam/SqliteIamStore.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { runIamContract, type IamFixture } from './iamContract.js';

async function sqliteFixture(): Promise<IamFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-iam-'));
  let metadata = await SqliteMetadataStore.open({ dataDir: dir });
  let fixture: IamFixture = {
    store: new SqliteIamStore(metadata.connection),
    metadata,
    async reopen() {
      await metadata.close();
      metadata = await SqliteMetadataStore.open({ dataDir: dir });
      fixture = { ...fixture, store: new SqliteIamStore(metadata.connection), metadata };
      return { store: fixture.store, metadata };
    },
    async dispose() {
      await metadata.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

runIamContract('sqlite', { create: sqliteFixture });
