import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteObjectCommand,
  GetBucketMetricsConfigurationCommand,
  ListBucketMetricsConfigurationsCommand,
  PutBucketMetricsConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { Locator, Page } from 'playwright-core';
import { failure } from '../support/sdk.js';
import { shoot, signIn, startConsoleRig, type ConsoleRig } from './consoleSupport.js';

/** The cells of a table's rows, as text. */
async function cells(table: Locator): Promise<string[][]> {
  // one round trip for the whole table: a row's innerText has its cells separated by tabs
  const rows = await table.locator('tbody tr').allInnerTexts();
  return rows.map((r) => r.split('\t').map((t) => t.trim()));
}

/**
 * A bucket's Metrics tab, as the root user in a real Chromium against a real Tessera: the exact storage figures and
 * the figures by tag, a metrics configuration with a tag filter added (checked through the API), the server's
 * refusal shown, and the configuration deleted.
 */
describe('console metrics page (root user)', () => {
  let rig: ConsoleRig;
  let page: Page;
  const pageErrors: string[] = [];
  const BUCKET = 'gauges';

  before(async () => {
    rig = await startConsoleRig();
    ({ page } = await rig.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text());
    });
    await signIn(page, rig.server.endpoint);
  });
  after(async () => {
    await rig.stop();
  });

  it('shows the exact storage figures and the figures by a tag key the user types', async () => {
    await page.getByLabel('New bucket name').fill(BUCKET);
    await page.getByLabel('Versioning').check();
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await page.getByRole('status').filter({ hasText: `Bucket ${BUCKET} created.` }).waitFor();
    const s3 = rig.server.s3;
    const put = (key: string, body: string, tagging?: string): Promise<unknown> =>
      s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ...(tagging !== undefined ? { Tagging: tagging } : {}) }));
    await put('a.txt', 'aaaa', 'project=blue');
    await put('b.txt', 'bbbbbb', 'project=blue&class=x');
    await put('c.txt', 'cc', 'project=red');
    await put('d.txt', 'dddddddddd');
    await put('e.txt', 'eee', 'project=red');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'e.txt' }));

    await page.getByRole('link', { name: BUCKET, exact: true }).click();
    await page.getByRole('navigation', { name: 'Bucket pages' }).getByRole('link', { name: 'Metrics' }).click();
    const figures = page.getByRole('definition');
    await page.locator('dl[aria-label="Storage figures"]').waitFor();
    assert.deepEqual(await figures.allInnerTexts(), ['4', '22 B', '5', '25 B', '1']);
    assert.deepEqual(await page.getByRole('term').allInnerTexts(), ['Objects', 'Object bytes', 'Versions', 'Version bytes', 'Delete markers']);

    // keyboard only: type the key and press Enter
    await page.getByLabel('Tag key').fill('project');
    await page.getByLabel('Tag key').press('Enter');
    const table = page.getByRole('table', { name: 'Objects by tag project' });
    await table.waitFor();
    assert.deepEqual(await cells(table), [
      ['blue', '2', '10 B'],
      ['red', '1', '2 B'],
      ['(untagged)', '1', '10 B'],
    ]);
    await page.getByText('Tag key "project" is not tracked').waitFor();
  });

  it('adds a metrics configuration with a tag filter, checked through the API, and deletes it', async () => {
    const form = page.getByRole('form', { name: 'Add a configuration' });
    // checked before sending: an id with a space is refused in the page
    await form.getByLabel('Id').fill('bad id');
    await page.getByRole('list', { name: 'Configuration problems' }).getByText(/^Id: 1 to 64 letters/).waitFor();
    assert.equal(await form.getByRole('button', { name: 'Add configuration' }).isDisabled(), true);
    await form.getByLabel('Id').fill('blue-docs');
    await form.getByLabel('Prefix (optional)').fill('docs/');
    await form.getByRole('button', { name: 'Add filter tag' }).click();
    await form.getByLabel('Filter tag 1 key').fill('project');
    await form.getByLabel('Filter tag 1 value').fill('blue');
    await form.getByRole('button', { name: 'Add configuration' }).click();
    await page.getByRole('status').filter({ hasText: 'Metrics configuration blue-docs saved.' }).waitFor();
    const list = page.getByRole('table', { name: 'Metrics configurations' });
    await list.getByRole('cell', { name: 'blue-docs', exact: true }).waitFor();
    assert.deepEqual(await cells(list), [['blue-docs', 'prefix "docs/" and project=blue', 'Delete']]);
    const stored = await rig.server.s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: BUCKET, Id: 'blue-docs' }));
    assert.deepEqual(stored.MetricsConfiguration, { Id: 'blue-docs', Filter: { And: { Prefix: 'docs/', Tags: [{ Key: 'project', Value: 'blue' }] } } });
    await page.getByText('/_tessera/metrics').waitFor();
    await shoot(page, '20-bucket-metrics');

    await page.getByRole('button', { name: 'Delete blue-docs' }).click();
    await page.getByRole('status').filter({ hasText: 'Metrics configuration blue-docs deleted.' }).waitFor();
    await page.getByText('0 configurations').waitFor();
    const left = await rig.server.s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: BUCKET }));
    assert.equal(left.MetricsConfigurationList?.length ?? 0, 0);
    const gone = await failure(rig.server.s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: BUCKET, Id: 'blue-docs' })));
    assert.equal(gone.name, 'NoSuchConfiguration');
  });

  it('lists every page of a full bucket and shows the server refusing the 1,001st configuration', async () => {
    const s3 = rig.server.s3;
    const ids = Array.from({ length: 1000 }, (_, i) => `c${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map((Id) => s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: BUCKET, Id, MetricsConfiguration: { Id, Filter: { Prefix: `${Id}/` } } }))),
      );
    }
    // the key lives in the page's memory: open another tab of the bucket and come back instead of reloading
    const tabs = page.getByRole('navigation', { name: 'Bucket pages' });
    await tabs.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Versioning' }).waitFor();
    await tabs.getByRole('link', { name: 'Metrics' }).click();
    await page.getByText('1000 configurations').waitFor({ timeout: 30_000 });
    const list = page.getByRole('table', { name: 'Metrics configurations' });
    const rows = await cells(list);
    assert.equal(rows.length, 1000, 'all ten pages of 100 are listed');
    assert.deepEqual(rows[999], ['c0999', 'prefix "c0999/"', 'Delete']);

    const form = page.getByRole('form', { name: 'Add a configuration' });
    await form.getByLabel('Id').fill('one-too-many');
    await form.getByRole('button', { name: 'Add configuration' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The server refused the configuration one-too-many: TooManyConfigurations' });
    await alert.waitFor();
    // the page holds 1,000 rows: the view around the refusal, not the whole page (a full-page shot costs seconds)
    await alert.scrollIntoViewIfNeeded();
    await shoot(page, '21-bucket-metrics-refused', { fullPage: false });
    assert.deepEqual(pageErrors, []);
  });
});
