/** Names shared by the batch benchmark's driver and server. */
export const BENCH_ACCOUNT = '000000000000';
export const BENCH_ROLE_ARN = `arn:aws:iam::${BENCH_ACCOUNT}:role/bench-batch`;
export const BENCH_CREDENTIALS = { accessKeyId: 'TESSERABENCHROOTKEY1', secretAccessKey: 'tessera-bench-root-secret-key-000000000000' };

/** The key of seeded object i (fixed width, so manifest order is key order). */
export function benchKey(i: number): string {
  return `objects/${String(i).padStart(8, '0')}`;
}
