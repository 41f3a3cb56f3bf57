import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CHECKSUM_ALGORITHMS } from '../../../src/core/objects/ObjectVersion.js';
import { algorithmOfHeader, parseChecksumAlgorithm } from '../../../src/core/checksums/algorithms.js';
import { decodeChecksumValue } from '../../../src/core/checksums/checksumValue.js';
import { combineCrc, isCombinable } from '../../../src/core/checksums/combineCrc.js';
import { compositeChecksum } from '../../../src/core/checksums/compositeChecksum.js';
import { checksumOf, createHasher } from '../../../src/core/checksums/createHasher.js';

// The standard check values of each algorithm (the checksum of the ASCII string "123456789").
const CHECK = {
  CRC32: 'cbf43926',
  CRC32C: 'e3069283',
  CRC64NVME: 'ae8b14860a799888',
  SHA1: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441',
  SHA256: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225',
} as const;

describe('createHasher', () => {
  for (const alg of CHECKSUM_ALGORITHMS) {
    it(`${alg} gives the standard check value, in one piece and in several`, async () => {
      const data = Buffer.from('123456789');
      assert.equal(Buffer.from(await checksumOf(alg, data), 'base64').toString('hex'), CHECK[alg]);
      const h = createHasher(alg);
      for (const piece of [data.subarray(0, 4), data.subarray(4, 4), data.subarray(4)]) h.update(piece);
      assert.equal((await h.digest()).toString('hex'), CHECK[alg]);
    });
  }

  it('gives the known values for "Hello World"', async () => {
    const data = Buffer.from('Hello World');
    assert.equal(await checksumOf('CRC32', data), 'ShexVg=='); // 0x4a17b156
    assert.equal(await checksumOf('CRC32C', data), 'aR2qLw==');
    assert.equal(await checksumOf('CRC64NVME', data), 'ZZYyy35L4mE=');
    assert.equal(await checksumOf('SHA1', data), createHash('sha1').update(data).digest('base64'));
    assert.equal(await checksumOf('SHA256', data), createHash('sha256').update(data).digest('base64'));
  });

  it('gives the checksum of nothing for an empty body', async () => {
    assert.equal(await checksumOf('CRC32', Buffer.alloc(0)), 'AAAAAA==');
    assert.equal(await checksumOf('CRC64NVME', Buffer.alloc(0)), 'AAAAAAAAAAA=');
  });
});

describe('algorithm names', () => {
  it('maps header names and client spellings to algorithms', () => {
    assert.equal(algorithmOfHeader('x-amz-checksum-crc64nvme'), 'CRC64NVME');
    assert.equal(algorithmOfHeader('X-Amz-Checksum-SHA1'), 'SHA1');
    assert.equal(algorithmOfHeader('x-amz-checksum-md5'), undefined);
    assert.equal(algorithmOfHeader('x-amz-checksum-algorithm'), undefined);
    assert.equal(parseChecksumAlgorithm('crc32c'), 'CRC32C');
    assert.equal(parseChecksumAlgorithm('MD5'), undefined);
  });
});

describe('decodeChecksumValue', () => {
  const cases: [string, Parameters<typeof decodeChecksumValue>[0], string, boolean][] = [
    ['a CRC32', 'CRC32', 'ShexVg==', true],
    ['unpadded base64', 'CRC32', 'ShexVg', false],
    ['hex instead of base64', 'CRC32', '4a17b156', false],
    ['a CRC32C value for CRC64NVME (wrong length)', 'CRC64NVME', 'aR2qLw==', false],
    ['a CRC64NVME', 'CRC64NVME', 'ZZYyy35L4mE=', true],
    ['empty', 'SHA1', '', false],
    ['characters outside base64', 'CRC32', 'Sh!xVg==', false],
    ['a SHA-256', 'SHA256', 'pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=', true],
  ];
  for (const [name, alg, value, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${name}`, () => {
      assert.equal(decodeChecksumValue(alg, value) !== undefined, ok);
    });
  }
});

describe('compositeChecksum', () => {
  it('is the checksum of the concatenated raw part checksums, with the part count', async () => {
    const parts = [Buffer.from('part one'), Buffer.from('part two'), Buffer.from('3')];
    for (const alg of CHECKSUM_ALGORITHMS) {
      const values = await Promise.all(parts.map((p) => checksumOf(alg, p)));
      const raw = Buffer.concat(values.map((v) => Buffer.from(v, 'base64')));
      assert.equal(await compositeChecksum(alg, values), `${await checksumOf(alg, raw)}-3`);
    }
  });

  it('refuses a part checksum that is not of the algorithm', async () => {
    await assert.rejects(compositeChecksum('SHA256', ['ShexVg==']), { code: 'InvalidRequest' });
  });
});

describe('combineCrc (FULL_OBJECT checksums of multipart objects)', () => {
  it('equals the CRC of the whole data, for random part boundaries', async () => {
    const data = randomBytes(50_000);
    const cuts = [0, 0, 1, 4097, 4097, 33_333, 50_000];
    for (const alg of CHECKSUM_ALGORITHMS.filter(isCombinable)) {
      const parts = [];
      for (let i = 0; i + 1 < cuts.length; i++) {
        const piece = data.subarray(cuts[i], cuts[i + 1]);
        parts.push({ checksum: await checksumOf(alg, piece), size: piece.length });
      }
      assert.equal(combineCrc(alg, parts), await checksumOf(alg, data), alg);
    }
  });

  it('of no parts is the CRC of nothing', async () => {
    assert.equal(combineCrc('CRC32', []), await checksumOf('CRC32', Buffer.alloc(0)));
  });
});
