/** Run a synchronous read now; its result or its exception becomes the promise's outcome (the SQLite stores' reads). */
export function settle<T>(read: () => T): Promise<T> {
  try {
    return Promise.resolve(read());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
