import { ListRolesCommand } from '@aws-sdk/client-iam';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateJobCommand, type JobManifest, type JobManifestGenerator } from '@aws-sdk/client-s3-control';
import { useState, type FormEvent } from 'react';
import { bucketArn, objectArn } from '../aws/arns.js';
import { errorText } from '../aws/errorText.js';
import { listTaggedObjects } from '../aws/taggedObjects.js';
import { hrefOf } from '../router.js';
import type { Clients } from '../session/clients.js';
import { useSession } from '../session/SessionContext.js';
import { tagProblems, tagSetOf, type TagRow } from '../tags/tagRules.js';
import { Notice } from '../ui/Notice.js';
import { useAsync } from '../ui/useAsync.js';
import { manifestCsv } from './manifestCsv.js';

export type JobSource = 'selection' | 'prefix' | 'tag' | 'csv';

/** Where the console writes the manifests it makes (in the report bucket). */
const MANIFEST_PREFIX = 'tessera-console/manifests';

/** Every key carrying the tag (the server's tag index), page after page. */
async function taggedKeys(clients: Clients, bucket: string, tag: TagRow, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  do {
    const page = await listTaggedObjects(clients, bucket, { key: tag.key, value: tag.value, prefix, maxKeys: 1000, ...(after !== undefined ? { after } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    after = page.next;
  } while (after !== undefined);
  return keys;
}

/** Write a CSV manifest into the report bucket; the job names it by ARN and ETag. */
async function putManifest(clients: Clients, bucket: string, body: string): Promise<JobManifest> {
  const key = `${MANIFEST_PREFIX}/${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID()}.csv`;
  const out = await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv' }));
  return {
    Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
    Location: { ObjectArn: objectArn(bucket, key), ETag: (out.ETag ?? '').replace(/"/g, '') },
  };
}

/**
 * Create a replace-tags or delete-tags batch job over a selection, a prefix (the manifest generator), a tag (the tag
 * index, written as a CSV manifest) or an uploaded CSV manifest; with the role, the report and the priority.
 */
export function CreateJobForm(props: {
  readonly bucket: string;
  readonly initialSource: JobSource;
  readonly selection: readonly string[];
  readonly prefix: string;
  readonly tag?: TagRow | undefined;
}) {
  const { clients, identity } = useSession();
  const roles = useAsync(() => clients.iam.send(new ListRolesCommand({})), []);
  const [source, setSource] = useState<JobSource>(props.initialSource);
  const [operation, setOperation] = useState<'replace' | 'delete'>('replace');
  const [tags, setTags] = useState<TagRow[]>([{ key: '', value: '' }]);
  const [prefix, setPrefix] = useState(props.prefix);
  const [tagKey, setTagKey] = useState(props.tag?.key ?? '');
  const [tagValue, setTagValue] = useState(props.tag?.value ?? '');
  const [csv, setCsv] = useState<File | undefined>(undefined);
  const [roleArn, setRoleArn] = useState('');
  const [reportBucket, setReportBucket] = useState(props.bucket);
  const [reportEnabled, setReportEnabled] = useState(true);
  const [priority, setPriority] = useState('10');
  const [confirm, setConfirm] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const filledTags = tags.filter((t) => t.key !== '' || t.value !== '');
  const problems = operation === 'replace' ? tagProblems(filledTags) : [];
  const role = roleArn !== '' ? roleArn : (roles.data?.Roles?.[0]?.Arn ?? '');

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setCreated(undefined);
    try {
      let manifest: { Manifest: JobManifest } | { ManifestGenerator: JobManifestGenerator };
      if (source === 'prefix') {
        manifest = {
          ManifestGenerator: {
            S3JobManifestGenerator: {
              SourceBucket: bucketArn(props.bucket),
              EnableManifestOutput: false,
              ...(prefix !== '' ? { Filter: { KeyNameConstraint: { MatchAnyPrefix: [prefix] } } } : {}),
            },
          },
        };
      } else {
        if (source === 'csv' && csv === undefined) throw new Error('Choose a CSV manifest file');
        const body =
          source === 'csv' && csv !== undefined
            ? await csv.text()
            : manifestCsv(props.bucket, source === 'selection' ? props.selection : await taggedKeys(clients, props.bucket, { key: tagKey, value: tagValue }, prefix));
        if (body.trim() === '') throw new Error('The manifest has no objects');
        manifest = { Manifest: await putManifest(clients, reportBucket, body) };
      }
      const out = await clients.control.send(
        new CreateJobCommand({
          AccountId: identity.account,
          ConfirmationRequired: confirm,
          Operation: operation === 'replace' ? { S3PutObjectTagging: { TagSet: tagSetOf(filledTags) } } : { S3DeleteObjectTagging: {} },
          Report: reportEnabled
            ? { Enabled: true, Bucket: bucketArn(reportBucket), Format: 'Report_CSV_20180820', Prefix: 'tessera-console/reports', ReportScope: 'AllTasks' }
            : { Enabled: false },
          ...manifest,
          Priority: Number(priority),
          RoleArn: role,
          ClientRequestToken: crypto.randomUUID(),
          Description: `console: ${operation === 'replace' ? 'replace tags' : 'delete tags'} (${source})`,
        }),
      );
      setCreated(out.JobId);
    } catch (err) {
      setError(errorText(err));
    }
    setBusy(false);
  };

  return (
    <section className="panel" aria-labelledby="job-title">
      <h2 id="job-title">New batch job on {props.bucket}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset className="row">
          <legend>Objects</legend>
          {(['selection', 'prefix', 'tag', 'csv'] as const).map((s) => (
            <label key={s} className="inline">
              <input type="radio" name="job-source" checked={source === s} onChange={() => setSource(s)} disabled={s === 'selection' && props.selection.length === 0} />
              {s === 'selection' ? `The ${props.selection.length} selected objects` : s === 'prefix' ? 'Every object under a prefix' : s === 'tag' ? 'Every object with a tag' : 'A CSV manifest file'}
            </label>
          ))}
        </fieldset>
        {(source === 'prefix' || source === 'tag') && (
          <label>
            Prefix
            <input value={prefix} onChange={(e) => setPrefix(e.target.value)} />
          </label>
        )}
        {source === 'tag' && (
          <div className="row">
            <label>
              With tag key
              <input value={tagKey} onChange={(e) => setTagKey(e.target.value)} required />
            </label>
            <label>
              and value
              <input value={tagValue} onChange={(e) => setTagValue(e.target.value)} />
            </label>
          </div>
        )}
        {source === 'csv' && (
          <label>
            Manifest (Bucket,Key per line, keys URL-encoded)
            <input type="file" accept=".csv,text/csv" onChange={(e) => setCsv(e.target.files?.[0])} required />
          </label>
        )}
        <fieldset className="row">
          <legend>Operation</legend>
          <label className="inline">
            <input type="radio" name="job-op" checked={operation === 'replace'} onChange={() => setOperation('replace')} />
            Replace all tags
          </label>
          <label className="inline">
            <input type="radio" name="job-op" checked={operation === 'delete'} onChange={() => setOperation('delete')} />
            Delete all tags
          </label>
        </fieldset>
        {operation === 'replace' && (
          <fieldset>
            <legend>New tag set</legend>
            {tags.map((t, i) => (
              <div className="row" key={i}>
                <label>
                  Job tag {i + 1} key
                  <input value={t.key} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
                </label>
                <label>
                  Job tag {i + 1} value
                  <input value={t.value} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                </label>
                <button type="button" onClick={() => setTags(tags.filter((_, j) => j !== i))} aria-label={`Remove job tag ${i + 1}`}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" onClick={() => setTags([...tags, { key: '', value: '' }])} disabled={tags.length >= 10}>
              Add job tag
            </button>
            {problems.length > 0 && (
              <ul className="error" aria-label="Job tag problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </fieldset>
        )}
        <div className="row">
          <label>
            Role
            <select value={role} onChange={(e) => setRoleArn(e.target.value)}>
              {(roles.data?.Roles ?? []).map((r) => (
                <option key={r.Arn} value={r.Arn}>
                  {r.RoleName}
                </option>
              ))}
            </select>
          </label>
          <label>
            Priority
            <input type="number" min="0" max="2147483647" value={priority} onChange={(e) => setPriority(e.target.value)} />
          </label>
        </div>
        {roles.error !== undefined && <Notice error={`Cannot list roles (type none in IAM): ${roles.error}`} />}
        {roles.data !== undefined && (roles.data.Roles ?? []).length === 0 && (
          <p className="hint">
            No roles yet: create one for batch jobs on the <a href={hrefOf({ page: 'iam' })}>IAM page</a>.
          </p>
        )}
        <div className="row">
          <label className="inline">
            <input type="checkbox" checked={reportEnabled} onChange={(e) => setReportEnabled(e.target.checked)} />
            Completion report
          </label>
          <label>
            Report (and manifest) bucket
            <input value={reportBucket} onChange={(e) => setReportBucket(e.target.value)} required />
          </label>
          <label className="inline">
            <input type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} />
            Ask me to confirm before it runs
          </label>
        </div>
        <button type="submit" className="primary" disabled={busy || problems.length > 0 || role === ''}>
          Create job
        </button>
      </form>
      <Notice error={error} />
      {created !== undefined && (
        <p className="status" role="status">
          Job {created} created. <a href={hrefOf({ page: 'jobs' })}>Follow it on the jobs page</a>.
        </p>
      )}
    </section>
  );
}
