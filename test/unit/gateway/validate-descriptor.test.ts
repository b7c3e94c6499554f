// SMG's path rules that need no file system (Rust Path semantics).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDescriptorStrings, rustExtension } from '../../../src/gateway/wasm-api/validate-descriptor.js';
import { StepFailure } from '../../../src/gateway/wasm-api/workflow-message.js';

function message(name: string, path: string): string | undefined {
  try {
    checkDescriptorStrings(name, path);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StepFailure);
    assert.equal(err.step, 'validate_descriptor');
    return err.message;
  }
}

describe('validate_descriptor string checks', () => {
  it('follows Rust Path::extension()', () => {
    assert.equal(rustExtension('/a/b.wasm'), 'wasm');
    assert.equal(rustExtension('/a/b.tar.WASM'), 'WASM');
    assert.equal(rustExtension('/a/.wasm'), undefined);
    assert.equal(rustExtension('/a/b.'), '');
    assert.equal(rustExtension('/a/b.wasm/'), 'wasm');
    assert.equal(rustExtension('/a/b.wasm/.'), 'wasm');
    assert.equal(rustExtension('/'), undefined);
  });

  it('accepts what SMG accepts (. components and repeated slashes are normalised)', () => {
    for (const ok of ['/a/b.wasm', '/a/./b.wasm', '//a//b.WASM', '/a..b/c..wasm', '/etc.wasm', '/var/runner/x.wasm']) assert.equal(message('n', ok), undefined, ok);
  });

  it('refuses in SMG order', () => {
    assert.equal(message('', '/etc/x'), 'Module name cannot be empty');
    assert.equal(message('n', ''), 'Module file path cannot be empty');
    assert.equal(message('n', 'a/../x'), 'Module file path must be absolute, got: a/../x');
    assert.equal(message('n', '/etc/../x'), 'Path traversal (..) not allowed in module file path');
    assert.equal(message('n', '/etc/x.wat'), 'Module file must have .wasm extension');
    assert.equal(message('n', '/boot/x.wasm'), 'Access to /boot/ directory is not allowed');
    assert.equal(message('n', '/var/log/x.wasm'), 'Access to /var/log/ directory is not allowed');
    assert.equal(message('n', '/root/x.wasm'), 'Access to /root/ directory is not allowed');
  });
});
