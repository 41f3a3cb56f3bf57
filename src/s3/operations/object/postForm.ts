import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { S3Error } from '../../../errors/S3Error.js';

/**
 * Reading a browser POST upload's multipart/form-data body, streaming: every part before the `file` part is a
 * field (small, held in memory; browsers and tools such as Python's requests may send fields as file parts too),
 * the `file` part is the object's bytes (never buffered), and anything after it is ignored, as AWS does.
 */

/** AWS caps the fields that precede the file; more is MaxPostPreDataLengthExceededError. */
export const MAX_POST_PRE_DATA_BYTES = 20 * 1024;

export interface PostFormFile {
  /** The file part's filename (what `${filename}` in the key stands for); '' when the part had none. */
  readonly fileName: string;
  /** The bytes. Consume them: the form only finishes once they have been read. */
  readonly stream: Readable;
}

export interface PostForm {
  /** The fields before the file, names as sent; the first of a repeated name wins. */
  readonly fields: ReadonlyMap<string, string>;
  /** The file part; undefined when the form had none. */
  readonly file: PostFormFile | undefined;
  /**
   * Settles once the whole body has been read: rejects when it is not well-formed multipart (truncated, no closing
   * boundary) or the request body failed verification. Nothing may be committed before it resolves.
   */
  readonly finished: Promise<void>;
  /** Stop reading (after an error answered before the file was consumed). */
  abandon(): void;
  /** The error that broke the form (MalformedPOSTRequest, or the body's own S3Error), if it broke before abandon(). */
  failure(): S3Error | undefined;
}

function malformed(): S3Error {
  return new S3Error('MalformedPOSTRequest');
}

function tooLarge(): S3Error {
  return new S3Error('MaxPostPreDataLengthExceededError');
}

/**
 * Parse the form up to the start of its `file` part (or its end, when there is none). Rejects with
 * MalformedPOSTRequest (no boundary, broken multipart) or MaxPostPreDataLengthExceededError.
 */
export function readPostForm(headers: IncomingHttpHeaders, body: Readable, maxPreDataBytes = MAX_POST_PRE_DATA_BYTES): Promise<PostForm> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers,
      preservePath: true,
      defParamCharset: 'utf8',
      limits: { fieldSize: maxPreDataBytes + 1, fieldNameSize: maxPreDataBytes + 1, headerPairs: 100 },
    });
  } catch {
    return Promise.reject(malformed());
  }

  const fields = new Map<string, string>();
  const pendingFields: Array<Promise<void>> = [];
  let preData = 0;
  let fileSeen = false;

  let broken: S3Error | undefined;
  let abandoned = false;
  const finished = new Promise<void>((resolveFinished, rejectFinished) => {
    parser.once('close', () => resolveFinished());
    parser.once('error', (err: unknown) => {
      const error = err instanceof S3Error ? err : malformed();
      if (!abandoned) broken = error;
      rejectFinished(error);
    });
  });
  finished.catch(() => undefined); // observed by the caller; never an unhandled rejection

  const abandon = (): void => {
    if (abandoned) return;
    abandoned = true;
    body.unpipe(parser);
    parser.destroy();
    body.resume();
  };
  const failure = (): S3Error | undefined => broken;

  return new Promise<PostForm>((resolve, reject) => {
    const fail = (err: S3Error): void => {
      reject(err);
      abandon();
    };
    const count = (bytes: number): boolean => {
      preData += bytes;
      if (preData <= maxPreDataBytes) return true;
      fail(tooLarge());
      return false;
    };
    const settle = (file: PostFormFile | undefined): void => {
      Promise.all(pendingFields).then(
        () => resolve({ fields, file, finished, abandon, failure }),
        (err: unknown) => fail(err instanceof S3Error ? err : malformed()),
      );
    };

    parser.on('field', (name, value, info) => {
      if (fileSeen) return;
      if (info.nameTruncated || info.valueTruncated) {
        fail(tooLarge());
        return;
      }
      if (count(Buffer.byteLength(name) + Buffer.byteLength(value)) && !fields.has(name)) fields.set(name, value);
    });

    parser.on('file', (name, stream, info) => {
      // a part's stream errors when the form breaks or is abandoned while the part is unread; the form reports that
      // (finished, failure), and a stream nobody reads any more must not take the process down with it
      stream.on('error', () => undefined);
      if (fileSeen) {
        stream.resume(); // parts after the file are ignored
        return;
      }
      if (name.toLowerCase() === 'file') {
        fileSeen = true;
        settle({ fileName: info.filename ?? '', stream });
        return;
      }
      // a field sent as a file part
      pendingFields.push(
        new Promise<void>((done, failed) => {
          const chunks: Buffer[] = [];
          let within = count(Buffer.byteLength(name));
          stream.on('data', (chunk: Buffer) => {
            if (within && count(chunk.length)) chunks.push(chunk);
            else within = false;
          });
          stream.once('end', () => {
            if (within && !fields.has(name)) fields.set(name, Buffer.concat(chunks).toString('utf8'));
            done();
          });
          stream.once('error', failed);
        }),
      );
    });

    parser.once('close', () => {
      if (!fileSeen) settle(undefined);
    });
    parser.once('error', (err: unknown) => {
      if (!fileSeen) fail(err instanceof S3Error ? err : malformed());
    });
    body.once('error', (err: unknown) => {
      // a request body that failed verification: the parser (and the file stream) fail with the same error
      parser.destroy(err instanceof Error ? err : malformed());
    });
    body.pipe(parser);
  });
}
