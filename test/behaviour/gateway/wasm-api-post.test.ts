// #6: POST /wasm answers exactly as SMG's (reference §1.3): shapes, statuses, validation order
// and message texts; plus the fixes (atomic duplicate check, the UUID of the module registered).
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fakeComponent, CORE_PREAMBLE } from '../../helpers/fake-loader.js';
import { gatewaySuite } from '../../helpers/gateway-harness.js';

const descriptor = (name: string, filePath: string, attach: string[] = ['OnRequest']) => ({
  name,
  file_path: filePath,
  module_type: 'Middleware',
  attach_points: attach.map((p) => ({ Middleware: p })),
});

const step = (id: string, message: string) => `Workflow failed at step ${id}: Step failed: ${id} - ${message}`;

describe('POST /wasm', () => {
  const { gateway: t } = gatewaySuite();

  async function addError(d: unknown): Promise<string> {
    const reply = await t.addModules([d]);
    assert.equal(reply.status, 400);
    const entry = reply.json().modules[0];
    assert.ok('Error' in entry.add_result, JSON.stringify(entry));
    return entry.add_result.Error;
  }

  it('registers a module and echoes the descriptor with add_result Success (a UUID v7)', async () => {
    const path = await t.writeModule('ok.wasm', { version: 'ok' });
    const reply = await t.addModules([descriptor('ok', path)]);
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    const [entry] = reply.json().modules;
    assert.deepEqual(Object.keys(entry), ['name', 'file_path', 'module_type', 'attach_points', 'add_result']);
    assert.equal(entry.name, 'ok');
    assert.equal(entry.file_path, path);
    assert.equal(entry.module_type, 'Middleware');
    assert.deepEqual(entry.attach_points, [{ Middleware: 'OnRequest' }]);
    assert.match(entry.add_result.Success, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(t.gateway.registry.get(entry.add_result.Success));
  });

  it('answers 200 with an empty list for "modules": []', async () => {
    const reply = await t.addModules([]);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), { modules: [] });
  });

  it('validate_descriptor: each check in SMG order with its exact message', async () => {
    const file = await t.writeModule('valid-for-checks.wasm', { version: 'checks' });
    assert.equal(await addError(descriptor('', file)), step('validate_descriptor', 'Module name cannot be empty'));
    assert.equal(await addError(descriptor('', '')), step('validate_descriptor', 'Module name cannot be empty'));
    assert.equal(await addError(descriptor('n', '')), step('validate_descriptor', 'Module file path cannot be empty'));
    assert.equal(await addError(descriptor('n', 'plugins/a.wasm')), step('validate_descriptor', 'Module file path must be absolute, got: plugins/a.wasm'));
    assert.equal(await addError(descriptor('n', '/tmp/../etc/a.wasm')), step('validate_descriptor', 'Path traversal (..) not allowed in module file path'));
    assert.equal(await addError(descriptor('n', '/tmp/a.wat')), step('validate_descriptor', 'Module file must have .wasm extension'));
    assert.equal(await addError(descriptor('n', '/tmp/.wasm')), step('validate_descriptor', 'Module file must have .wasm extension'));
    assert.equal(await addError(descriptor('n', '/tmp/noext')), step('validate_descriptor', 'Module file must have .wasm extension'));
    assert.equal(await addError(descriptor('n', '/etc/a.wasm')), step('validate_descriptor', 'Access to /etc/ directory is not allowed'));
    assert.equal(await addError(descriptor('n', '/var/run/a.wasm')), step('validate_descriptor', 'Access to /var/run/ directory is not allowed'));
    assert.equal(await addError(descriptor('n', '/proc/self/x.wasm')), step('validate_descriptor', 'Access to /proc/ directory is not allowed'));
    const missing = join(t.dir, 'missing.wasm');
    assert.equal(await addError(descriptor('n', missing)), step('validate_descriptor', `Failed to access file ${missing}: No such file or directory (os error 2)`));
  });

  it('validate_descriptor: an empty file is refused', async () => {
    const empty = join(t.dir, 'empty.wasm');
    await writeFile(empty, '');
    assert.equal(await addError(descriptor('n', empty)), step('validate_descriptor', 'Module file size cannot be 0'));
  });

  it('validate_descriptor: a symlink into /etc is refused after resolving it', async () => {
    const link = join(t.dir, 'evil.wasm');
    await symlink('/etc/passwd', link);
    assert.equal(await addError(descriptor('n', link)), step('validate_descriptor', 'Path resolves to blocked directory /etc/ (via symlink)'));
  });

  it('validate_descriptor: a .wasm symlink to a file without .wasm extension is refused', async () => {
    const target = join(t.dir, 'plain.bin');
    await writeFile(target, fakeComponent({ version: 'plain' }));
    const link = join(t.dir, 'alias.wasm');
    await symlink(target, link);
    assert.equal(await addError(descriptor('n', link)), step('validate_descriptor', 'Symlink target must be a .wasm file'));
  });

  it('validate_descriptor: the extension check is case-insensitive (A.WASM is accepted)', async () => {
    const upper = join(t.dir, 'UPPER.WASM');
    await writeFile(upper, fakeComponent({ version: 'upper' }));
    const reply = await t.addModules([descriptor('upper', upper)]);
    assert.equal(reply.status, 200, reply.text);
  });

  it('calculate_hash: a directory named x.wasm fails when read', async () => {
    const dir = join(t.dir, 'dir.wasm');
    await mkdir(dir);
    assert.equal(await addError(descriptor('n', dir)), step('calculate_hash', `Failed to read file ${dir}: Is a directory (os error 21)`));
  });

  it('check_duplicate: the same bytes twice in one request register once, then 400 with both results (partial success)', async () => {
    const a = await t.writeModule('dup-a.wasm', { version: 'dup' });
    const b = await t.writeModule('dup-b.wasm', { version: 'dup' });
    const reply = await t.addModules([descriptor('dup-1', a), descriptor('dup-2', b)]);
    assert.equal(reply.status, 400);
    const [first, second] = reply.json().modules;
    assert.ok(first.add_result.Success);
    const sha = t.gateway.registry.get(first.add_result.Success)!.sha256;
    assert.equal(second.add_result.Error, step('check_duplicate', `Duplicate SHA256 hash detected: module with same sha256 already exists: ${sha}`));
    assert.ok(t.gateway.registry.get(first.add_result.Success), 'the successful module stays registered');
  });

  it('#6 (SMG bug 3): concurrent registrations of the same file: exactly one succeeds', async () => {
    const path = await t.writeModule('race.wasm', { version: 'race' });
    const replies = await Promise.all([1, 2, 3, 4].map((i) => t.addModules([descriptor(`race-${i}`, path)])));
    const successes = replies.filter((r) => r.status === 200);
    assert.equal(successes.length, 1);
    for (const r of replies.filter((r) => r.status !== 200)) assert.match(r.json().modules[0].add_result.Error, /^Workflow failed at step check_duplicate: /);
  });

  it('#6 (SMG bug 2): returns the UUID of the module it registered, even when names repeat', async () => {
    const first = await t.register('same-name', { version: 'same-1' }, ['OnRequest']);
    const second = await t.register('same-name', { version: 'same-2' }, ['OnRequest']);
    assert.notEqual(first, second);
    assert.equal(t.gateway.registry.get(second)!.sha256 !== t.gateway.registry.get(first)!.sha256, true);
    assert.equal(t.loader.named('same-name').at(-1)!.sha256, t.gateway.registry.get(second)!.sha256);
  });

  it('validate_wasm_component: a wrong-world component is refused with the loader message in SMG format', async () => {
    const path = await t.writeModule('wrong-world.wasm', { loadError: { code: 'WG_ERR_MODULE_WRONG_WORLD', message: 'component exports neither smg:gateway/middleware-on-request nor smg:gateway/middleware-on-response' } });
    assert.equal(
      await addError(descriptor('ww', path)),
      step('validate_wasm_component', 'Invalid WASM component: component exports neither smg:gateway/middleware-on-request nor smg:gateway/middleware-on-response'),
    );
  });

  it('validate_wasm_component: non-wasm bytes and core modules are refused, with SMG hint', async () => {
    const text = join(t.dir, 'text.wasm');
    await writeFile(text, 'not webassembly at all');
    const notWasm = await addError(descriptor('nw', text));
    assert.match(notWasm, /^Workflow failed at step validate_wasm_component: Step failed: validate_wasm_component - Invalid WASM component: .*not WebAssembly.*\. Hint: The WASM file must be in component format\. If you're using wit-bindgen, use 'wasm-tools component new' to wrap the WASM module into a component\.$/);
    const core = join(t.dir, 'core.wasm');
    await writeFile(core, CORE_PREAMBLE);
    assert.match(await addError(descriptor('core', core)), /validate_wasm_component - Invalid WASM component: .*core module.*Hint:/);
  });

  it('accepts wasm_base64 instead of file_path, and lists the stored bytes as file_path', async () => {
    const bytes = fakeComponent({ version: 'b64' });
    const reply = await t.addModules([{ name: 'b64', module_type: 'Middleware', attach_points: [{ Middleware: 'OnRequest' }], wasm_base64: Buffer.from(bytes).toString('base64') }]);
    assert.equal(reply.status, 200, reply.text);
    const entry = reply.json().modules[0];
    const record = t.gateway.registry.get(entry.add_result.Success)!;
    assert.equal(entry.file_path, record.filePath);
    assert.ok(record.filePath.endsWith(`${record.sha256}.wasm`));
    assert.equal(
      await addError({ name: 'bad64', module_type: 'Middleware', attach_points: [], wasm_base64: '!!!' }),
      step('validate_descriptor', 'wasm_base64 is not valid base64'),
    );
    assert.equal(
      await addError({ name: 'both', file_path: '/tmp/x.wasm', module_type: 'Middleware', attach_points: [], wasm_base64: 'AGFzbQ==' }),
      step('validate_descriptor', 'Give either file_path or wasm_base64, not both'),
    );
  });

  it('validates wasmgate descriptor settings (priority, fail_open, response_mode, config, limits) and passes them to the loader', async () => {
    const path = await t.writeModule('settings.wasm', { version: 'settings' });
    const reply = await t.addModules([
      { ...descriptor('settings', path), priority: -5, fail_open: false, response_mode: 'headers', config: { key: 'v' }, limits: { max_execution_time_ms: 250, pool_size: 2 } },
    ]);
    assert.equal(reply.status, 200, reply.text);
    const loaded = t.loader.named('settings').at(-1)!;
    assert.equal(loaded.loadSpec.limits.maxExecutionTimeMs, 250);
    assert.equal(loaded.loadSpec.poolSize, 2);
    assert.deepEqual(loaded.loadSpec.config, { key: 'v' });
    const bad = await t.writeModule('bad-settings.wasm', { version: 'bad-settings' });
    assert.equal(await addError({ ...descriptor('bs', bad), priority: 'high' }), step('validate_descriptor', 'Invalid module settings: priority must be a number'));
    assert.equal(
      await addError({ ...descriptor('bs', bad), limits: { max_execution_time_ms: 0 } }),
      step('validate_descriptor', 'Invalid module settings: limits.max_execution_time_ms cannot be 0 (valid range 1..300000)'),
    );
    assert.equal(await addError({ ...descriptor('bs', bad), limits: { nope: 1 } }), step('validate_descriptor', 'Invalid module settings: limits: unknown field "nope"'));
  });

  describe('body-level errors (plain text, from the JSON extractor)', () => {
    const post = (body: string, contentType?: string) =>
      t.admin('/wasm', { method: 'POST', headers: contentType === undefined ? {} : { 'content-type': contentType }, body });

    it('415 without a JSON content type', async () => {
      for (const ct of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
        const reply = await post('{"modules":[]}', ct);
        assert.equal(reply.status, 415);
        assert.equal(reply.text, 'Expected request with `Content-Type: application/json`');
        assert.match(String(reply.headers['content-type']), /^text\/plain/);
      }
      assert.equal((await post('{"modules":[]}', 'Application/JSON; charset=utf-8')).status, 200);
      assert.equal((await post('{"modules":[]}', 'application/vnd.smg+json')).status, 200);
    });

    it('400 for malformed JSON', async () => {
      const cases: Array<[string, string]> = [
        ['', 'EOF while parsing a value at line 1 column 0'],
        ['hello', 'expected value at line 1 column 1'],
        ['{"modules": [', 'modules: EOF while parsing a list at line 1 column 13'],
        ['{"modules": []} x', 'trailing characters at line 1 column 17'],
        ['{"modules": [],}', 'trailing comma at line 1 column 16'],
        ['{"modules":[{"name":"a",\n"file_path": }]}', 'modules[0].file_path: expected value at line 2 column 14'],
      ];
      for (const [body, message] of cases) {
        const reply = await post(body, 'application/json');
        assert.equal(reply.status, 400, body);
        assert.equal(reply.text, `Failed to parse the request body as JSON: ${message}`);
      }
    });

    it('422 when the JSON does not fit the descriptor types', async () => {
      const cases: Array<[string, string]> = [
        ['{}', 'missing field `modules` at line 1 column 2'],
        ['{"modules":[{"name":"a","file_path":"/x.wasm","attach_points":[]}]}', 'modules[0]: missing field `module_type` at line 1 column 65'],
        ['{"modules":[{"name":"a","file_path":"/x.wasm","module_type":"Plugin","attach_points":[]}]}', 'modules[0].module_type: unknown variant `Plugin`, expected `Middleware` at line 1 column 68'],
        ['{"modules":[{"name":5}]}', 'modules[0].name: invalid type: integer `5`, expected a string at line 1 column 21'],
        ['{"modules":{}}', 'modules: invalid type: map, expected a sequence at line 1 column 11'],
        [
          '{"modules":[{"name":"a","file_path":"/x.wasm","module_type":"Middleware","attach_points":[{"Middleware":"OnStart"}]}]}',
          'modules[0].attach_points[0].Middleware: unknown variant `OnStart`, expected one of `OnRequest`, `OnResponse`, `OnError` at line 1 column 113',
        ],
        ['{"modules":[{"name":"a","name":"b"}]}', 'modules[0]: duplicate field `name` at line 1 column 30'],
      ];
      for (const [body, message] of cases) {
        const reply = await post(body, 'application/json');
        assert.equal(reply.status, 422, body);
        assert.equal(reply.text, `Failed to deserialize the JSON body into the target type: ${message}`);
      }
    });

    it('ignores unknown fields and add_result in the request, as serde does', async () => {
      const path = await t.writeModule('unknown-fields.wasm', { version: 'unknown-fields' });
      const reply = await post(JSON.stringify({ extra: [1, { a: null }], modules: [{ ...descriptor('uf', path), add_result: { Error: 'x' }, whatever: true }] }), 'application/json');
      assert.equal(reply.status, 200, reply.text);
      assert.ok(reply.json().modules[0].add_result.Success);
    });
  });
});

describe('POST /wasm with --enable-wasm off', () => {
  const { gateway: t } = gatewaySuite({ gateway: { enableWasm: false } });

  it('answers 500 with an empty body once the body is valid JSON; extractor errors first', async () => {
    const ok = await t.addModules([]);
    assert.equal(ok.status, 500);
    assert.equal(ok.text, '');
    const bad = await t.admin('/wasm', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    assert.equal(bad.status, 400);
    const get = await t.admin('/wasm');
    assert.equal(get.status, 500);
    assert.equal(get.text, '');
  });
});
