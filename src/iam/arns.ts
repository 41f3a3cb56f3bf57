/** ARNs of IAM entities. `path` is `/` or `/a/b/` (leading and trailing slash). */
export function userArn(accountId: string, path: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user${path}${userName}`;
}

export function roleArn(accountId: string, path: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`;
}

export function policyArn(accountId: string, path: string, policyName: string): string {
  return `arn:aws:iam::${accountId}:policy${path}${policyName}`;
}

export function sessionArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** `arn:aws:iam::<account>:role/<path…/>name` → account and name (the last path segment). */
export function parseRoleArn(arn: string): { accountId: string; roleName: string; path: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/.exec(arn);
  if (!m) return undefined;
  return { accountId: m[1] ?? '', path: m[2] ?? '/', roleName: m[3] ?? '' };
}

/** `arn:aws:iam::<account>:policy/<path…/>name` → account and name. */
export function parsePolicyArn(arn: string): { accountId: string; policyName: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,128})$/.exec(arn);
  if (!m) return undefined;
  return { accountId: m[1] ?? '', policyName: m[3] ?? '' };
}
