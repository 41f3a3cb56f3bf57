import type { ChecksumAlgorithm } from '../objects/ObjectVersion.js';
import { S3Error } from '../../errors/S3Error.js';
import { decodeChecksumValue } from './checksumValue.js';

/**
 * FULL_OBJECT checksums of multipart objects: the CRC of the whole object computed from the CRCs and sizes of its
 * parts, without reading the data again. The CRCs S3 offers (CRC32, CRC32C, CRC64NVME) are reflected CRCs with
 * all-ones initial value and final XOR, for which crc(A ‖ B) = (crc(A) · x^(8·|B|) mod P) ⊕ crc(B) in the
 * reflected GF(2) representation (the method of zlib's crc32_combine).
 */
export type CombinableAlgorithm = Extract<ChecksumAlgorithm, 'CRC32' | 'CRC32C' | 'CRC64NVME'>;

export function isCombinable(algorithm: ChecksumAlgorithm): algorithm is CombinableAlgorithm {
  return algorithm === 'CRC32' || algorithm === 'CRC32C' || algorithm === 'CRC64NVME';
}

/** Arithmetic modulo the CRC polynomial, in the reflected bit order; `one` represents x^0. */
interface Field<T> {
  readonly width: number;
  readonly zero: T;
  readonly one: T;
  multiply(a: T, b: T): T;
  xor(a: T, b: T): T;
  /** x^(8·2^k) mod P for k = 0, 1, 2, … (filled lazily). */
  readonly powers: T[];
}

function field32(poly: number): Field<number> {
  const f: Field<number> = {
    width: 32,
    zero: 0,
    one: 0x80000000,
    xor: (a, b) => (a ^ b) >>> 0,
    multiply(a, b) {
      let product = 0;
      for (let m = 0x80000000; m !== 0; m >>>= 1) {
        if ((a & m) !== 0) product ^= b;
        b = (b & 1) !== 0 ? (b >>> 1) ^ poly : b >>> 1;
      }
      return product >>> 0;
    },
    powers: [],
  };
  f.powers.push(0x80000000 >>> 8); // x^8
  return f;
}

function field64(poly: bigint): Field<bigint> {
  const one = 1n << 63n;
  const f: Field<bigint> = {
    width: 64,
    zero: 0n,
    one,
    xor: (a, b) => a ^ b,
    multiply(a, b) {
      let product = 0n;
      for (let m = one; m !== 0n; m >>= 1n) {
        if ((a & m) !== 0n) product ^= b;
        b = (b & 1n) !== 0n ? (b >> 1n) ^ poly : b >> 1n;
      }
      return product;
    },
    powers: [],
  };
  f.powers.push(one >> 8n); // x^8
  return f;
}

/** x^(8·bytes) mod P. */
function shiftOperator<T>(f: Field<T>, bytes: number): T {
  let result = f.one;
  let k = 0;
  for (let n = bytes; n > 0; n = Math.floor(n / 2), k++) {
    while (f.powers.length <= k) {
      const last = f.powers[f.powers.length - 1] as T;
      f.powers.push(f.multiply(last, last));
    }
    if (n % 2 === 1) result = f.multiply(f.powers[k] as T, result);
  }
  return result;
}

const FIELD_CRC32 = field32(0xedb88320);
const FIELD_CRC32C = field32(0x82f63b78);
const FIELD_CRC64NVME = field64(0x9a6c9329ac4bc9b5n);

function combineWith<T>(f: Field<T>, parts: readonly { crc: T; size: number }[]): T {
  let crc = f.zero;
  for (const part of parts) crc = f.xor(f.multiply(shiftOperator(f, part.size), crc), part.crc);
  return crc;
}

/** A part of a multipart object: its base64 CRC and its size in bytes. */
export interface CrcPart {
  readonly checksum: string;
  readonly size: number;
}

function rawOf(algorithm: CombinableAlgorithm, part: CrcPart, index: number): Buffer {
  const raw = decodeChecksumValue(algorithm, part.checksum);
  if (raw === undefined || !Number.isSafeInteger(part.size) || part.size < 0) {
    throw new S3Error('InvalidRequest', { message: `The ${algorithm} checksum of part ${index + 1} is not valid: ${part.checksum}` });
  }
  return raw;
}

/** The base64 CRC of the concatenation of `parts` (FULL_OBJECT checksum; no `-N` suffix). */
export function combineCrc(algorithm: CombinableAlgorithm, parts: readonly CrcPart[]): string {
  const out = Buffer.alloc(algorithm === 'CRC64NVME' ? 8 : 4);
  if (algorithm === 'CRC64NVME') {
    const crc = combineWith(
      FIELD_CRC64NVME,
      parts.map((p, i) => ({ crc: rawOf(algorithm, p, i).readBigUInt64BE(), size: p.size })),
    );
    out.writeBigUInt64BE(crc);
  } else {
    const f = algorithm === 'CRC32' ? FIELD_CRC32 : FIELD_CRC32C;
    const crc = combineWith(f, parts.map((p, i) => ({ crc: rawOf(algorithm, p, i).readUInt32BE(), size: p.size })));
    out.writeUInt32BE(crc);
  }
  return out.toString('base64');
}
