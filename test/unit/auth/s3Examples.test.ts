import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authenticate } from '../../../src/s3/auth/authenticate.js';
import { createRequestBody } from '../../../src/s3/auth/body/createRequestBody.js';
import { deriveSigningKey } from '../../../src/s3/auth/sigv4/signingKey.js';
import { DOC_CREDENTIALS, DOC_KEY_ID, DOC_NOW, DOC_SECRET, drain, fakeRequest, piecesStream, SETTINGS, splitRandomly, seededRandom } from './support.js';

// The worked examples of the S3 API reference ("Signature Calculations for the Authorization Header",
// "Authenticating Requests: Using Query Parameters", "… Transferring Payload in Multiple Chunks",
// "Signature calculations for trailing headers"): examplebucket, AKIAIOSFODNN7EXAMPLE, 2013-05-24.

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SCOPE = `${DOC_KEY_ID}/20130524/us-east-1/s3/aws4_request`;
const HOST = 'examplebucket.s3.amazonaws.com';

function authorization(signedHeaders: string, signature: string): string {
  return `AWS4-HMAC-SHA256 Credential=${SCOPE},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

describe('the S3 documentation examples', () => {
  it('GET Object with a Range header', async () => {
    const request = fakeRequest({
      target: '/test.txt',
      headers: {
        host: HOST,
        range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY,
        'x-amz-date': '20130524T000000Z',
        authorization: authorization('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
      },
    });
    const auth = await authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    assert.equal(auth.method, 'header');
    assert.equal(auth.service, 's3');
    assert.equal(auth.principal.kind === 'user' && auth.principal.accessKeyId, DOC_KEY_ID);
    const { data, error } = await drain(auth.body);
    assert.equal(error, undefined);
    assert.equal(data.length, 0);
    assert.equal(auth.body.digests().md5Hex, 'd41d8cd98f00b204e9800998ecf8427e');
  });

  for (const target of ['/test$file.text', '/test%24file.text']) {
    it(`PUT Object (${target}) with a signed payload and the Date header signed`, async () => {
      const body = 'Welcome to Amazon S3.';
      const request = fakeRequest({
        method: 'PUT',
        target,
        headers: {
          host: HOST,
          date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-date': '20130524T000000Z',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
          'content-length': String(body.length),
          authorization: authorization(
            'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
            '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
          ),
        },
        body,
      });
      const auth = await authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW);
      const { data, error } = await drain(auth.body);
      assert.equal(error, undefined);
      assert.equal(data.toString(), body);
      assert.equal(auth.body.digests().size, body.length);
    });
  }

  it('GET Bucket lifecycle (?lifecycle)', async () => {
    const request = fakeRequest({
      target: '/?lifecycle',
      headers: {
        host: HOST,
        'x-amz-date': '20130524T000000Z',
        'x-amz-content-sha256': EMPTY,
        authorization: authorization('host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'),
      },
    });
    await authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW);
  });

  it('GET Bucket (List Objects) with max-keys and prefix', async () => {
    const request = fakeRequest({
      target: '/?max-keys=2&prefix=J',
      headers: {
        host: HOST,
        'x-amz-date': '20130524T000000Z',
        'x-amz-content-sha256': EMPTY,
        authorization: authorization('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
      },
    });
    await authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW);
  });

  it('a presigned GET URL valid for 86400 seconds', async () => {
    const target =
      '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const request = fakeRequest({ target, headers: { host: HOST } });
    const auth = await authenticate(request, DOC_CREDENTIALS, SETTINGS, new Date('2013-05-24T23:59:59Z'));
    assert.equal(auth.method, 'presigned');
    await assert.rejects(authenticate(request, DOC_CREDENTIALS, SETTINGS, new Date('2013-05-25T00:00:01Z')), {
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });
});

// The chunked upload example: 65536 + 1024 bytes of 'a', then the final empty chunk.
const DATA = Buffer.alloc(66_560, 'a');
const SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
] as const;

function chunkedBody(signatures: readonly string[], trailer = '\r\n'): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
    DATA.subarray(0, 65_536),
    Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
    DATA.subarray(65_536),
    Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n${trailer}`),
  ]);
}

function chunkedRequest(body: Buffer | Buffer[]) {
  return fakeRequest({
    method: 'PUT',
    target: '/examplebucket/chunkObject.txt',
    headers: {
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
      authorization: authorization(
        'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
        '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      ),
    },
    body,
  });
}

describe('the chunked upload example (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  it('verifies the seed signature and every chunk signature, however the body is split', async () => {
    const body = chunkedBody(SIGNATURES);
    assert.equal(body.length, 66_824);
    const random = seededRandom(7);
    for (const pieces of [[body], splitRandomly(body, random, 1000), splitRandomly(body, random, 7)]) {
      const auth = await authenticate(chunkedRequest(pieces), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
      assert.equal(auth.body.declaredLength, 66_560);
      const { data, error } = await drain(auth.body);
      assert.equal(error, undefined);
      assert.ok(data.equals(DATA));
      assert.equal(auth.body.digests().size, 66_560);
    }
  });

  for (let i = 0; i < 3; i++) {
    it(`refuses the upload when chunk signature ${i + 1} is changed`, async () => {
      const signatures: string[] = [...SIGNATURES];
      const s = signatures[i] ?? '';
      signatures[i] = `${s.slice(0, 63)}${s.endsWith('0') ? '1' : '0'}`;
      const auth = await authenticate(chunkedRequest(chunkedBody(signatures)), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
      const { error } = await drain(auth.body);
      assert.equal(error?.code, 'SignatureDoesNotMatch');
    });
  }

  it('refuses the upload when a data byte is changed', async () => {
    const body = chunkedBody(SIGNATURES);
    body[66_000] = 0x62; // inside the second chunk
    const auth = await authenticate(chunkedRequest(body), DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    const { error } = await drain(auth.body);
    assert.equal(error?.code, 'SignatureDoesNotMatch');
    assert.match(error?.details['StringToSign'] ?? '', /^AWS4-HMAC-SHA256-PAYLOAD\n/);
  });
});

describe('the trailing header example (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', () => {
  // The seed signature is taken as published; the chain, the trailer's canonical form and its signature are checked.
  const trailerSignatures = [
    'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
    '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
  ];
  const trailer =
    'x-amz-checksum-crc32c:sOO8/Q==\r\n' +
    'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n';
  const headers = {
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
    'x-amz-trailer': 'x-amz-checksum-crc32c',
  };
  const signing = {
    signingKey: deriveSigningKey(DOC_SECRET, '20130524', 'us-east-1', 's3'),
    amzDate: '20130524T000000Z',
    scope: '20130524/us-east-1/s3/aws4_request',
    seedSignature: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
    accessKeyId: DOC_KEY_ID,
  };

  it('verifies the seed signature through authenticate, then the chain and the signed trailer', async () => {
    const body = chunkedBody(trailerSignatures, trailer);
    const request = fakeRequest({
      method: 'PUT',
      target: '/examplebucket/chunkObject.txt',
      headers: {
        ...headers,
        host: 's3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        'content-length': String(body.length),
        authorization: authorization(
          'content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer',
          '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
        ),
      },
      body: splitRandomly(body, seededRandom(11), 5000),
    });
    const auth = await authenticate(request, DOC_CREDENTIALS, SETTINGS, DOC_NOW);
    const { data, error } = await drain(auth.body);
    assert.equal(error, undefined);
    assert.ok(data.equals(DATA));
    assert.deepEqual(auth.body.digests().checksum, { algorithm: 'CRC32C', value: 'sOO8/Q==' });
  });

  it('decodes the body, verifies the signed trailer and reports its CRC32C', async () => {
    const body = chunkedBody(trailerSignatures, trailer);
    const request = { headers, stream: piecesStream(splitRandomly(body, seededRandom(3), 777)) };
    const rb = createRequestBody(request, { payload: { kind: 'streaming-signed', trailer: true }, chunkSigning: signing });
    assert.equal(rb.checksumAlgorithm, 'CRC32C');
    const { data, error } = await drain(rb);
    assert.equal(error, undefined);
    assert.ok(data.equals(DATA));
    assert.deepEqual(rb.digests().checksum, { algorithm: 'CRC32C', value: 'sOO8/Q==' });
  });

  it('refuses a trailer whose value was changed after signing', async () => {
    const body = chunkedBody(trailerSignatures, trailer.replace('sOO8/Q==', 'sOO8/A=='));
    const rb = createRequestBody({ headers, stream: piecesStream([body]) }, {
      payload: { kind: 'streaming-signed', trailer: true },
      chunkSigning: signing,
    });
    const { error } = await drain(rb);
    assert.equal(error?.code, 'SignatureDoesNotMatch');
    assert.match(error?.details['StringToSign'] ?? '', /^AWS4-HMAC-SHA256-TRAILER\n/);
  });
});
