// Files that are not loadable guests: each is refused at load with a code and a message that says
// what is wrong; nothing is left running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentinelJsonModule, WasmgateError } from '../../src/index.js';
import { guestPath } from '../helpers/guests.js';

const refused = (code: string, ...mentions: string[]) => (err: unknown) =>
  WasmgateError.is(err) && err.code === code && mentions.every((m) => err.message.includes(m));

test('non-wasm bytes are refused as not WebAssembly', async () => {
  await assert.rejects(SentinelJsonModule.load(guestPath('hostile', 'not-wasm')), refused('WG_ERR_MODULE_INVALID', 'not WebAssembly'));
});

test('an empty file is refused as empty', async () => {
  await assert.rejects(SentinelJsonModule.load(guestPath('hostile', 'empty')), refused('WG_ERR_MODULE_INVALID', 'empty'));
});

test('a truncated module is refused as invalid', async () => {
  await assert.rejects(SentinelJsonModule.load(guestPath('hostile', 'truncated')), refused('WG_ERR_MODULE_INVALID'));
});

test('a missing file is refused naming the path', async () => {
  await assert.rejects(SentinelJsonModule.load('/nonexistent/dir/x.wasm'), refused('WG_ERR_MODULE_INVALID', '/nonexistent/dir/x.wasm'));
});

test('a component given where a core module is needed is refused as the wrong kind', async () => {
  const componentPreamble = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
  await assert.rejects(SentinelJsonModule.load(componentPreamble), refused('WG_ERR_MODULE_KIND_MISMATCH', 'component'));
});

test('a module without alloc is refused naming the missing export', async () => {
  await assert.rejects(SentinelJsonModule.load(guestPath('hostile', 'missing-alloc')), refused('WG_ERR_MODULE_MISSING_EXPORT', 'alloc'));
});

test('a module without handlers is refused naming both handlers', async () => {
  await assert.rejects(
    SentinelJsonModule.load(guestPath('hostile', 'missing-handlers')),
    refused('WG_ERR_MODULE_MISSING_EXPORT', 'on_request_headers', 'on_response_headers'),
  );
});

test('a module importing a host function wasmgate does not provide is refused naming it', async () => {
  await assert.rejects(SentinelJsonModule.load(guestPath('hostile', 'import-unknown')), refused('WG_ERR_MODULE_INVALID', 'env.system'));
});
