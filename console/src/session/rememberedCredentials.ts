import type { Credentials } from './Credentials.js';

const KEY = 'tessera-console-credentials';

/** Credentials kept in this tab's session storage, only when the user ticked "remember in this tab". */
export function rememberedCredentials(): Credentials | undefined {
  try {
    const text = window.sessionStorage.getItem(KEY);
    if (text === null) return undefined;
    const value = JSON.parse(text) as Partial<Credentials>;
    if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string' || typeof value.region !== 'string') return undefined;
    return {
      accessKeyId: value.accessKeyId,
      secretAccessKey: value.secretAccessKey,
      region: value.region,
      ...(typeof value.sessionToken === 'string' ? { sessionToken: value.sessionToken } : {}),
    };
  } catch {
    return undefined;
  }
}

export function remember(credentials: Credentials | undefined): void {
  if (credentials === undefined) window.sessionStorage.removeItem(KEY);
  else window.sessionStorage.setItem(KEY, JSON.stringify(credentials));
}
