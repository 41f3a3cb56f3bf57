/** Whether a role's trust policy lets S3 Batch Operations assume it (an Allow of sts:AssumeRole to the service). */
export function trustsBatchOperations(trustPolicy: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(trustPolicy);
  } catch {
    return false;
  }
  const statements = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  return list.some((s) => {
    const st = s as { Effect?: unknown; Action?: unknown; Principal?: unknown };
    if (st.Effect !== 'Allow') return false;
    const actions = asList(st.Action);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) return false;
    const service = (st.Principal as { Service?: unknown } | undefined)?.Service;
    return asList(service).includes('batchoperations.s3.amazonaws.com');
  });
}
