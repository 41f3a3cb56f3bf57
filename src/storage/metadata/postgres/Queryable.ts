import type { Tx } from './PostgresDatabase.js';

/** Where a repository runs a statement: the pool (a single-statement read) or a transaction's client. */
export type Queryable = Tx;
