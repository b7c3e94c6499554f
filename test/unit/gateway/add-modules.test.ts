// POST /wasm helpers: base64 decoding and which SMG step an error belongs to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmgateError } from '../../../src/errors.js';
import { decodeBase64, stepFailureOf } from '../../../src/gateway/wasm-api/add-modules.js';

describe('add-modules helpers', () => {
  it('decodes strict base64 (standard or URL-safe, padding optional, whitespace ignored)', () => {
    assert.deepEqual(decodeBase64('AGFz bQ=='), Uint8Array.of(0, 0x61, 0x73, 0x6d));
    assert.deepEqual(decodeBase64('AGFzbQ'), Uint8Array.of(0, 0x61, 0x73, 0x6d));
    assert.deepEqual(decodeBase64('-_8'), Uint8Array.of(0xfb, 0xff));
    for (const bad of ['!!', 'A', 'AG=F', 'AGFzbQ===']) assert.equal(decodeBase64(bad), undefined, bad);
  });

  it('maps registry and loader errors to SMG steps', () => {
    assert.equal(stepFailureOf(new WasmgateError('WG_ERR_REGISTRY_DUPLICATE', 'Duplicate SHA256 hash detected: x')).workflowMessage, 'Workflow failed at step check_duplicate: Step failed: check_duplicate - Duplicate SHA256 hash detected: x');
    assert.equal(stepFailureOf(new WasmgateError('WG_ERR_MODULE_WRONG_WORLD', 'no exports')).workflowMessage, 'Workflow failed at step validate_wasm_component: Step failed: validate_wasm_component - Invalid WASM component: no exports');
    assert.match(stepFailureOf(new WasmgateError('WG_ERR_MODULE_INVALID', 'bad magic')).message, /^Invalid WASM component: bad magic\. Hint: The WASM file must be in component format\./);
    assert.equal(stepFailureOf(new WasmgateError('WG_ERR_GUEST_TIMEOUT', 'start took too long')).step, 'validate_wasm_component');
    assert.equal(stepFailureOf(new WasmgateError('WG_ERR_REGISTRY_STORE', 'disk full')).workflowMessage, 'Workflow failed at step register_module: Step failed: register_module - Failed to register module: disk full');
    assert.equal(stepFailureOf(new WasmgateError('WG_ERR_CONFIG_INVALID', 'limits.max_body_size cannot be 0')).step, 'validate_descriptor');
  });
});
