import type { Readable } from 'node:stream';

/** A response as the APIs hand it to `writeResponse` (src/http/writeResponse.ts). */
export interface HttpResponse {
  readonly status: number;
  /** Header values; undefined entries are omitted. */
  readonly headers?: Readonly<Record<string, string | number | undefined>>;
  /** A rendered XML document (Content-Type application/xml unless a header says otherwise), raw bytes, or a stream of the stated length. */
  readonly body?: string | Buffer | { readonly stream: Readable; readonly length: number };
}
