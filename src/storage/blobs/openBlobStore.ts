import type { S3BlobSettings } from '../../config/blobSettings.js';
import type { BlobStore } from '../../core/ports/BlobStore.js';
import { FsBlobStore } from './fs/FsBlobStore.js';
import { blobNodeName } from './s3/nodeName.js';
import { S3Bucket } from './s3/S3Bucket.js';
import { S3BlobStore } from './s3/S3BlobStore.js';

/**
 * The primary blob store the configuration asks for: `<dataDir>/blobs` on the file system, or a bucket of an S3
 * endpoint when TESSERA_BLOB_URL is set (docs/scale-out.md). The lifecycle tier stays a directory either way.
 */
export async function openBlobStore(config: { readonly dataDir: string; readonly blobStore?: S3BlobSettings | undefined }): Promise<BlobStore> {
  const s3 = config.blobStore;
  if (s3 === undefined) return FsBlobStore.open({ dataDir: config.dataDir });
  const bucket = new S3Bucket({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: {
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      ...(s3.sessionToken === undefined ? {} : { sessionToken: s3.sessionToken }),
    },
  });
  return new S3BlobStore({ bucket, prefix: s3.prefix, node: await blobNodeName(config.dataDir) });
}
