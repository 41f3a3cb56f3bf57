import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AwsChunkedParser } from '../../../src/s3/auth/body/awsChunkedParser.js';
import { createRequestBody } from '../../../src/s3/auth/body/createRequestBody.js';
import { chunkedDecoder, type ChunkedDecoderOptions } from '../../../src/s3/auth/body/payloadDecoder.js';
import { isS3Error, type S3Error } from '../../../src/errors/S3Error.js';
import { frameChunks, TEST_SIGNING } from './chunkedFrames.js';
import { drain, expectS3Error, piecesStream, seededRandom, splitRandomly } from './support.js';

interface Outcome {
  readonly data: Buffer;
  readonly trailers?: ReadonlyMap<string, string>;
  readonly error?: S3Error;
}

/** Runs the decoder over the pieces; any exception that is not an S3Error fails the test. */
function decode(pieces: readonly Buffer[], options: ChunkedDecoderOptions): Outcome {
  const decoder = chunkedDecoder(options);
  const out: Buffer[] = [];
  try {
    for (const piece of pieces) decoder.write(piece, (b) => out.push(Buffer.from(b)));
    return { data: Buffer.concat(out), trailers: decoder.end() };
  } catch (err) {
    assert.ok(isS3Error(err), `threw something other than an S3Error: ${String(err)}`);
    return { data: Buffer.concat(out), error: err };
  }
}

function randomSizes(random: () => number, total: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    const n = 1 + Math.floor(random() * Math.min(left, 3000));
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

describe('aws-chunked: any framing and any split decode to the same bytes', () => {
  it('unsigned chunks with a trailer (200 random cases)', () => {
    const random = seededRandom(42);
    for (let round = 0; round < 200; round++) {
      const data = randomBytes(Math.floor(random() * 10_000));
      const body = frameChunks(data, { sizes: randomSizes(random, data.length), trailers: [['x-amz-checksum-crc32', 'AAAAAA==']] });
      const pieces = splitRandomly(body, random, 1 + Math.floor(random() * 500));
      const out = decode(pieces, { decodedLength: data.length, signedTrailer: false, expectedTrailer: 'x-amz-checksum-crc32' });
      assert.equal(out.error, undefined, `round ${round}: ${out.error?.message ?? ''}`);
      assert.ok(out.data.equals(data), `round ${round}`);
      assert.equal(out.trailers?.get('x-amz-checksum-crc32'), 'AAAAAA==');
    }
  });

  it('signed chunks with a signed trailer (100 random cases)', () => {
    const random = seededRandom(1234);
    for (let round = 0; round < 100; round++) {
      const data = randomBytes(Math.floor(random() * 8_000));
      const body = frameChunks(data, {
        sizes: randomSizes(random, data.length),
        signing: TEST_SIGNING,
        trailers: [['x-amz-checksum-sha256', 'x']],
      });
      const pieces = splitRandomly(body, random, 1 + Math.floor(random() * 300));
      const out = decode(pieces, {
        decodedLength: data.length,
        signing: TEST_SIGNING,
        signedTrailer: true,
        expectedTrailer: 'x-amz-checksum-sha256',
      });
      assert.equal(out.error, undefined, `round ${round}: ${out.error?.message ?? ''}`);
      assert.ok(out.data.equals(data), `round ${round}`);
    }
  });

  it('one byte at a time', () => {
    const data = randomBytes(300);
    const body = frameChunks(data, { sizes: [1, 7, 100], signing: TEST_SIGNING });
    const out = decode(splitRandomly(body, () => 0, 1), { decodedLength: 300, signing: TEST_SIGNING, signedTrailer: false });
    assert.equal(out.error, undefined);
    assert.ok(out.data.equals(data));
  });

  it('an empty payload', () => {
    const out = decode([frameChunks(Buffer.alloc(0), { sizes: [], signing: TEST_SIGNING })], {
      decodedLength: 0,
      signing: TEST_SIGNING,
      signedTrailer: false,
    });
    assert.equal(out.error, undefined);
    assert.equal(out.data.length, 0);
  });

  it('a body that ends right after the final chunk (no blank line), as the AWS SDK for JavaScript sends', () => {
    const data = Buffer.from('abc');
    const body = frameChunks(data, { sizes: [], finalCrlf: false });
    assert.ok(body.toString().endsWith('\r\n0\r\n'));
    const out = decode([body], { decodedLength: 3, signedTrailer: false });
    assert.equal(out.error, undefined);
    assert.equal(out.data.toString(), 'abc');
  });
});

describe('aws-chunked: faults are S3Errors, never crashes', () => {
  it('random garbage (500 cases) fails with an S3Error', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 500; round++) {
      const garbage = randomBytes(Math.floor(random() * 2000));
      for (const signed of [false, true]) {
        const out = decode(splitRandomly(garbage, random, 200), {
          decodedLength: garbage.length,
          signedTrailer: false,
          ...(signed ? { signing: TEST_SIGNING } : {}),
        });
        assert.ok(out.error !== undefined, `round ${round}: garbage accepted`);
      }
    }
  });

  it('mutated valid bodies (1000 cases): a flipped, inserted or deleted byte is refused or yields bytes of the right length', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 1000; round++) {
      const data = randomBytes(1 + Math.floor(random() * 3000));
      const signed = random() < 0.5;
      const body = frameChunks(data, { sizes: randomSizes(random, data.length), ...(signed ? { signing: TEST_SIGNING } : {}) });
      const at = Math.floor(random() * body.length);
      const kind = Math.floor(random() * 3);
      const mutated =
        kind === 0
          ? Buffer.concat([body.subarray(0, at), Buffer.of((body[at] ?? 0) ^ (1 + Math.floor(random() * 255))), body.subarray(at + 1)])
          : kind === 1
            ? Buffer.concat([body.subarray(0, at), Buffer.of(Math.floor(random() * 256)), body.subarray(at)])
            : Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
      const out = decode(splitRandomly(mutated, random, 500), {
        decodedLength: data.length,
        signedTrailer: false,
        ...(signed ? { signing: TEST_SIGNING } : {}),
      });
      if (out.error === undefined) {
        assert.equal(out.data.length, data.length, `round ${round}`);
        if (signed) assert.ok(out.data.equals(data), `round ${round}: a signed body was changed and accepted`);
      }
    }
  });

  it('a body cut anywhere before its final chunk is IncompleteBody or InvalidRequest', () => {
    const data = randomBytes(5000);
    const body = frameChunks(data, { sizes: [1000, 2000], signing: TEST_SIGNING });
    const finalChunk = body.lastIndexOf('0;chunk-signature=');
    for (let cut = 0; cut < finalChunk + 70; cut += 37) {
      const out = decode([body.subarray(0, cut)], { decodedLength: 5000, signing: TEST_SIGNING, signedTrailer: false });
      assert.ok(out.error !== undefined, `cut at ${cut} accepted`);
      assert.ok(['IncompleteBody', 'InvalidRequest'].includes(out.error.code), out.error.code);
    }
  });
});

describe('aws-chunked: specific faults', () => {
  const data = Buffer.from('hello world');
  const unsigned = (body: string | Buffer, extra: Partial<ChunkedDecoderOptions> = {}) =>
    decode([Buffer.isBuffer(body) ? body : Buffer.from(body)], { decodedLength: data.length, signedTrailer: false, ...extra });
  const cases: [string, string, string][] = [
    ['a chunk size that is not hex', 'zz\r\nhello world\r\n0\r\n\r\n', 'InvalidRequest'],
    ['a bare LF after the chunk header', 'b\nhello world\r\n0\r\n\r\n', 'InvalidRequest'],
    ['data not followed by CRLF', 'b\r\nhello worldX\r\n0\r\n\r\n', 'InvalidRequest'],
    ['a chunk size of 17 hex digits', '00000000000000000b\r\nhello world\r\n0\r\n\r\n', 'InvalidRequest'],
    ['a chunk longer than announced in x-amz-decoded-content-length', 'c\r\nhello world!\r\n0\r\n\r\n', 'IncompleteBody'],
    ['a payload shorter than x-amz-decoded-content-length', '5\r\nhello\r\n0\r\n\r\n', 'IncompleteBody'],
    ['no final chunk', 'b\r\nhello world\r\n', 'IncompleteBody'],
    ['an unannounced trailer', 'b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n', 'InvalidRequest'],
    ['a trailer line without a colon', 'b\r\nhello world\r\n0\r\ngarbage\r\n\r\n', 'MalformedTrailerError'],
  ];
  for (const [name, body, code] of cases) {
    it(`${name}: ${code}`, () => assert.equal(unsigned(body).error?.code, code));
  }

  it('an announced trailer that is not sent: InvalidRequest', () => {
    assert.equal(unsigned('b\r\nhello world\r\n0\r\n\r\n', { expectedTrailer: 'x-amz-checksum-crc32' }).error?.code, 'InvalidRequest');
  });

  it('a chunk header line longer than 4 KiB: InvalidRequest, without buffering the rest', () => {
    const parser = new AwsChunkedParser({ chunkStart() {}, data() {}, chunkEnd() {} }, { signed: false });
    assert.throws(() => parser.write(Buffer.alloc(5000, 0x31)), { code: 'InvalidRequest' });
  });

  it('a trailer section longer than 16 KiB: MalformedTrailerError', () => {
    const body = `b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:${'A'.repeat(17_000)}\r\n\r\n`;
    assert.equal(unsigned(body, { expectedTrailer: 'x-amz-checksum-crc32' }).error?.code, 'MalformedTrailerError');
  });

  it('signed chunks: a chunk without its signature, or another extension, is InvalidRequest', () => {
    const signed = { signing: TEST_SIGNING };
    assert.equal(unsigned('b\r\nhello world\r\n0\r\n\r\n', signed).error?.code, 'InvalidRequest');
    assert.equal(unsigned(`b;chunk-signature=${'0'.repeat(64)};x=y\r\nhello world\r\n0\r\n\r\n`, signed).error?.code, 'InvalidRequest');
  });

  it('signed chunks: two chunks swapped break the chain (SignatureDoesNotMatch)', () => {
    const d = Buffer.from('aaaabbbb');
    const body = frameChunks(d, { sizes: [4, 4], signing: TEST_SIGNING }).toString('latin1');
    const [first, second, rest] = body.split(/(?=4;chunk-signature=|0;chunk-signature=)/) as [string, string, string];
    const swapped = Buffer.from(second.replace('bbbb', 'aaaa') + first.replace('aaaa', 'bbbb') + rest, 'latin1');
    assert.equal(decode([swapped], { decodedLength: 8, signing: TEST_SIGNING, signedTrailer: false }).error?.code, 'SignatureDoesNotMatch');
  });

  it('signed trailer: a missing x-amz-trailer-signature is InvalidRequest', () => {
    const body = frameChunks(data, { sizes: [], trailers: [['x-amz-checksum-crc32', 'AAAAAA==']] });
    const out = decode([body], { decodedLength: data.length, signing: TEST_SIGNING, signedTrailer: true, expectedTrailer: 'x-amz-checksum-crc32' });
    assert.equal(out.error?.code, 'InvalidRequest');
  });

  it('signed, no trailer: bytes after the final chunk are refused', () => {
    const body = Buffer.concat([frameChunks(data, { sizes: [], signing: TEST_SIGNING }), Buffer.from('extra')]);
    assert.ok(decode([body], { decodedLength: data.length, signing: TEST_SIGNING, signedTrailer: false }).error !== undefined);
  });
});

describe('aws-chunked through the RequestBody stream', () => {
  it('random garbage makes the stream error with an S3Error (and never hang)', async () => {
    const random = seededRandom(5);
    for (let round = 0; round < 50; round++) {
      const garbage = randomBytes(1 + Math.floor(random() * 3000));
      const body = createRequestBody(
        { headers: { 'x-amz-decoded-content-length': String(garbage.length) }, stream: piecesStream(splitRandomly(garbage, random, 300)) },
        { payload: { kind: 'streaming-unsigned-trailer' } },
      );
      const { error } = await drain(body);
      assert.ok(error !== undefined, `round ${round}`);
    }
  });

  it('requires x-amz-decoded-content-length (MissingContentLength), before reading', async () => {
    await expectS3Error(
      () => createRequestBody({ headers: {}, stream: piecesStream([]) }, { payload: { kind: 'streaming-unsigned-trailer' } }),
      'MissingContentLength',
    );
  });

  it('refuses signed chunks on an anonymous request', async () => {
    await expectS3Error(
      () =>
        createRequestBody(
          { headers: { 'x-amz-decoded-content-length': '0' }, stream: piecesStream([]) },
          { payload: { kind: 'streaming-signed', trailer: false } },
        ),
      'InvalidRequest',
    );
  });
});
