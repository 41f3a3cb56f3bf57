import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { shoot, signIn, startConsoleRig, type ConsoleRig } from './consoleSupport.js';

const BUCKET = 'records';

/** May list the bucket and read (object and tags) only objects tagged security=public; nothing else. */
const READ_PUBLIC_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectTagging'],
      Resource: `arn:aws:s3:::${BUCKET}/*`,
      Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } },
    },
  ],
});

/**
 * A policy-restricted IAM user in the console: every call is signed with the user's own key, so the console shows
 * what the policy allows and the server's refusal for the rest — nothing more.
 */
describe('console (a user who may only read security=public objects)', () => {
  let rig: ConsoleRig;
  let page: Page;

  before(async () => {
    rig = await startConsoleRig();
    const s3 = rig.server.s3;
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'open.txt', Body: 'for everyone', Tagging: 'security=public' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'closed.txt', Body: 'for few', Tagging: 'security=private' }));
  });
  after(async () => {
    await rig.stop();
  });

  it('root creates the user, its access key (the secret shown once) and its policy on the IAM page', async () => {
    const { page: admin } = await rig.newPage();
    await signIn(admin, rig.server.endpoint);
    await admin.getByRole('link', { name: 'IAM' }).click();
    await admin.getByLabel('New user name').fill('reader');
    await admin.getByRole('button', { name: 'Create user' }).click();
    await admin.getByRole('table', { name: 'Users' }).getByText('reader', { exact: true }).waitFor();
    await admin.getByRole('button', { name: 'Create access key' }).click();
    const accessKeyId = await admin.locator('.new-key-id').inputValue();
    const secretAccessKey = await admin.locator('.new-key-secret').inputValue();
    assert.match(accessKeyId, /^AKIA/);
    assert.ok(secretAccessKey.length >= 30);
    await admin.getByLabel('Policy name').fill('read-public');
    await admin.getByLabel('Policy document (JSON)').fill(READ_PUBLIC_ONLY);
    await admin.getByRole('button', { name: 'Save user policy' }).click();
    await admin.getByRole('status').filter({ hasText: 'Policy read-public saved.' }).waitFor();
    await shoot(admin, '19-iam-user');
    await admin.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await admin.locator('.new-key-secret').count(), 0, 'the secret is not shown again');
    assert.equal(await admin.getByText(secretAccessKey).count(), 0);

    ({ page } = await rig.newPage());
    await signIn(page, rig.server.endpoint, { accessKeyId, secretAccessKey }, { remember: true });
  });

  it('signs in as the user, who may not list buckets and is told so', async () => {
    assert.match(await page.locator('header .who').innerText(), /user\/reader/);
    // asked to remember: a reload keeps the session (this tab's sessionStorage only)
    await page.reload();
    await page.locator('header .who').waitFor();
    assert.match(await page.locator('header .who').innerText(), /user\/reader/);
    await page.getByRole('alert').filter({ hasText: 'Cannot list buckets: AccessDenied' }).waitFor();
    await shoot(page, '20-restricted-buckets');
  });

  it('opens the bucket by name and lists it (s3:ListBucket is allowed)', async () => {
    await page.getByLabel('Open a bucket by name').fill(BUCKET);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const objects = page.getByRole('table', { name: 'Objects' });
    await objects.getByRole('link', { name: 'open.txt' }).waitFor();
    assert.deepEqual((await objects.getByRole('link').allInnerTexts()).sort(), ['closed.txt', 'open.txt']);
  });

  it('opens a security=public object with its tags', async () => {
    await page.getByRole('link', { name: 'open.txt' }).click();
    await page.getByLabel('Tag 1 key').waitFor();
    assert.equal(await page.getByLabel('Tag 1 value').inputValue(), 'public');
    assert.equal(await page.getByText(/Cannot read this object/).count(), 0);
    await shoot(page, '21-restricted-open-object');
  });

  it('cannot change the tags of an object it may read: the server refuses and the console says so', async () => {
    await page.getByLabel('Tag 1 value').fill('private');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.getByRole('alert').filter({ hasText: 'The server refused the tags: AccessDenied' }).waitFor();
    const tags = await rig.server.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'open.txt' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'security', Value: 'public' }]);
  });

  it('cannot open an object the policy denies: neither its metadata nor its tags show', async () => {
    await page.goto(`${rig.server.endpoint}/console/#/b/${BUCKET}/o?key=closed.txt`);
    await page.getByRole('alert').filter({ hasText: 'Cannot read this object' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Cannot read the tags: AccessDenied' }).waitFor();
    assert.equal(await page.getByLabel('Tag 1 key').count(), 0);
    assert.equal(await page.getByText('private').count(), 0, 'the denied tag value never reaches the page');
    await shoot(page, '22-restricted-denied-object');
  });

  it('signs out, forgetting the remembered key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tessera' }).waitFor();
    assert.equal(await page.evaluate('window.sessionStorage.length'), 0);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Tessera' }).waitFor();
  });
});
