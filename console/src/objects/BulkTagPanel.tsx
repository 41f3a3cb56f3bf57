import { useState } from 'react';
import { useSession } from '../session/SessionContext.js';
import type { TagRow } from '../tags/tagRules.js';
import { TagEditor } from '../ui/TagEditor.js';
import { applyBulkTags, type BulkMode } from './bulkTags.js';

/** Add, replace or remove tags on the selected objects; each object's outcome (the server's message) is listed. */
export function BulkTagPanel(props: { readonly bucket: string; readonly keys: readonly string[]; readonly onDone: () => void }) {
  const { clients } = useSession();
  const [mode, setMode] = useState<BulkMode>('add');
  const [results, setResults] = useState<Map<string, string | undefined> | undefined>(undefined);
  const apply = async (tags: TagRow[]): Promise<string | undefined> => {
    const outcome = await applyBulkTags(clients.s3, props.bucket, props.keys, mode, tags);
    setResults(outcome);
    props.onDone();
    const failed = [...outcome.values()].filter((v) => v !== undefined).length;
    return failed === 0 ? undefined : `${failed} of ${outcome.size} objects refused (see below)`;
  };
  return (
    <section className="panel" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Tag {props.keys.length} selected objects</h2>
      <fieldset className="row">
        <legend>Change</legend>
        {(['add', 'replace', 'remove'] as const).map((m) => (
          <label key={m} className="inline">
            <input type="radio" name="bulk-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {m === 'add' ? 'Add these tags' : m === 'replace' ? 'Replace all tags with these' : 'Remove these keys'}
          </label>
        ))}
      </fieldset>
      <TagEditor key={mode} initial={[{ key: '', value: '' }]} label="Tags to apply" disabled={props.keys.length === 0} onSave={apply} />
      {results !== undefined && (
        <ul className="results" aria-label="Bulk tag results">
          {[...results].map(([key, message]) => (
            <li key={key} className={message === undefined ? 'ok' : 'failed'}>
              {key}: {message ?? 'tagged'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
