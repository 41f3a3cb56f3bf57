/** The server's answer to a refused request, as the user should read it: "Code: message". */
export function errorText(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; message?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } };
    const code = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : 'Error';
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : `HTTP ${e.$metadata?.httpStatusCode ?? '?'}`;
    return message === code ? code : `${code}: ${message}`;
  }
  return String(err);
}
