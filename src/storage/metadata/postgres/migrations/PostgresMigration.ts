/** One step of the PostgreSQL schema. Versions are consecutive integers starting at 1; never edit a released step. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
