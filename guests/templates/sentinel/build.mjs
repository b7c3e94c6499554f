// Builds assembly/index.ts into build/{{name}}.wasm (a core module for the Sentinel JSON ABI).
import { join } from 'node:path';
import { compileAssemblyScript } from '@wasmgate/sdk-assemblyscript/tools/compile-assemblyscript';

const root = import.meta.dirname;
const started = performance.now();
const size = await compileAssemblyScript({ entry: join(root, 'assembly', 'index.ts'), outFile: join(root, 'build', '{{name}}.wasm'), root });
console.log(`build/{{name}}.wasm: ${size} bytes in ${Math.round(performance.now() - started)} ms`);
