/** Names shared by the lifecycle benchmark's driver and server. */
export const BENCH_ACCOUNT = '000000000000';
export const BENCH_CREDENTIALS = { accessKeyId: 'TESSERABENCHROOTKEY1', secretAccessKey: 'tessera-bench-root-secret-key-000000000000' };
export const BENCH_BUCKET = 'bench-lifecycle';

/**
 * The bucket's layout for `objects` objects of which `matches` match the rule (under photos/ AND tagged
 * phototype=raw). The same number again sits under photos/ tagged finished (prefix, not tag), and again outside
 * photos/ tagged raw (tag, not prefix), so neither condition alone selects the matches; the rest are untagged.
 */
export function benchObject(i: number, matches: number): { key: string; tags: { key: string; value: string }[] } {
  const n = String(i).padStart(8, '0');
  if (i < matches) return { key: `photos/${n}`, tags: [{ key: 'phototype', value: 'raw' }] };
  if (i < 2 * matches) return { key: `photos/${n}`, tags: [{ key: 'phototype', value: 'finished' }] };
  if (i < 3 * matches) return { key: `data/${n}`, tags: [{ key: 'phototype', value: 'raw' }] };
  return { key: `data/${n}`, tags: [] };
}

/** The rule the pass runs: objects under photos/ tagged phototype=raw expire after 30 days (all seeded a year ago). */
export const BENCH_LIFECYCLE = `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>raw-photos</ID>
<Filter><And><Prefix>photos/</Prefix><Tag><Key>phototype</Key><Value>raw</Value></Tag></And></Filter>
<Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>`;
