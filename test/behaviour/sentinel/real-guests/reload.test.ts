// #4 with real guests: the module file is replaced on disk the way deploy tools do it (write a new
// file, rename it over the old one). Wired as the CLI wires it (watchModuleFile → agent.reload()),
// the agent picks up another guest's behaviour on connections already open; a non-wasm file is
// refused, logged and counted, and the previous module keeps serving.
import assert from 'node:assert/strict';
import { copyFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SentinelJsonModule } from '../../../../src/index.js';
import { watchModuleFile, type ModuleFileWatcher } from '../../../../src/sentinel/index.js';
import { guestPath } from '../../../helpers/guests.js';
import { SentinelV1Client, SentinelV2Client, V2Type, requestHeadersPayload } from '../../../helpers/sentinel-client.js';
import { makeTempDir, startTestAgent, type LogLine, type TestAgent } from '../agent-fixture.js';
import { assertBareAllow, askV1, askV2, requestOps, tagsOf, within } from './real-agent.js';

const RELOADED = 'guest reloaded; calls already running finish on the previous guest';
const REFUSED = 'reload failed; the previous guest stays in service';

describe('real guests: reload when the module file is replaced', { timeout: 20_000 }, () => {
  let dir: string;
  let modulePath: string;
  let t: TestAgent;
  let watcher: ModuleFileWatcher;
  let v1: SentinelV1Client;
  let v2: SentinelV2Client;
  let step = 0;

  /** Atomic replace: copy the new content next to the module, then rename it over. */
  async function replaceWith(source: string): Promise<void> {
    const staging = join(dir, `staging-${++step}.tmp`);
    await copyFile(source, staging);
    await rename(staging, modulePath);
  }

  const waitLog = (what: string, match: (l: LogLine) => boolean): Promise<LogLine> => within(t.logs.waitFor(match), 10_000, what);

  before(async () => {
    dir = await makeTempDir();
    modulePath = join(dir, 'module.wasm');
    await copyFile(guestPath('examples', 'sentinel-security'), modulePath);
    t = await startTestAgent({ dir, poolSize: 2, loadGuest: () => SentinelJsonModule.load(modulePath, { poolSize: 2 }) });
    watcher = watchModuleFile({ path: modulePath, logger: t.logs.logger, onChange: () => void t.agent.reload(), debounceMs: 50 });
    await watcher.ready;
    v1 = await SentinelV1Client.connect(t.socketPath);
    v2 = await SentinelV2Client.connect(t.socketPath);
  });
  after(async () => {
    watcher?.close();
    v1?.destroy();
    v2?.destroy();
    await t?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the first module (sentinel-security)', async () => {
    const reply = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/admin' }));
    assert.deepEqual(reply['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
    assert.equal(t.agent.metrics().guestGeneration, 1);
  });

  it('a different guest renamed over the file is loaded; open connections get its behaviour', async () => {
    await replaceWith(guestPath('test-core', 'decisions'));
    await waitLog('the reload', (l) => l.msg === RELOADED && l['generation'] === 2);
    // decisions: /admin is just "anything else" (allow, no ops); /deny blocks with no body.
    assertBareAllow(await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/admin' })));
    const deny = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/deny' }));
    assert.deepEqual(deny['decision'], { block: { status: 403, body: null, headers: null } });
    const redirect = await askV2(v2, V2Type.RequestHeaders, 'after-reload', requestHeadersPayload({ uri: '/redirect', correlationId: 'after-reload' }));
    assert.deepEqual(redirect['decision'], { block: { status: 302, body: null, headers: { Location: 'https://example.com/login' } } });
  });

  it('a non-wasm file renamed over it is refused: logged, counted, and the old module keeps serving', async () => {
    await replaceWith(guestPath('hostile', 'not-wasm'));
    const refused = await waitLog('the refused reload', (l) => l.msg === REFUSED);
    assert.equal(refused.level, 50);
    assert.match(JSON.stringify(refused['err']), /WG_ERR_MODULE_INVALID|not a WebAssembly|WebAssembly/i);
    const deny = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/deny' }));
    assert.deepEqual(deny['decision'], { block: { status: 403, body: null, headers: null } });
    const m = t.agent.metrics();
    assert.deepEqual(m.reloads, { succeeded: 1, failed: 1 });
    assert.equal(m.guestGeneration, 2);
  });

  it('a truncated module is refused the same way', async () => {
    await replaceWith(guestPath('hostile', 'truncated'));
    await waitLog('the second refused reload', (l) => l.msg === REFUSED && t.agent.metrics().reloads.failed === 2);
    assert.equal(t.agent.metrics().guestGeneration, 2);
    assertBareAllow(await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/zero' })));
  });

  it('a good module after refused ones is loaded again', async () => {
    await replaceWith(guestPath('examples', 'sentinel-security'));
    await waitLog('the recovery reload', (l) => l.msg === RELOADED && l['generation'] === 3);
    const reply = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/api' }));
    assert.deepEqual(requestOps(reply), [{ set: { name: 'X-Processed', value: 'true' } }, { remove: { name: 'X-Debug' } }]);
    assert.deepEqual(tagsOf(reply), ['processed']);
    assert.deepEqual(t.agent.metrics().reloads, { succeeded: 2, failed: 2 });
  });
});
