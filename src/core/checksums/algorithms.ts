import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../objects/ObjectVersion.js';

/** What S3 says about each flexible checksum algorithm: its header name and its digest size in bytes. */
export interface ChecksumSpec {
  readonly algorithm: ChecksumAlgorithm;
  /** The request/response header (and trailer) carrying the base64 value, e.g. `x-amz-checksum-crc32`. */
  readonly headerName: string;
  readonly digestLength: number;
}

export const CHECKSUM_SPECS: Readonly<Record<ChecksumAlgorithm, ChecksumSpec>> = {
  CRC32: { algorithm: 'CRC32', headerName: 'x-amz-checksum-crc32', digestLength: 4 },
  CRC32C: { algorithm: 'CRC32C', headerName: 'x-amz-checksum-crc32c', digestLength: 4 },
  CRC64NVME: { algorithm: 'CRC64NVME', headerName: 'x-amz-checksum-crc64nvme', digestLength: 8 },
  SHA1: { algorithm: 'SHA1', headerName: 'x-amz-checksum-sha1', digestLength: 20 },
  SHA256: { algorithm: 'SHA256', headerName: 'x-amz-checksum-sha256', digestLength: 32 },
};

const BY_HEADER = new Map<string, ChecksumAlgorithm>(
  CHECKSUM_ALGORITHMS.map((alg) => [CHECKSUM_SPECS[alg].headerName, alg]),
);

/** The algorithm whose value header is `name` (lower-case), e.g. `x-amz-checksum-sha1` → SHA1. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  return BY_HEADER.get(name.toLowerCase());
}

/** An algorithm named by a client (`crc32`, `CRC32C`, …), case-insensitively. */
export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const upper = name.trim().toUpperCase();
  return CHECKSUM_ALGORITHMS.find((alg) => alg === upper);
}

/** The list AWS prints in its "unsupported algorithm" message, in AWS's order. */
export const CHECKSUM_ALGORITHM_LIST = '[CRC32, CRC32C, CRC64NVME, SHA1, SHA256]';
