import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../../../src/core/objects/ObjectVersion.js';
import { createRequestBody, type BodyAuth } from '../../../src/s3/auth/body/createRequestBody.js';
import { CHECKSUM_SPECS } from '../../../src/core/checksums/algorithms.js';
import { checksumOf } from '../../../src/core/checksums/createHasher.js';
import { frameChunks } from './chunkedFrames.js';
import { drain, expectS3Error, piecesStream } from './support.js';

const DATA = Buffer.from('123456789');
const MD5 = createHash('md5').update(DATA).digest('base64');
const UNSIGNED: BodyAuth = { payload: { kind: 'unsigned' } };
const TRAILER: BodyAuth = { payload: { kind: 'streaming-unsigned-trailer' } };

function body(headers: Record<string, string>, pieces: readonly Buffer[] = [DATA], auth: BodyAuth = UNSIGNED) {
  return createRequestBody({ headers, stream: piecesStream(pieces) }, auth);
}

function wrong(alg: ChecksumAlgorithm): string {
  return Buffer.alloc(CHECKSUM_SPECS[alg].digestLength, 1).toString('base64');
}

describe('plain bodies', () => {
  it('yields the bytes, the size and the MD5', async () => {
    const b = body({ 'content-length': '9' }, [DATA.subarray(0, 4), DATA.subarray(4)]);
    assert.equal(b.declaredLength, 9);
    const { data, error } = await drain(b);
    assert.equal(error, undefined);
    assert.ok(data.equals(DATA));
    assert.deepEqual(b.digests(), { size: 9, md5Hex: createHash('md5').update(DATA).digest('hex'), checksums: {} });
  });

  it('a body that ends before Content-Length: the stream errors with IncompleteBody', async () => {
    const { error } = await drain(body({ 'content-length': '10' }));
    assert.equal(error?.code, 'IncompleteBody');
  });

  it('a client that goes away mid-body: IncompleteBody', async () => {
    const source = new Readable({ read() {} });
    const b = createRequestBody({ headers: { 'content-length': '100' }, stream: source }, UNSIGNED);
    source.push(DATA);
    setImmediate(() => source.destroy(new Error('aborted')));
    const { error } = await drain(b);
    assert.equal(error?.code, 'IncompleteBody');
  });

  it('digests() before the end is a programming error', () => {
    assert.throws(() => body({}).digests(), { code: 'InternalError' });
  });

  it('a bad body that nobody reads does not crash the process', async () => {
    body({ 'content-md5': createHash('md5').update('other').digest('base64') });
    for (let i = 0; i < 5; i++) await tick();
  });

  it('x-amz-content-sha256 as a hash: verified at the end', async () => {
    const sha = createHash('sha256').update(DATA).digest('hex');
    assert.equal((await drain(body({}, [DATA], { payload: { kind: 'sha256', hex: sha } }))).error, undefined);
    const { error } = await drain(body({}, [Buffer.from('987654321')], { payload: { kind: 'sha256', hex: sha } }));
    assert.equal(error?.code, 'XAmzContentSHA256Mismatch');
    assert.equal(error?.details['S3ComputedContentSHA256'], createHash('sha256').update('987654321').digest('hex'));
  });
});

describe('Content-MD5', () => {
  it('accepts the MD5 of the content', async () => {
    assert.equal((await drain(body({ 'content-md5': MD5 }))).error, undefined);
  });

  it('another MD5: BadDigest, with both digests', async () => {
    const { error } = await drain(body({ 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }));
    assert.equal(error?.code, 'BadDigest');
    assert.equal(error?.message, 'The Content-MD5 you specified did not match what we received.');
    assert.deepEqual(error?.details, { ExpectedDigest: 'd41d8cd98f00b204e9800998ecf8427e', CalculatedDigest: MD5 });
  });

  for (const [name, value] of [
    ['not base64', 'not base64!'],
    ['11 bytes', 'YWJyYWNhZGFicmE='],
    ['hexadecimal', '25f9e794323b453885f5181f1b624d0b'],
    ['empty', ''],
  ]) {
    it(`${name ?? ''}: InvalidDigest before reading`, async () => {
      const err = await expectS3Error(() => body({ 'content-md5': value ?? '' }), 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
      assert.equal(err.details['Content-MD5'], value);
    });
  }
});

describe('flexible checksums in headers', () => {
  for (const alg of CHECKSUM_ALGORITHMS) {
    const name = CHECKSUM_SPECS[alg].headerName;
    it(`${alg}: verified and reported; another value is BadDigest; a malformed one InvalidRequest`, async () => {
      const value = await checksumOf(alg, DATA);
      const ok = body({ [name]: value, 'x-amz-sdk-checksum-algorithm': alg });
      assert.equal(ok.checksumAlgorithm, alg);
      assert.equal((await drain(ok)).error, undefined);
      assert.deepEqual(ok.digests().checksum, { algorithm: alg, value });

      const { error } = await drain(body({ [name]: wrong(alg) }));
      assert.equal(error?.code, 'BadDigest');
      assert.equal(error?.message, `The ${alg} you specified did not match the calculated checksum.`);

      await expectS3Error(() => body({ [name]: value.replace(/=+$/, '') + 'A' }), 'InvalidRequest', `Value for ${name} header is invalid.`);
      await expectS3Error(() => body({ [name]: Buffer.from(value, 'base64').toString('hex') }), 'InvalidRequest', `Value for ${name} header is invalid.`);
    });
  }

  const SINGLE = 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.';
  it('two checksum headers, even empty ones: InvalidRequest', async () => {
    await expectS3Error(() => body({ 'x-amz-checksum-crc32': '', 'x-amz-checksum-crc32c': '' }), 'InvalidRequest', SINGLE);
  });
  it('a checksum header and a trailer: InvalidRequest', async () => {
    await expectS3Error(
      () => body({ 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-trailer': 'x-amz-checksum-crc32c', 'x-amz-decoded-content-length': '9' }, [], TRAILER),
      'InvalidRequest',
      SINGLE,
    );
  });
  it('x-amz-checksum-algorithm / -type / -mode are not checksum values', async () => {
    const b = body({ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT', 'x-amz-checksum-mode': 'ENABLED' });
    assert.equal(b.checksumAlgorithm, undefined);
    assert.equal((await drain(b)).error, undefined);
  });
  it('x-amz-sdk-checksum-algorithm without a value: InvalidRequest', async () => {
    await expectS3Error(
      () => body({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }),
      'InvalidRequest',
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  });
  it('x-amz-sdk-checksum-algorithm of an unknown algorithm: InvalidRequest', async () => {
    await expectS3Error(
      () => body({ 'x-amz-sdk-checksum-algorithm': 'MD4', 'x-amz-checksum-crc32': 'AAAAAA==' }),
      'InvalidRequest',
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  });
  it('x-amz-sdk-checksum-algorithm naming another algorithm than the value: BadDigest', async () => {
    const crc32 = await checksumOf('CRC32', DATA);
    await expectS3Error(
      () => body({ 'x-amz-sdk-checksum-algorithm': 'SHA256', 'x-amz-checksum-crc32': crc32 }),
      'BadDigest',
      'The SHA256 you specified did not match the calculated checksum.',
    );
  });
});

describe('flexible checksums in trailers (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', () => {
  const headersFor = (alg: ChecksumAlgorithm) => ({
    'x-amz-trailer': CHECKSUM_SPECS[alg].headerName,
    'x-amz-decoded-content-length': String(DATA.length),
    'content-encoding': 'aws-chunked',
  });
  for (const alg of CHECKSUM_ALGORITHMS) {
    it(`${alg}: verified; another value is BadDigest; a malformed one InvalidRequest`, async () => {
      const name = CHECKSUM_SPECS[alg].headerName;
      const framed = (value: string) => frameChunks(DATA, { sizes: [4], trailers: [[name, value]] });
      const ok = body(headersFor(alg), [framed(await checksumOf(alg, DATA))], TRAILER);
      assert.equal(ok.checksumAlgorithm, alg);
      assert.equal((await drain(ok)).error, undefined);
      assert.deepEqual(ok.digests().checksum, { algorithm: alg, value: await checksumOf(alg, DATA) });

      const bad = await drain(body(headersFor(alg), [framed(wrong(alg))], TRAILER));
      assert.equal(bad.error?.code, 'BadDigest');
      const invalid = await drain(body(headersFor(alg), [framed('nope')], TRAILER));
      assert.equal(invalid.error?.code, 'InvalidRequest');
      assert.equal(invalid.error?.message, `Value for ${name} trailing header is invalid.`);
    });
  }

  it('x-amz-trailer on a plain body: InvalidRequest', async () => {
    await expectS3Error(() => body({ 'x-amz-trailer': 'x-amz-checksum-crc32' }), 'InvalidRequest');
  });
  it('x-amz-trailer naming something that is not a checksum: InvalidRequest', async () => {
    await expectS3Error(
      () => body({ 'x-amz-trailer': 'x-amz-meta-foo', 'x-amz-decoded-content-length': '9' }, [], TRAILER),
      'InvalidRequest',
      'The value specified in the x-amz-trailer header is not supported',
    );
  });
  it('x-amz-trailer with signed chunks but no trailer in x-amz-content-sha256: MalformedTrailerError', async () => {
    await expectS3Error(
      () => body({ 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': '9' }, [], { payload: { kind: 'streaming-signed', trailer: false } }),
      'MalformedTrailerError',
    );
  });
});

describe('computeChecksum and readAll', () => {
  it('computes a checksum the client did not send', async () => {
    const b = body({});
    b.computeChecksum('SHA256');
    await drain(b);
    assert.deepEqual(b.digests().checksum, { algorithm: 'SHA256', value: await checksumOf('SHA256', DATA) });
  });

  it('keeps the client checksum first and computes another one as well', async () => {
    const crc32 = await checksumOf('CRC32', DATA);
    const b = body({ 'x-amz-checksum-crc32': crc32 });
    b.computeChecksum('CRC64NVME');
    await drain(b);
    assert.deepEqual(b.digests().checksum, { algorithm: 'CRC32', value: crc32 });
    assert.equal(b.digests().checksums?.CRC64NVME, await checksumOf('CRC64NVME', DATA));
  });

  it('refuses computeChecksum once reading started', async () => {
    const b = body({});
    await drain(b);
    assert.throws(() => b.computeChecksum('SHA1'), { code: 'InternalError' });
  });

  it('readAll returns the verified bytes', async () => {
    assert.equal((await body({ 'content-md5': MD5 }).readAll(9)).toString(), '123456789');
  });

  it('readAll over the limit: MaxMessageLengthExceeded (also when only the stream tells)', async () => {
    await expectS3Error(() => body({ 'content-length': '9' }).readAll(8), 'MaxMessageLengthExceeded');
    await expectS3Error(() => body({}, [DATA, DATA]).readAll(10), 'MaxMessageLengthExceeded');
  });

  it('readAll rejects with the verification error', async () => {
    await expectS3Error(() => body({ 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }).readAll(100), 'BadDigest');
  });
});

describe('readAll reads straight from the request: the same bytes, digests and errors as the stream', () => {
  const sha = createHash('sha256').update(DATA).digest('hex');
  const crc32 = 'y/Q5Jg==';
  const framed = frameChunks(DATA, { sizes: [4], trailers: [['x-amz-checksum-crc32', crc32]] });
  const cases: [string, Record<string, string>, readonly Buffer[], BodyAuth][] = [
    ['plain, in two pieces', { 'content-length': '9' }, [DATA.subarray(0, 4), DATA.subarray(4)], UNSIGNED],
    ['no pieces at all', {}, [], UNSIGNED],
    ['Content-MD5 right', { 'content-md5': MD5 }, [DATA], UNSIGNED],
    ['Content-MD5 wrong', { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }, [DATA], UNSIGNED],
    ['SHA-256 right', {}, [DATA], { payload: { kind: 'sha256', hex: sha } }],
    ['SHA-256 wrong', {}, [DATA], { payload: { kind: 'sha256', hex: sha.replace(/^./, 'f') } }],
    ['shorter than Content-Length', { 'content-length': '10' }, [DATA], UNSIGNED],
    ['longer than Content-Length', { 'content-length': '8' }, [DATA], UNSIGNED],
    ['a checksum header, wrong', { 'x-amz-checksum-crc32': 'AAAAAA==' }, [DATA], UNSIGNED],
    ['aws-chunked with a trailer', { 'x-amz-decoded-content-length': '9', 'x-amz-trailer': 'x-amz-checksum-crc32' }, [framed], TRAILER],
    ['aws-chunked, cut short', { 'x-amz-decoded-content-length': '9', 'x-amz-trailer': 'x-amz-checksum-crc32' }, [framed.subarray(0, 12)], TRAILER],
    ['aws-chunked, wrong trailer', { 'x-amz-decoded-content-length': '9', 'x-amz-trailer': 'x-amz-checksum-crc32' }, [frameChunks(DATA, { sizes: [4], trailers: [['x-amz-checksum-crc32', 'AAAAAA==']] })], TRAILER],
    ['aws-chunked, byte by byte', { 'x-amz-decoded-content-length': '9', 'x-amz-trailer': 'x-amz-checksum-crc32' }, [...framed].map((b) => Buffer.of(b)), TRAILER],
    ['over the limit, no length said', {}, [DATA, DATA, DATA], UNSIGNED],
  ];
  for (const [name, headers, pieces, auth] of cases) {
    it(name, async () => {
      const streamed = body(headers, pieces, auth);
      const viaStream = await drain(streamed);
      const expected =
        viaStream.error === undefined && viaStream.data.length > 20 ? { code: 'MaxMessageLengthExceeded' } : viaStream.error;
      const read = body(headers, pieces, auth);
      const outcome = await read.readAll(20).then(
        (data) => ({ data }),
        (error: unknown) => ({ error: error as { code: string } }),
      );
      if (expected !== undefined) {
        assert.equal('error' in outcome ? outcome.error.code : 'no error', expected.code);
        return;
      }
      assert.ok('data' in outcome && outcome.data.equals(viaStream.data));
      assert.deepEqual(read.digests(), streamed.digests());
    });
  }

  it('a client that goes away mid-body: IncompleteBody, and the request is left paused', async () => {
    const source = new Readable({ read() {} });
    const b = createRequestBody({ headers: { 'content-length': '100' }, stream: source }, UNSIGNED);
    source.push(DATA);
    setImmediate(() => source.destroy(new Error('aborted')));
    await expectS3Error(() => b.readAll(1000), 'IncompleteBody');
  });

  it('a request that already failed: IncompleteBody', async () => {
    const source = new Readable({ read() {} });
    source.on('error', () => undefined);
    source.destroy(new Error('gone'));
    await tick();
    await expectS3Error(() => createRequestBody({ headers: {}, stream: source }, UNSIGNED).readAll(1000), 'IncompleteBody');
  });

  it('the stream of a body readAll has read errors instead of reading the request again', async () => {
    const b = body({});
    await b.readAll(100);
    const { error } = await drain(b);
    assert.equal(error?.code, 'InternalError');
  });
});

describe('checksum headers that describe an object (CompleteMultipartUpload)', () => {
  it('are left to the operation when the request says so', async () => {
    const b = createRequestBody(
      { headers: { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-sdk-checksum-algorithm': 'CRC32' }, stream: piecesStream([DATA]) },
      { payload: { kind: 'unsigned' }, checksumHeaders: 'object' },
    );
    assert.equal(b.checksumAlgorithm, undefined);
    assert.equal((await drain(b)).error, undefined);
  });
});
