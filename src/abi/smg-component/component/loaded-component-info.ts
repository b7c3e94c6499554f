// What a loaded component of either world says about itself (logs, `wasmgate run --json`, tests),
// taken from its artifact in one place.
import type { ArtifactSource, ComponentArtifact } from './component-loader.js';
import type { CallPath } from './export-binding.js';

export interface LoadedComponentInfo {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  /** Where the transpiled form came from on this load, and how long transpiling took (0 if cached). */
  readonly source: ArtifactSource;
  readonly transpileMs: number;
  /** 'direct' when every export is called through our own canonical ABI. */
  readonly callPath: CallPath;
  /** Interfaces the component imports (WASI only; each is sandboxed). */
  readonly imports: readonly string[];
}

export function componentInfo(artifact: ComponentArtifact, name: string, callPath: CallPath): LoadedComponentInfo {
  return {
    name,
    sha256: artifact.sha256,
    size: artifact.size,
    source: artifact.source,
    transpileMs: artifact.transpileMs,
    callPath,
    imports: artifact.shape.imports,
  };
}
