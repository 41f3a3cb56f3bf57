import { S3Error } from '../../../errors/S3Error.js';

/**
 * An incremental parser of the aws-chunked framing S3 uses for streaming uploads:
 *
 *   chunk   = hex-size [ ";chunk-signature=" 64HEXDIG ] CRLF  data  CRLF
 *   final   = "0" [ ";chunk-signature=" 64HEXDIG ] CRLF
 *   trailer = *( name ":" value CRLF ) CRLF                 (may be absent: the body may end right after `final`)
 *
 * Buffering is bounded: a chunk header line may not exceed `maxHeaderLength` bytes and the trailer section
 * `maxTrailerLength` bytes; data is passed on as it arrives (views into the input buffers, never copied).
 * Every fault is an S3Error thrown from write()/end(): InvalidRequest for bad framing, MalformedTrailerError for a bad
 * trailer section, IncompleteBody when the body ends before the final chunk.
 */

export interface ChunkedParserEvents {
  /** A chunk header was read (also for the final, empty chunk). */
  chunkStart(size: number, signature: string | undefined): void;
  /** Payload bytes of the current chunk. */
  data(bytes: Buffer): void;
  /** The current chunk is complete (after its closing CRLF; for the final chunk, right after its header). */
  chunkEnd(final: boolean): void;
}

export interface ChunkedParserOptions {
  /** Whether each chunk header must carry `;chunk-signature=<64 hex>`. */
  readonly signed: boolean;
  readonly maxHeaderLength?: number;
  readonly maxTrailerLength?: number;
  readonly maxChunkSize?: number;
}

export interface TrailerField {
  /** lower-case */
  readonly name: string;
  readonly value: string;
}

type State = 'header' | 'data' | 'data-cr' | 'data-lf' | 'trailer' | 'ended' | 'failed';

const CR = 0x0d;
const LF = 0x0a;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;
const HEX_SIZE = /^[0-9a-fA-F]{1,16}$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function framingError(detail: string): S3Error {
  return new S3Error('InvalidRequest', { message: `Invalid aws-chunked body: ${detail}` });
}

export function terminatedUnexpectedly(): S3Error {
  return new S3Error('IncompleteBody', { message: 'The request body terminated unexpectedly' });
}

export class AwsChunkedParser {
  private state: State = 'header';
  private readonly line: Buffer[] = [];
  private lineLength = 0;
  private remaining = 0;
  private readonly trailer: Buffer[] = [];
  private trailerLength = 0;
  private readonly maxHeaderLength: number;
  private readonly maxTrailerLength: number;
  private readonly maxChunkSize: number;

  constructor(
    private readonly events: ChunkedParserEvents,
    private readonly options: ChunkedParserOptions,
  ) {
    this.maxHeaderLength = options.maxHeaderLength ?? 4096;
    this.maxTrailerLength = options.maxTrailerLength ?? 16 * 1024;
    this.maxChunkSize = options.maxChunkSize ?? 2 ** 40;
  }

  /** Feeds raw body bytes. Throws an S3Error at the first fault; after that the parser refuses further input. */
  write(input: Buffer): void {
    if (this.state === 'failed') throw framingError('input after a fault');
    if (this.state === 'ended') throw framingError('input after the end');
    try {
      this.consume(input);
    } catch (err) {
      this.state = 'failed';
      throw err;
    }
  }

  /** The raw body ended: returns the trailer fields, in order. Throws when the body was cut short or is malformed. */
  end(): readonly TrailerField[] {
    if (this.state === 'failed') throw framingError('input after a fault');
    if (this.state !== 'trailer') {
      this.state = 'failed';
      throw terminatedUnexpectedly();
    }
    this.state = 'ended';
    return parseTrailer(Buffer.concat(this.trailer, this.trailerLength).toString('utf8'));
  }

  private consume(input: Buffer): void {
    let pos = 0;
    while (pos < input.length) {
      switch (this.state) {
        case 'header': {
          const lf = input.indexOf(LF, pos);
          const end = lf < 0 ? input.length : lf;
          if (this.lineLength + (end - pos) > this.maxHeaderLength) throw framingError('chunk header line too long');
          this.line.push(input.subarray(pos, end));
          this.lineLength += end - pos;
          if (lf < 0) return;
          pos = lf + 1;
          const line = Buffer.concat(this.line, this.lineLength);
          this.line.length = 0;
          this.lineLength = 0;
          this.header(line);
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, input.length - pos);
          this.events.data(input.subarray(pos, pos + n));
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = 'data-cr';
          break;
        }
        case 'data-cr':
          if (input[pos] !== CR) throw framingError('chunk data not followed by CRLF');
          pos++;
          this.state = 'data-lf';
          break;
        case 'data-lf':
          if (input[pos] !== LF) throw framingError('chunk data not followed by CRLF');
          pos++;
          this.state = 'header';
          this.events.chunkEnd(false);
          break;
        case 'trailer': {
          const n = input.length - pos;
          if (this.trailerLength + n > this.maxTrailerLength) {
            throw new S3Error('MalformedTrailerError', { details: { Reason: 'trailer section too long' } });
          }
          this.trailer.push(input.subarray(pos));
          this.trailerLength += n;
          pos = input.length;
          break;
        }
        case 'ended':
        case 'failed':
          throw framingError('unexpected input');
      }
    }
  }

  private header(line: Buffer): void {
    if (line.length === 0 || line[line.length - 1] !== CR) throw framingError('chunk header not terminated by CRLF');
    const text = line.subarray(0, line.length - 1).toString('latin1');
    const semi = text.indexOf(';');
    const sizeText = semi < 0 ? text : text.slice(0, semi);
    if (!HEX_SIZE.test(sizeText)) throw framingError(`bad chunk size "${sizeText.slice(0, 32)}"`);
    const size = Number.parseInt(sizeText, 16);
    if (size > this.maxChunkSize) throw framingError('chunk too large');
    let signature: string | undefined;
    if (semi >= 0) {
      for (const extension of text.slice(semi + 1).split(';')) {
        const eq = extension.indexOf('=');
        const name = (eq < 0 ? extension : extension.slice(0, eq)).trim();
        const value = eq < 0 ? '' : extension.slice(eq + 1).trim();
        if (name === 'chunk-signature') {
          if (signature !== undefined || !SIGNATURE.test(value)) throw framingError('bad chunk-signature');
          signature = value;
        } else if (this.options.signed) {
          throw framingError(`unexpected chunk extension "${name.slice(0, 32)}"`);
        }
      }
    }
    if (this.options.signed && signature === undefined) throw framingError('chunk without chunk-signature');
    this.events.chunkStart(size, signature);
    if (size === 0) {
      this.state = 'trailer';
      this.events.chunkEnd(true);
    } else {
      this.remaining = size;
      this.state = 'data';
    }
  }
}

/** Trailer lines `name:value`, separated by CRLF (a bare LF is tolerated); blank lines are ignored. */
function parseTrailer(text: string): TrailerField[] {
  const fields: TrailerField[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim().toLowerCase();
    if (!TOKEN.test(name)) {
      throw new S3Error('MalformedTrailerError', { details: { Reason: 'trailer line is not "name:value"' } });
    }
    fields.push({ name, value: line.slice(colon + 1).trim() });
  }
  return fields;
}
