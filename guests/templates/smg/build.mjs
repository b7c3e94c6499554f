// Builds assembly/index.ts into build/{{name}}.wasm, an smg:gateway component, and
// build/{{name}}.core.wasm, the core module inside it (the tests can run that without a gateway).
import { join } from 'node:path';
import { buildComponent } from '@wasmgate/sdk-assemblyscript/tools/build-component';

const root = import.meta.dirname;
const started = performance.now();
const built = await buildComponent({
  entry: join(root, 'assembly', 'index.ts'),
  outFile: join(root, 'build', '{{name}}.wasm'),
  coreOutFile: join(root, 'build', '{{name}}.core.wasm'),
  root,
  world: 'smg',
});
const imports = built.imports.length > 0 ? `; imports ${built.imports.join(', ')}` : '';
console.log(`build/{{name}}.wasm: ${built.size} bytes in ${Math.round(performance.now() - started)} ms${imports}`);
