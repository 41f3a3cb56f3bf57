/** The multipart limits AWS S3 documents (Amazon S3 multipart upload limits). */

/** Part numbers are 1 … 10,000. */
export const MIN_PART_NUMBER = 1;
export const MAX_PART_NUMBER = 10_000;

/** Every part except the last must be at least 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** A single part (uploaded or copied) is at most 5 GiB. */
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

/** ListParts and ListMultipartUploads return at most 1,000 entries per page (also the default). */
export const MAX_LIST_PARTS = 1000;
export const MAX_LIST_UPLOADS = 1000;
