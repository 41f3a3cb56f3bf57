import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { launchChromium } from './chromium.js';

/** Screenshots of every page the tests visit, kept as artifacts (ignored by git). */
export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test-artifacts/console');

export interface ConsoleRig {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A fresh browser context (its own storage) with a page on the console. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** A real Tessera on 127.0.0.1 (port 0, temp data dir) and a real headless Chromium. */
export async function startConsoleRig(): Promise<ConsoleRig> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startTestServer();
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await server.stop();
    throw err;
  }
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return { context, page };
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await server.stop();
    },
  };
}

/** Open the console and sign in with a key; resolves when the buckets page shows. */
export async function signIn(
  page: Page,
  endpoint: string,
  key: { accessKeyId: string; secretAccessKey: string } = ROOT_KEY,
  options: { remember?: boolean } = {},
): Promise<void> {
  await page.goto(`${endpoint}/console/`);
  if (options.remember === true) await page.getByLabel('Remember in this browser tab').check();
  await page.getByLabel('Access key ID').fill(key.accessKeyId);
  await page.getByLabel('Secret access key').fill(key.secretAccessKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Buckets', exact: true }).waitFor();
}

/** A screenshot into the artifacts folder, full-page unless told otherwise. */
export async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: options.fullPage ?? true });
}
