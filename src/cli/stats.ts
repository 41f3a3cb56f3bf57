import type { BucketStatsReport } from '../core/stats/StorageStatsService.js';
import { answeredError } from './cliErrors.js';
import { parseArgs } from 'node:util';
import { sendSigned } from '../remote/signedRequest.js';
import { cliConnection } from './connection.js';

const USAGE = `Usage:
  tessera stats s3://BUCKET [--by-tag KEY] [--json]
    the bucket's objects, versions and delete markers with their bytes; with --by-tag, its current objects by the
    values of tag KEY (kept current for the keys in TESSERA_METRICS_TAG_KEYS, counted from the tag index for others)

Connection (flags, else environment):
  --endpoint URL        [TESSERA_ENDPOINT]   (default http://127.0.0.1:9000)
  --region REGION       [AWS_REGION]         (default us-east-1)
  credentials           [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]
`;

/** The answer of GET /{Bucket}?tessera-stats (StorageStatsService.report), as JSON. */
export type StatsReport = BucketStatsReport;

/** Bytes for people: 1023 B, 1.5 KiB, 20.0 MiB … (powers of 1024). */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `tessera stats` as a table. Pure (tested). */
export function statsLines(r: StatsReport): string[] {
  const lines = [
    `s3://${r.bucket}`,
    ...table(
      ['', 'count', 'bytes'],
      [
        ['objects (current)', String(r.objects), humanBytes(r.objectBytes)],
        ['versions (all)', String(r.versions), humanBytes(r.versionBytes)],
        ['delete markers', String(r.deleteMarkers), ''],
      ],
    ),
  ];
  if (r.byTag !== undefined) {
    const t = r.byTag;
    lines.push('', `current objects by tag '${t.key}'${t.tracked ? '' : ' (not tracked: counted from the tag index)'}`);
    lines.push(
      ...table(
        ['value', 'objects', 'bytes'],
        [
          ...t.values.map((v) => [v.value, String(v.objects), humanBytes(v.bytes)] as const),
          ['(no such tag)', String(t.untagged.objects), humanBytes(t.untagged.bytes)] as const,
        ],
      ),
    );
  }
  return lines;
}

/** Left-aligned first column, right-aligned numbers. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  const pad = (text: string, width: number, right: boolean): string => {
    const fill = ' '.repeat(width - [...text].length);
    return right ? fill + text : text + fill;
  };
  return all.map((row) => `  ${row.map((cell, i) => pad(cell, widths[i] ?? 0, i > 0)).join('  ')}`.trimEnd());
}

export async function runStatsCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'by-tag': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true || positionals.length === 0) {
    process.stdout.write(USAGE);
    return values.help === true ? 0 : 2;
  }
  const bucket = /^s3:\/\/([^/]+)\/?$/.exec(positionals[0] ?? '')?.[1];
  if (bucket === undefined || positionals.length > 1) {
    process.stderr.write('tessera stats: give one s3://BUCKET (try --help)\n');
    return 2;
  }
  const connection = cliConnection(values, env);
  if (connection === undefined) {
    process.stderr.write('tessera stats: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
    return 2;
  }
  const byTag = values['by-tag'];
  const res = await sendSigned(connection.endpoint, connection.region, connection.credentials, {
    method: 'GET',
    path: `/${encodeURIComponent(bucket)}`,
    query: byTag === undefined ? 'tessera-stats=' : `by-tag=${encodeURIComponent(byTag)}&tessera-stats=`,
  });
  const text = res.body.toString('utf8');
  if (res.status >= 300) {
    throw answeredError(res.status, text);
  }
  if (values.json === true) {
    process.stdout.write(text);
    return 0;
  }
  process.stdout.write(`${statsLines(JSON.parse(text) as StatsReport).join('\n')}\n`);
  return 0;
}
