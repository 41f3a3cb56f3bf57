import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Services } from '../../../src/core/Services.js';
import { writeTextObject } from '../../../src/core/batch/writeObject.js';

interface Stored {
  bytes: Buffer;
  md5Hex: string;
  size: number;
  chunks: number;
}

/** Just enough of Services for writeTextObject: a bucket, and a putObject that drains the payload. */
function fakeServices(stored: Stored[]): Services {
  const services = {
    buckets: { get: (name: string) => Promise.resolve({ name }) },
    objects: {
      async putObject(input: { payload: { stream: AsyncIterable<Buffer>; digests(): { size: number; md5Hex: string } } }) {
        const parts: Buffer[] = [];
        for await (const chunk of input.payload.stream) parts.push(Buffer.from(chunk));
        const { size, md5Hex } = input.payload.digests();
        stored.push({ bytes: Buffer.concat(parts), md5Hex, size, chunks: parts.length });
        return {};
      },
    },
  };
  return services as unknown as Services;
}

describe('writeTextObject', () => {
  it('streams text chunks of any size (multi-byte characters across block boundaries) byte-exact, with their MD5', async () => {
    const chunks: string[] = [];
    for (let i = 0; i < 40_000; i++) chunks.push(`bucket,clé-${i}-€😀,succeeded,200,,Successful\n`);
    chunks.push('x'.repeat(700_000)); // larger than a block
    chunks.push('fin\n');
    const expected = Buffer.from(chunks.join(''), 'utf8');
    const stored: Stored[] = [];
    async function* lazily(): AsyncGenerator<string> {
      for (const chunk of chunks) yield await Promise.resolve(chunk);
    }
    const md5 = await writeTextObject(fakeServices(stored), 'reports', 'r.csv', 'acct', lazily(), 'text/csv');
    const only = stored[0]!;
    assert.equal(stored.length, 1);
    assert.ok(only.bytes.equals(expected));
    assert.equal(only.size, expected.length);
    assert.equal(only.md5Hex, createHash('md5').update(expected).digest('hex'));
    assert.equal(md5, only.md5Hex);
    assert.ok(only.chunks > 4, 'the object is handed on in blocks, not as one buffer');
  });

  it('takes batches of strings mixed with single strings, byte-exact across block boundaries (randomized)', async () => {
    const alphabet = ['a', 'Z', ',', '\n', 'é', '€', '😀', '\u{10FFFF}', '中'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces: (string | string[])[] = [];
    for (let i = 0; i < 400; i++) {
      const piece = (): string => {
        let text = '';
        for (let c = random(200); c > 0; c--) text += alphabet[random(alphabet.length)]!;
        // now and then a piece larger than a block
        return random(300) === 0 ? text.repeat(2_000) : text;
      };
      if (random(3) === 0) pieces.push(piece());
      else pieces.push(Array.from({ length: random(60) }, piece));
    }
    const expected = Buffer.from(pieces.flat().join(''), 'utf8');
    const stored: Stored[] = [];
    const md5 = await writeTextObject(fakeServices(stored), 'reports', 'r.csv', 'acct', pieces, 'text/csv');
    const only = stored[0]!;
    assert.ok(only.bytes.equals(expected), 'the bytes are the UTF-8 of the pieces in order');
    assert.equal(only.size, expected.length);
    assert.equal(md5, createHash('md5').update(expected).digest('hex'));
  });

  it('writes an empty object', async () => {
    const stored: Stored[] = [];
    const md5 = await writeTextObject(fakeServices(stored), 'reports', 'e.json', 'acct', [], 'application/json');
    assert.equal(stored[0]!.size, 0);
    assert.equal(md5, createHash('md5').update(Buffer.alloc(0)).digest('hex'));
  });
});
