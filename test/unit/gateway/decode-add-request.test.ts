// The POST /wasm decoder reproduces serde_json + serde_path_to_error texts (under axum's Json).
// Positions follow serde_json: `column` counts bytes since the line start up to just past the last
// byte consumed ("at": after a token) or up to and including the offending byte ("peek").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeAddRequest } from '../../../src/gateway/wasm-api/decode-add-request.js';

const decode = (text: string) => decodeAddRequest(new TextEncoder().encode(text));
function failure(text: string, status: 400 | 422): string {
  const out = decode(text);
  assert.equal(out.ok, false, text);
  if (out.ok) return '';
  assert.equal(out.status, status, `${text} -> ${out.text}`);
  return out.text.replace(/^Failed to (parse the request body as JSON|deserialize the JSON body into the target type): /, '');
}
const syntax = (text: string) => failure(text, 400);
const data = (text: string) => failure(text, 422);
/** Column just past the first occurrence of `marker` (1-line texts). */
const past = (text: string, marker: string, from = 0) => {
  const at = text.indexOf(marker, from);
  assert.ok(at >= 0, marker);
  return at + marker.length;
};
const d = (extra = '') => `{"name":"a","file_path":"/a.wasm","module_type":"Middleware","attach_points":[]${extra}}`;

describe('decodeAddRequest', () => {
  it('decodes descriptors, attach points in both enum forms, and collects unknown fields', () => {
    const out = decode(`{"modules":[${d(',"priority":3,"wasm_base64":"AA=="')}, {"name":"b","file_path":"/b.wasm","module_type":{"Middleware":null},"attach_points":[{"Middleware":"OnResponse"},{"Middleware":"OnError"}],"add_result":{"Success":"0198c2e4-5b7a-7c3e-9a51-3f0d2b6c8e11"}}]}`);
    assert.ok(out.ok);
    if (!out.ok) return;
    assert.deepEqual(out.modules[0]!.extras, { priority: 3, wasm_base64: 'AA==' });
    assert.deepEqual(out.modules[1]!.attachPoints, ['OnResponse', 'OnError']);
  });

  it('accepts a struct written as an array of its fields, as serde_json does', () => {
    assert.ok(decode('{"modules":[["n","/n.wasm","Middleware",[],null]]}').ok);
    const short = '{"modules":[["n","/n.wasm","Middleware",[]]]}';
    assert.equal(data(short), `modules[0]: invalid length 4, expected struct WasmModuleDescriptor with 5 elements at line 1 column ${past(short, '[]]')}`);
    assert.equal(data('[]'), 'invalid length 0, expected struct WasmModuleAddRequest with 1 element at line 1 column 2');
  });

  it('lets wasm_base64 stand in for file_path, but not for other fields', () => {
    assert.ok(decode('{"modules":[{"name":"a","wasm_base64":"AA==","module_type":"Middleware","attach_points":[]}]}').ok);
    const missing = '{"modules":[{"name":"a","module_type":"Middleware","attach_points":[]}]}';
    assert.equal(data(missing), `modules[0]: missing field \`file_path\` at line 1 column ${past(missing, '[]}')}`);
  });

  it('reports syntax errors with serde_json positions', () => {
    assert.equal(syntax(''), 'EOF while parsing a value at line 1 column 0');
    assert.equal(syntax('   '), 'EOF while parsing a value at line 1 column 3');
    assert.equal(syntax('hello'), 'expected value at line 1 column 1');
    assert.equal(syntax('{'), 'EOF while parsing an object at line 1 column 1');
    assert.equal(syntax('{"modules"'), 'modules: EOF while parsing an object at line 1 column 10');
    assert.equal(syntax('{"modules" 1'), 'modules: expected `:` at line 1 column 12');
    assert.equal(syntax('{1:2}'), 'key must be a string at line 1 column 2');
    assert.equal(syntax('{"modules":[] "x":1}'), 'expected `,` or `}` at line 1 column 15');
    const list = '{"modules":[["n","/n.wasm","Middleware",[],null] 1]}';
    assert.equal(syntax(list), `modules: expected \`,\` or \`]\` at line 1 column ${past(list, '] 1')}`);
    assert.equal(syntax('{"x":tru}'), 'x: expected ident at line 1 column 9');
    assert.equal(syntax('{"x":"a\\q"}'), 'x: invalid escape at line 1 column 9');
    assert.equal(syntax('{"x":"a\nb"}'), 'x: control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0');
    assert.equal(syntax('{"x":01}'), 'x: invalid number at line 1 column 7');
    assert.equal(syntax('{"x":[1,]}'), 'x: trailing comma at line 1 column 9');
    assert.equal(syntax('{"modules":[]}]'), 'trailing characters at line 1 column 15');
    assert.equal(syntax('{"x":"unterminated'), 'x: EOF while parsing a string at line 1 column 18');
    assert.equal(syntax(`{"x":${'['.repeat(200)}`), 'x: recursion limit exceeded at line 1 column 132');
  });

  it('reports type errors with the path of the value', () => {
    assert.equal(data('"x"'), 'invalid type: string "x", expected struct WasmModuleAddRequest at line 1 column 3');
    assert.equal(data('{"modules":null}'), 'modules: invalid type: null, expected a sequence at line 1 column 15');
    assert.equal(data('{"modules":[1 2]}'), 'modules[0]: invalid type: integer `1`, expected struct WasmModuleDescriptor at line 1 column 13');
    assert.equal(data('{"modules":[{"name":true}]}'), 'modules[0].name: invalid type: boolean `true`, expected a string at line 1 column 24');
    assert.equal(data('{"modules":[{"name":1.5}]}'), 'modules[0].name: invalid type: floating point `1.5`, expected a string at line 1 column 23');
    assert.equal(data('{"modules":[{"name":1e3}]}'), 'modules[0].name: invalid type: floating point `1000.0`, expected a string at line 1 column 23');
    assert.equal(data('{"modules":[{"name":-3}]}'), 'modules[0].name: invalid type: integer `-3`, expected a string at line 1 column 22');
    assert.equal(data('{"modules":[{"name":[]}]}'), 'modules[0].name: invalid type: sequence, expected a string at line 1 column 20');
    const unitForm = `{"modules":[${d().replace('[]', '["OnRequest"]')}]}`;
    assert.equal(data(unitForm), `modules[0].attach_points[0]: unknown variant \`OnRequest\`, expected \`Middleware\` at line 1 column ${past(unitForm, '"OnRequest"')}`);
    const unitVariant = `{"modules":[${d().replace('[]', '["Middleware"]')}]}`;
    assert.equal(
      data(unitVariant),
      `modules[0].attach_points[0]: invalid type: unit variant, expected newtype variant at line 1 column ${past(unitVariant, '"Middleware"]', past(unitVariant, 'attach_points'))}`,
    );
    const notString = `{"modules":[${d().replace('[]', '[{"Middleware":1}]')}]}`;
    assert.equal(syntax(notString), `modules[0].attach_points[0].Middleware: expected value at line 1 column ${past(notString, '"Middleware":1')}`);
    const typeNumber = `{"modules":[${d().replace('"Middleware","attach', '5,"attach')}]}`;
    assert.equal(syntax(typeNumber), `modules[0].module_type: expected value at line 1 column ${past(typeNumber, '"module_type":5')}`);
  });
});
