import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { failure } from '../support/sdk.js';
import { shoot, signIn, startConsoleRig, type ConsoleRig } from './consoleSupport.js';

/**
 * The console end to end, as the root user, in a real Chromium against a real Tessera: sign in, create a bucket,
 * upload with progress, edit tags (and be refused past S3's limits), filter by tag, re-tag in bulk through a batch
 * job watched to completion, bucket settings with the policy editor. A screenshot of every page goes to
 * test-artifacts/console/.
 */
describe('console (root user)', () => {
  let rig: ConsoleRig;
  let page: Page;
  const pageErrors: string[] = [];
  const BUCKET = 'photos';
  const BIG = 6 * 1024 * 1024;

  before(async () => {
    rig = await startConsoleRig();
    ({ page } = await rig.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text());
    });
  });
  after(async () => {
    await rig.stop();
  });

  it('signs in with an access key and secret; a wrong secret is refused with the server message', async () => {
    await page.goto(`${rig.server.endpoint}/console`);
    await page.getByLabel('Access key ID').fill('TESSERATESTROOTKEY01');
    await page.getByLabel('Secret access key').fill('not-the-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'SignatureDoesNotMatch' }).waitFor();
    await shoot(page, '01-sign-in');
    await signIn(page, rig.server.endpoint);
    assert.match(await page.locator('header .who').innerText(), /arn:aws:iam::000000000000:root/);
    // the secret is not kept anywhere but the page's memory unless asked
    assert.equal(await page.evaluate('window.sessionStorage.length + window.localStorage.length'), 0);
  });

  it('creates a bucket with versioning on', async () => {
    await page.getByLabel('New bucket name').fill(BUCKET);
    await page.getByLabel('Versioning').check();
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await page.getByRole('status').filter({ hasText: `Bucket ${BUCKET} created.` }).waitFor();
    await page.getByRole('link', { name: BUCKET, exact: true }).waitFor();
    await shoot(page, '02-buckets');
  });

  it('uploads files with a progress bar each, a large one as a multipart upload', async () => {
    await page.getByRole('link', { name: BUCKET, exact: true }).click();
    await page.getByRole('button', { name: 'Upload…' }).click();
    // files on disk: the browser reads them itself (a buffer would be copied through the DevTools protocol)
    const dir = mkdtempSync(join(tmpdir(), 'tessera-console-upload-'));
    const files = ['a.txt', 'b.txt', 'c.txt'].map((name) => ({ name, body: Buffer.from(`content of ${name}\n`) }));
    files.push({ name: 'big.bin', body: Buffer.alloc(BIG, 7) });
    for (const f of files) writeFileSync(join(dir, f.name), f.body);
    await page.getByLabel('Files').setInputFiles(files.map((f) => join(dir, f.name)));
    const list = page.getByRole('list', { name: 'Upload progress' });
    for (const f of files) {
      const item = list.getByRole('listitem').filter({ hasText: f.name });
      await item.locator('.state.done').waitFor({ timeout: 30_000 });
      const bar = item.getByRole('progressbar');
      assert.equal(await bar.getAttribute('value'), await bar.getAttribute('max'), `progress of ${f.name} reaches its end`);
    }
    rmSync(dir, { recursive: true, force: true });
    await page.getByRole('link', { name: 'big.bin' }).waitFor();
    await shoot(page, '03-objects');
    const head = await rig.server.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }));
    assert.equal(head.ContentLength, BIG);
    assert.match(head.ETag ?? '', /-2"$/, 'a 6 MiB file goes up in two parts (5 MiB + 1 MiB)');
  });

  it('edits tags inline: the 11th tag and a 129-character key are refused before sending, with S3’s own words', async () => {
    await page.getByRole('link', { name: 'a.txt' }).click();
    await page.getByRole('heading', { name: 'Object a.txt' }).waitFor();
    const editor = page.locator('.tag-editor');
    for (let i = 1; i <= 10; i++) {
      await editor.getByRole('button', { name: 'Add tag' }).click();
      await editor.getByLabel(`Tag ${i} key`).fill(`k${i}`);
      await editor.getByLabel(`Tag ${i} value`).fill(`v${i}`);
    }
    await editor.getByRole('button', { name: 'Add tag' }).click();
    await editor.getByRole('alert').filter({ hasText: 'Object tags cannot be greater than 10' }).waitFor();
    assert.equal(await editor.getByLabel('Tag 11 key').count(), 0, 'no 11th row');

    // the server's own message for a 129-character key, which the editor must repeat
    const longKey = 'x'.repeat(129);
    const refused = await failure(
      rig.server.s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'a.txt', Tagging: { TagSet: [{ Key: longKey, Value: 'v' }] } })),
    );
    await editor.getByLabel('Tag 10 key').fill(longKey);
    const problems = editor.getByRole('list', { name: 'Tag problems' });
    await problems.waitFor();
    const text = await problems.innerText();
    assert.ok(text.includes(refused.message), `the editor says the server's "${refused.message}": ${text}`);
    assert.match(text, /at most 128 characters \(this one has 129\)/);
    assert.equal(await editor.getByRole('button', { name: 'Save tags' }).isDisabled(), true);

    await editor.getByLabel('Tag 10 key').fill('k10');
    await editor.getByRole('button', { name: 'Save tags' }).click();
    await editor.getByRole('status').filter({ hasText: 'Tags saved.' }).waitFor();
    const tags = await rig.server.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'a.txt' }));
    assert.equal(tags.TagSet?.length, 10);
    await shoot(page, '04-object');
  });

  it('downloads the object and makes a presigned share link that works without a key', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download', exact: true }).first().click()]);
    assert.equal(download.suggestedFilename(), 'a.txt');
    const path = await download.path();
    assert.equal(readFileSync(path, 'utf8'), 'content of a.txt\n');
    await page.getByLabel('Expires after').selectOption({ label: '15 minutes' });
    await page.getByRole('button', { name: 'Create presigned link' }).click();
    const link = await page.getByLabel('Presigned link (signed with your key)').inputValue();
    assert.match(link, /X-Amz-Expires=900/);
    const res = await fetch(link);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'content of a.txt\n');
  });

  it('adds a tag to many objects; the server refuses the object that would get an 11th tag, and says why', async () => {
    await page.getByRole('link', { name: BUCKET, exact: true }).first().click();
    await page.getByRole('checkbox', { name: 'Select a.txt' }).check();
    await page.getByRole('checkbox', { name: 'Select b.txt' }).check();
    await page.getByRole('button', { name: 'Tag selected…' }).click();
    const panel = page.locator('section.panel').filter({ hasText: 'Tag 2 selected objects' });
    await panel.getByLabel('Tag 1 key').fill('team');
    await panel.getByLabel('Tag 1 value').fill('blue');
    await panel.getByRole('button', { name: 'Save tags' }).click();
    const results = panel.getByRole('list', { name: 'Bulk tag results' });
    await results.getByText('b.txt: tagged').waitFor();
    await results.getByText('a.txt: BadRequest: Object tags cannot be greater than 10').waitFor();
    await shoot(page, '05-bulk-tags');
    const b = await rig.server.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'b.txt' }));
    assert.deepEqual(b.TagSet, [{ Key: 'team', Value: 'blue' }]);
  });

  it('filters the listing by tag through the tag index', async () => {
    await rig.server.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'c.txt', Body: 'new c', Tagging: 'team=red' }));
    await page.getByLabel('Tag key').fill('team');
    await page.getByLabel('Tag value').fill('blue');
    await page.getByRole('button', { name: 'Filter by tag' }).click();
    await page.getByText('(through the tag index)').waitFor();
    const objects = page.getByRole('table', { name: 'Objects' });
    await objects.getByRole('link', { name: 'b.txt' }).waitFor();
    assert.deepEqual(await objects.getByRole('link').allInnerTexts(), ['b.txt']);
    await shoot(page, '06-tag-filter');
    await page.getByRole('button', { name: 'Clear tag filter' }).click();
    await objects.getByRole('link', { name: 'big.bin' }).waitFor();
  });

  it('creates a role for batch jobs in one click', async () => {
    await page.getByRole('link', { name: 'IAM' }).click();
    await page.getByRole('button', { name: 'Create role for batch jobs' }).click();
    await page.getByRole('status').filter({ hasText: 'trusted by batchoperations.s3.amazonaws.com' }).waitFor();
    await page.getByRole('table', { name: 'Roles' }).getByText('batch-tagging', { exact: true }).waitFor();
    await shoot(page, '07-iam');
  });

  it('re-tags the selection through a batch job, confirmed and watched to completion, with its report', async () => {
    await page.getByRole('link', { name: 'Buckets' }).click();
    await page.getByRole('link', { name: BUCKET, exact: true }).click();
    for (const key of ['a.txt', 'b.txt', 'c.txt']) await page.getByRole('checkbox', { name: `Select ${key}` }).check();
    await page.getByRole('button', { name: 'Batch job…' }).click();
    const form = page.locator('section.panel').filter({ hasText: 'New batch job' });
    await form.getByLabel('The 3 selected objects').check();
    await form.getByLabel('Job tag 1 key').fill('stage');
    await form.getByLabel('Job tag 1 value').fill('reviewed');
    await form.getByLabel('Role').selectOption({ label: 'batch-tagging' });
    await form.getByRole('button', { name: 'Create job' }).click();
    const created = form.getByRole('status').filter({ hasText: /Job .* created/ });
    await created.waitFor();
    const jobId = /Job (\S+) created/.exec(await created.innerText())?.[1] ?? '';
    assert.notEqual(jobId, '');
    await created.getByRole('link').click();
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.locator('.job-status', { hasText: 'Suspended' }).waitFor({ timeout: 20_000 });
    await shoot(page, '08-jobs-suspended');
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.locator('.job-status', { hasText: 'Complete' }).waitFor({ timeout: 30_000 });
    const bar = row.getByRole('progressbar');
    assert.equal(await bar.getAttribute('max'), '3');
    assert.equal(await bar.getAttribute('value'), '3');
    for (const key of ['a.txt', 'b.txt', 'c.txt']) {
      const tags = await rig.server.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
      assert.deepEqual(tags.TagSet, [{ Key: 'stage', Value: 'reviewed' }], key);
    }
    await row.getByRole('button', { name: 'Completion report' }).click();
    const files = row.getByRole('list', { name: 'Report files' });
    await files.getByRole('button', { name: /results\/.*\.csv/ }).first().click();
    const report = await row.getByLabel('Report content').innerText();
    assert.match(report, /a\.txt/);
    assert.match(report, /succeeded/);
    await shoot(page, '09-jobs-complete');
  });

  /** Fill the new-job form on the jobs page and create the job; resolves with its id. */
  async function createJobOnJobsPage(fill: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<string> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Batch jobs' }).click();
    const form = page.locator('section.panel').filter({ hasText: `New batch job on ${BUCKET}` });
    await fill(form);
    await form.getByLabel('Ask me to confirm before it runs').uncheck();
    await form.getByRole('button', { name: 'Create job' }).click();
    const created = form.getByRole('status').filter({ hasText: /Job .* created/ });
    await created.waitFor();
    return /Job (\S+) created/.exec(await created.innerText())?.[1] ?? '';
  }

  it('deletes the tags of every object carrying a tag, through a job over the tag listing', async () => {
    await rig.server.s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'big.bin', Tagging: { TagSet: [{ Key: 'keep', Value: 'me' }] } }));
    const jobId = await createJobOnJobsPage(async (form) => {
      await form.getByLabel('Every object with a tag').check();
      await form.getByLabel('With tag key').fill('stage');
      await form.getByLabel('and value').fill('reviewed');
      await form.getByLabel('Delete all tags').check();
    });
    await page.locator(`tr[data-job-id="${jobId}"] .job-status`, { hasText: 'Complete' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator(`tr[data-job-id="${jobId}"] progress`).getAttribute('value'), '3');
    for (const key of ['a.txt', 'b.txt', 'c.txt']) {
      const tags = await rig.server.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
      assert.deepEqual(tags.TagSet, [], key);
    }
    const kept = await rig.server.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'big.bin' }));
    assert.deepEqual(kept.TagSet, [{ Key: 'keep', Value: 'me' }], 'an object without the tag is left alone');
  });

  it('replaces tags through a job over an uploaded CSV manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-console-manifest-'));
    const manifest = join(dir, 'manifest.csv');
    writeFileSync(manifest, `${BUCKET},a.txt\n${BUCKET},c.txt\n`);
    const jobId = await createJobOnJobsPage(async (form) => {
      await form.getByLabel('A CSV manifest file').check();
      await form.getByLabel(/^Manifest/).setInputFiles(manifest);
      await form.getByLabel('Replace all tags').check();
      await form.getByLabel('Job tag 1 key').fill('source');
      await form.getByLabel('Job tag 1 value').fill('csv');
    });
    rmSync(dir, { recursive: true, force: true });
    await page.locator(`tr[data-job-id="${jobId}"] .job-status`, { hasText: 'Complete' }).waitFor({ timeout: 30_000 });
    for (const [key, expected] of [['a.txt', [{ Key: 'source', Value: 'csv' }]], ['b.txt', []], ['c.txt', [{ Key: 'source', Value: 'csv' }]]] as const) {
      const tags = await rig.server.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
      assert.deepEqual(tags.TagSet, expected, key);
    }
    await shoot(page, '09b-jobs-more');
  });

  it('shows bucket settings; the policy editor points at the line the server refuses', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Buckets' }).click();
    await page.getByRole('link', { name: 'Settings' }).first().click();
    await page.locator('.versioning-status', { hasText: 'Enabled' }).waitFor();
    const policy = page.getByLabel('Policy JSON');
    await policy.fill('{\n  "Version": "2012-10-17",\n  "Statement": [\n');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('#policy-problem').getByText(/Not valid JSON/).waitFor();
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
        { Sid: 'Oops', Effect: 'Allow', Principal: '*', Action: 's3:NoSuchAction', Resource: `arn:aws:s3:::${BUCKET}/*` },
      ],
    };
    const text = JSON.stringify(doc, null, 2);
    await policy.fill(text);
    await page.getByRole('button', { name: 'Save policy' }).click();
    const problem = page.locator('#policy-problem').getByRole('alert');
    await problem.getByText('MalformedPolicy').waitFor();
    const line = text.split('\n').findIndex((l, i, all) => l.trim() === '{' && all[i + 1]?.includes('"Oops"')) + 1;
    assert.match(await problem.innerText(), new RegExp(`^Line ${line}: MalformedPolicy: Statement 1 \\(Sid "Oops"\\)`));
    assert.equal(await page.locator('.gutter .bad-line').innerText(), String(line));
    await shoot(page, '10-bucket-settings');
    await policy.fill(JSON.stringify({ ...doc, Statement: [doc.Statement[0]] }, null, 2));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('status').filter({ hasText: 'Policy saved.' }).waitFor();
  });

  it('refuses to delete a bucket that is not empty, with the server message', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Buckets' }).click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete bucket ${BUCKET}` }).click();
    await page.getByRole('alert').filter({ hasText: 'BucketNotEmpty' }).waitFor();
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    assert.deepEqual(pageErrors, []);
  });
});
