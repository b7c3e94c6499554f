// Per-module settings from descriptors: defaults, validation messages, round trip.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MODULE_SETTINGS, parseModuleSettings, settingsToJson } from '../../../src/registry/index.js';

const problem = (raw: Record<string, unknown>) => {
  try {
    parseModuleSettings(raw);
    return undefined;
  } catch (err) {
    assert.equal((err as { code?: string }).code, 'WG_ERR_CONFIG_INVALID');
    return (err as Error).message;
  }
};

describe('module settings', () => {
  it('defaults as SMG behaves: priority 0, fail-open, body mode, and ignores unknown fields', () => {
    assert.deepEqual(parseModuleSettings({ name: 'x', whatever: 1 }), DEFAULT_MODULE_SETTINGS);
  });

  it('parses and round-trips every field', () => {
    const raw = { priority: -2, fail_open: false, response_mode: 'headers', config: { k: [1] }, limits: { max_memory_pages: 16, max_execution_time_ms: 5, max_stack_size: 65536, max_body_size: 1, pool_size: 8 } };
    const settings = parseModuleSettings(raw);
    assert.deepEqual(settings.limits, { maxMemoryPages: 16, maxExecutionTimeMs: 5, maxStackSize: 65536, maxBodySize: 1 });
    assert.equal(settings.poolSize, 8);
    assert.deepEqual(settingsToJson(settings), raw);
    assert.deepEqual(parseModuleSettings(settingsToJson(settings) as Record<string, unknown>), settings);
  });

  it('names the field and the rule', () => {
    assert.equal(problem({ priority: 1.5 }), 'priority must be a whole number');
    assert.equal(problem({ priority: 2_000_000 }), 'priority must be at most 1000000');
    assert.equal(problem({ fail_open: 'no' }), 'fail_open must be true or false');
    assert.equal(problem({ response_mode: 'stream' }), 'response_mode must be one of "body", "headers"');
    assert.equal(problem({ config: [] }), 'config must be a JSON object');
    assert.equal(problem({ limits: { pool_size: 0 } }), 'limits.pool_size must be at least 1');
    assert.equal(problem({ limits: { max_memory_pages: 70000 } }), 'limits.max_memory_pages cannot exceed 65536 (4GB) (valid range 1..65536)');
    assert.equal(problem({ limits: { max_stack_size: 1024 } }), 'limits.max_stack_size must be at least 64KB (valid range 65536..16777216)');
  });
});
