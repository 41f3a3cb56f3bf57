import type { AnyOperation } from '../Operation.js';
import { AbortMultipartUpload } from './AbortMultipartUpload.js';
import { CompleteMultipartUpload } from './CompleteMultipartUpload.js';
import { CreateMultipartUpload } from './CreateMultipartUpload.js';
import { ListMultipartUploads } from './ListMultipartUploads.js';
import { ListParts } from './ListParts.js';
import { UploadPart } from './UploadPart.js';
import { UploadPartCopy } from './UploadPartCopy.js';

/** The multipart operations, one file each. */
export const multipartOperations: readonly AnyOperation[] = [
  CreateMultipartUpload,
  UploadPart,
  UploadPartCopy,
  CompleteMultipartUpload,
  AbortMultipartUpload,
  ListParts,
  ListMultipartUploads,
];
