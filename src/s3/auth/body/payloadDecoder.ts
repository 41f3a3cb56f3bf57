import { S3Error } from '../../../errors/S3Error.js';
import { AwsChunkedParser, type TrailerField } from './awsChunkedParser.js';
import { ChunkSignatureChain, type ChunkSigning } from './chunkSignatures.js';

/** Turns raw body bytes into payload bytes (removing any framing) and checks the framing's own promises. */
export interface PayloadDecoder {
  /** Decodes a piece of the raw body, handing payload bytes to `emit`. Throws an S3Error on a fault. */
  write(raw: Buffer, emit: (payload: Buffer) => void): void;
  /** The raw body ended. Throws when it is incomplete; returns the trailer fields (lower-case name → value). */
  end(): ReadonlyMap<string, string>;
}

const NO_TRAILERS: ReadonlyMap<string, string> = new Map();

/** A body sent as is. With a Content-Length, a body that ends short (client gone) is IncompleteBody. */
export function plainDecoder(contentLength: number | undefined): PayloadDecoder {
  let received = 0;
  return {
    write(raw, emit) {
      received += raw.length;
      if (contentLength !== undefined && received > contentLength) throw new S3Error('IncompleteBody');
      emit(raw);
    },
    end() {
      if (contentLength !== undefined && received !== contentLength) throw new S3Error('IncompleteBody');
      return NO_TRAILERS;
    },
  };
}

export interface ChunkedDecoderOptions {
  /** x-amz-decoded-content-length: the payload size the client promised. */
  readonly decodedLength: number;
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: chunk signatures are verified. */
  readonly signing?: ChunkSigning;
  /** Whether a signed trailer (x-amz-trailer-signature) ends the body: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER. */
  readonly signedTrailer: boolean;
  /** The trailer the client announced in x-amz-trailer (lower-case), if any. */
  readonly expectedTrailer?: string;
}

const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

/** An aws-chunked body, with or without chunk signatures and trailers. */
export function chunkedDecoder(options: ChunkedDecoderOptions): PayloadDecoder {
  const chain = options.signing === undefined ? undefined : new ChunkSignatureChain(options.signing);
  let decoded = 0;
  let emit: (payload: Buffer) => void = () => undefined;
  const parser = new AwsChunkedParser(
    {
      chunkStart(_size, signature) {
        chain?.begin(signature);
      },
      data(bytes) {
        decoded += bytes.length;
        if (decoded > options.decodedLength) throw new S3Error('IncompleteBody');
        chain?.update(bytes);
        emit(bytes);
      },
      chunkEnd() {
        chain?.end();
      },
    },
    { signed: chain !== undefined },
  );

  return {
    write(raw, sink) {
      emit = sink;
      parser.write(raw);
    },
    end() {
      const fields = parser.end();
      if (decoded !== options.decodedLength) throw new S3Error('IncompleteBody');
      return checkTrailers(fields, options, chain);
    },
  };
}

function checkTrailers(
  fields: readonly TrailerField[],
  options: ChunkedDecoderOptions,
  chain: ChunkSignatureChain | undefined,
): ReadonlyMap<string, string> {
  let values = fields;
  if (options.signedTrailer && chain !== undefined) {
    const last = fields[fields.length - 1];
    if (last?.name !== TRAILER_SIGNATURE) {
      throw new S3Error('InvalidRequest', { message: 'The trailer of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER body must end with x-amz-trailer-signature.' });
    }
    values = fields.slice(0, -1);
    chain.verifyTrailer(values, last.value);
  } else {
    values = fields.filter((f) => f.name !== TRAILER_SIGNATURE);
  }
  const map = new Map<string, string>();
  for (const field of values) {
    if (field.name === TRAILER_SIGNATURE || map.has(field.name)) {
      throw new S3Error('MalformedTrailerError', { details: { Reason: `repeated trailer ${field.name}` } });
    }
    if (field.name !== options.expectedTrailer) {
      throw new S3Error('InvalidRequest', { message: `The trailer ${field.name} was not announced in x-amz-trailer.` });
    }
    map.set(field.name, field.value);
  }
  if (options.expectedTrailer !== undefined && !map.has(options.expectedTrailer)) {
    throw new S3Error('InvalidRequest', { message: `The trailer ${options.expectedTrailer} announced in x-amz-trailer was not sent.` });
  }
  return map;
}

