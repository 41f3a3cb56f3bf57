import { PostgresNotificationStore } from '../../../src/storage/metadata/postgres/notifications/PostgresNotificationStore.js';
import { PostgresReplicationStore } from '../../../src/storage/metadata/postgres/replication/PostgresReplicationStore.js';
import { notificationStoreContract } from '../notificationContract.js';
import { replicationStoreContract } from '../replicationContract.js';
import { openPostgres } from './postgresFeedFixtures.js';

replicationStoreContract('PostgreSQL', () => openPostgres((d) => new PostgresReplicationStore(d)));
notificationStoreContract('PostgreSQL', () => openPostgres((d) => new PostgresNotificationStore(d)));
