/** arn:aws:s3:::bucket */
export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

/** arn:aws:s3:::bucket/key */
export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}
