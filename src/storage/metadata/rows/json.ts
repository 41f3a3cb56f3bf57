/**
 * Small JSON columns: empty objects and absent values are stored as NULL so the common case needs no parsing.
 */
export function objectToColumn(value: object): string | null {
  for (const _ in value) return JSON.stringify(value);
  return null;
}

export function columnToObject<T extends object>(column: string | null): T {
  return (column === null ? {} : JSON.parse(column)) as T;
}

export function arrayToColumn(value: readonly unknown[] | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
