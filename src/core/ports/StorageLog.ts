/** The slice of a pino logger storage code uses (pino's Logger satisfies it; tests can pass a silent one). */
export interface StorageLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLog: StorageLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
