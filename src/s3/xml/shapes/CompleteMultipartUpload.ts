import type { RequestedPart } from '../../../core/objects/multipart/completionPlan.js';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../../../core/objects/ObjectVersion.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, xml } from '../../../xml/codec.js';

/** The element naming each part checksum in <Part>, e.g. ChecksumCRC32C. */
export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}

const PART_NUMBER = /^\s*\d{1,10}\s*$/;

/**
 * CompleteMultipartUpload's request body:
 * `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag>[<ChecksumCRC32>…</ChecksumCRC32>]</Part>…`.
 * Parts are returned in document order (the order checks belong to the domain). MalformedXML when the document is
 * not well-formed, has no <Part>, or a part lacks a numeric PartNumber or an ETag.
 */
export function parseCompleteMultipartUpload(body: Buffer | string): RequestedPart[] {
  const root = parseXml(body, 'CompleteMultipartUpload', ['CompleteMultipartUpload.Part']);
  const parts = xml.children(root, 'Part');
  if (parts.length === 0) throw new S3Error('MalformedXML');
  return parts.map((part) => {
    const number = xml.requiredText(part, 'PartNumber');
    if (!PART_NUMBER.test(number)) throw new S3Error('MalformedXML');
    const etag = xml.requiredText(part, 'ETag');
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const alg of CHECKSUM_ALGORITHMS) {
      const value = xml.text(part, checksumElement(alg));
      if (value !== undefined) checksums[alg] = value.trim();
    }
    return { partNumber: Number(number), etag, checksums };
  });
}
