import { parseArgs } from 'node:util';
import { sendSigned } from '../remote/signedRequest.js';
import { answeredError } from './cliErrors.js';
import { cliConnection } from './connection.js';

const USAGE = `Usage:
  tessera lifecycle explain s3://BUCKET/KEY [--version-id ID]   which rules match the object, why, and what happens when
  tessera lifecycle preview s3://BUCKET [--days N]              what each rule would do in the next N days (changes nothing)
  tessera lifecycle run s3://BUCKET                             run a lifecycle pass now and print its record
  tessera lifecycle passes s3://BUCKET [--max N]                the bucket's pass records, newest first
Add --json for the server's JSON answer.

Connection (flags, else environment):
  --endpoint URL        [TESSERA_ENDPOINT]   (default http://127.0.0.1:9000)
  --region REGION       [AWS_REGION]         (default us-east-1)
  credentials           [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]
`;

type Json = Record<string, unknown>;

interface RuleTallyJson {
  objects: number;
  bytes: number;
  actions: Record<string, number>;
}

function s3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (m === null) throw new Error(`not an s3:// URL: ${url}`);
  return { bucket: m[1]!, key: m[2]! };
}

/** Lines for a pass record's or a preview's tally, one per rule and action. Pure (tested). */
export function tallyLines(tally: Record<string, RuleTallyJson>): string[] {
  const rules = Object.entries(tally);
  if (rules.length === 0) return ['  nothing'];
  return rules.flatMap(([ruleId, t]) => [
    `  rule ${ruleId}: ${t.objects} object(s), ${t.bytes} byte(s)`,
    ...Object.entries(t.actions).map(([action, n]) => `    ${action}: ${n}`),
  ]);
}

/** A pass record as text. Pure (tested). */
export function passLines(pass: Json): string[] {
  const finished = typeof pass.finishedAt === 'string' ? `finished ${pass.finishedAt}` : 'unfinished';
  const errors = Array.isArray(pass.errors) ? (pass.errors as string[]) : [];
  return [
    `pass ${String(pass.id)} on ${String(pass.bucket)} (${String(pass.trigger)}): evaluated ${String(pass.evaluatedAt)}, ${finished}`,
    ...tallyLines((pass.tally ?? {}) as Record<string, RuleTallyJson>),
    ...(Number(pass.stale ?? 0) > 0 ? [`  skipped ${String(pass.stale)} write(s): the object changed during the pass`] : []),
    ...errors.map((e) => `  error: ${e}`),
  ];
}

/** `tessera lifecycle explain` as text. Pure (tested). */
export function explainLines(doc: Json): string[] {
  const lines = [`s3://${String(doc.bucket)}/${String(doc.key)} (evaluated ${String(doc.evaluatedAt)})`];
  if (doc.configured !== true) lines.push('  the bucket has no lifecycle configuration');
  for (const v of (doc.versions ?? []) as Json[]) {
    const f = v.facts as Json;
    const tags = ((f.tags ?? []) as { key: string; value: string }[]).map((t) => `${t.key}=${t.value}`).join(', ');
    const kind = f.isDeleteMarker === true ? 'delete marker' : `${String(f.size)} bytes, ${String(f.storageClass)}`;
    lines.push(`version ${String(v.versionId)} (${f.isLatest === true ? 'current' : 'noncurrent'}, ${kind}${tags === '' ? '' : `, tags ${tags}`})`);
    const explanation = v.explanation as Json;
    for (const r of (explanation.rules ?? []) as Json[]) {
      lines.push(`  rule ${String(r.ruleId)} [${String(r.status)}]: ${r.matched === true ? 'applies' : 'does not apply'}`);
      for (const c of (r.checks ?? []) as Json[]) lines.push(`    ${c.ok === true ? 'yes' : 'no '} ${String(c.detail)}`);
      for (const a of (r.actions ?? []) as Json[]) {
        const name = actionText(a.action as Json);
        const when = typeof a.dueAt === 'string' ? `${a.due === true ? 'due since' : 'on'} ${a.dueAt}` : `held: ${String(a.heldBy)}`;
        lines.push(`    ${name}: ${when}`);
      }
    }
    const evaluation = explanation.evaluation as Json;
    const due = evaluation.due as Json | undefined;
    lines.push(due === undefined ? '  now: nothing is due' : `  now: ${actionText(due.action as Json)} (rule ${String(due.ruleId)})`);
    for (const u of (evaluation.upcoming ?? []) as Json[]) lines.push(`  then: ${actionText(u.action as Json)} on ${String(u.dueAt)} (rule ${String(u.ruleId)})`);
  }
  return lines;
}

function actionText(action: Json): string {
  switch (action.kind) {
    case 'expireCurrent':
      return action.effect === 'delete' ? 'expire (delete)' : 'expire (delete marker)';
    case 'expireNoncurrent':
      return 'delete noncurrent version';
    case 'removeExpiredDeleteMarker':
      return 'remove expired delete marker';
    case 'transition':
      return `transition to ${String(action.storageClass)}`;
    default:
      return String(action.kind);
  }
}

export async function runLifecycleCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'version-id': { type: 'string' },
      days: { type: 'string' },
      max: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true || sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const connection = cliConnection(values, env);
  if (connection === undefined) {
    process.stderr.write('tessera lifecycle: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
    return 2;
  }
  const { endpoint, region, credentials } = connection;
  const target = positionals[0];
  if (target === undefined) throw new Error(`tessera lifecycle ${sub}: an s3:// URL is required`);
  const { bucket, key } = s3Url(target);
  const params = new URLSearchParams();
  let method = 'GET';
  switch (sub) {
    case 'explain':
      if (key === '') throw new Error('tessera lifecycle explain: give s3://BUCKET/KEY');
      params.set('key', key);
      if (values['version-id'] !== undefined) params.set('versionId', values['version-id']);
      break;
    case 'preview':
      params.set('days', values.days ?? '0');
      break;
    case 'run':
      method = 'POST';
      break;
    case 'passes':
      params.set('max', values.max ?? '20');
      break;
    default:
      process.stderr.write(`tessera lifecycle: unknown command '${sub}' (try --help)\n`);
      return 2;
  }
  // tessera-lifecycle first; every value percent-encoded as SigV4 wants (URLSearchParams writes spaces as '+')
  const query = [`tessera-lifecycle=${sub}`, ...[...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join('&');
  const res = await sendSigned(endpoint, region, credentials, { method, path: `/${encodeURIComponent(bucket)}`, query });
  const text = res.body.toString('utf8');
  if (res.status >= 300) {
    throw answeredError(res.status, text);
  }
  if (values.json === true) {
    process.stdout.write(text);
    return 0;
  }
  const doc = JSON.parse(text) as unknown;
  let lines: string[];
  if (sub === 'explain') lines = explainLines(doc as Json);
  else if (sub === 'preview') {
    const p = doc as Json;
    lines =
      p.configured === true
        ? [`s3://${bucket}: what lifecycle does by ${String(p.horizon)}`, ...tallyLines(p.tally as Record<string, RuleTallyJson>)]
        : [`s3://${bucket} has no lifecycle configuration`];
  } else if (sub === 'run') lines = passLines(doc as Json);
  else lines = (doc as Json[]).flatMap(passLines);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
