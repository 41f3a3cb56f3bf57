import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { chromiumPath } from './chromium.js';

describe('how the console tests find Chromium', () => {
  const saved = process.env.TESSERA_CHROMIUM;
  after(() => {
    if (saved === undefined) delete process.env.TESSERA_CHROMIUM;
    else process.env.TESSERA_CHROMIUM = saved;
  });

  it('takes TESSERA_CHROMIUM when it is set', () => {
    process.env.TESSERA_CHROMIUM = process.execPath; // any executable file will do for the lookup
    assert.equal(chromiumPath(), process.execPath);
  });

  it('fails, saying how to provide one, when the browser is missing (never skips)', () => {
    process.env.TESSERA_CHROMIUM = '/nonexistent/chromium';
    assert.throws(() => chromiumPath(), (err: Error) => {
      assert.match(err.message, /found none at \/nonexistent\/chromium/);
      assert.match(err.message, /scripts\/install-test-deps\.sh/);
      assert.match(err.message, /apt-get install chromium/);
      assert.match(err.message, /TESSERA_CHROMIUM/);
      return true;
    });
  });
});
