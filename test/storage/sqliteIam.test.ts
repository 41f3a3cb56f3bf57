import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteIamStore } from '../../src/storage/metadata/sqlite/iam/SqliteIamStore.js';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { runIamContract, type IamFixture } from './iamContract.js';

async function sqliteFixture(): Promise<IamFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-iam-'));
  let database = await SqliteDatabase.open(dir);
  let metadata = new SqliteMetadataStore(database, true);
  let fixture: IamFixture = {
    store: new SqliteIamStore(database),
    metadata,
    async reopen() {
      await metadata.close();
      database = await SqliteDatabase.open(dir);
      metadata = new SqliteMetadataStore(database, true);
      fixture = { ...fixture, store: new SqliteIamStore(database), metadata };
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
