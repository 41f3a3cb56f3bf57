import type { ObjectChecksum } from '../../../core/objects/ObjectVersion.js';
import { renderXml } from '../../../xml/codec.js';

/** Checksum element names of CopyObjectResult / CopyPartResult, by algorithm. */
const CHECKSUM_ELEMENTS: Readonly<Record<string, string>> = {
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
  CRC64NVME: 'ChecksumCRC64NVME',
  SHA1: 'ChecksumSHA1',
  SHA256: 'ChecksumSHA256',
};

export interface CopyObjectResultShape {
  /** Without quotes. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly checksum?: ObjectChecksum;
}

/** `<CopyObjectResult><ETag>"…"</ETag><LastModified>…</LastModified>[<ChecksumType/><ChecksumCRC32/>…]</CopyObjectResult>`. */
export function renderCopyObjectResult(result: CopyObjectResultShape): string {
  const checksum = result.checksum;
  const element = checksum === undefined ? undefined : CHECKSUM_ELEMENTS[checksum.algorithm];
  return renderXml('CopyObjectResult', {
    ETag: `"${result.etag}"`,
    LastModified: result.lastModified,
    ...(checksum === undefined || element === undefined ? {} : { ChecksumType: checksum.type, [element]: checksum.value }),
  });
}
