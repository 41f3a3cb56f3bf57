import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the console tests look for Chromium: $TESSERA_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  const fromEnv = process.env.TESSERA_CHROMIUM;
  const path = fromEnv !== undefined && fromEnv !== '' ? fromEnv : '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `The console tests need Chromium and found none at ${path}. Install Debian's package (bash scripts/install-test-deps.sh, ` +
        'or apt-get install chromium), or set TESSERA_CHROMIUM to a Chromium or Chrome executable. Playwright never downloads a browser here.',
    );
  }
  return path;
}

/**
 * Headless Chromium through playwright-core. The flags keep it off the network it would otherwise call on every start
 * (the machine's network is closed); Playwright gives each launch a fresh, empty profile (--user-data-dir).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
