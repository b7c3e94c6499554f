import assert from 'node:assert/strict';
import { rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { watchModuleFile } from '../../../src/sentinel/module-file-watcher.js';
import { LogCapture, makeTempDir } from '../../behaviour/sentinel/agent-fixture.js';

describe('watchModuleFile', () => {
  it('reports a content change, an atomic replace, and ignores a touch that keeps the bytes', async () => {
    const dir = await makeTempDir();
    const path = join(dir, 'guest.wasm');
    await writeFile(path, 'one');
    const logs = new LogCapture();
    let changes = 0;
    let notify: () => void = () => {};
    const watcher = watchModuleFile({ path, logger: logs.logger, debounceMs: 5, onChange: () => (changes++, notify()) });
    const changed = (): Promise<void> => new Promise((resolve) => (notify = resolve));
    try {
      await watcher.ready;

      let next = changed();
      await writeFile(path, 'two');
      await next;
      assert.equal(changes, 1);

      const future = new Date(Date.now() + 60_000);
      await utimes(path, future, future); // same bytes, new mtime
      await logs.waitFor((l) => l.msg === 'module file touched; content unchanged');
      assert.equal(changes, 1);

      next = changed();
      await writeFile(join(dir, 'guest.tmp'), 'three');
      await rename(join(dir, 'guest.tmp'), path);
      await next;
      assert.equal(changes, 2);

    } finally {
      watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
