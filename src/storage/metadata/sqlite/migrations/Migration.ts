/** One step of the SQLite schema. Versions are consecutive integers starting at 1; never edit a released step. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
