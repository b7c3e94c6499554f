// Types for build-component.mjs.
export declare const COMPONENT_FLAGS: readonly string[];
export declare function componentFromCore(
  core: Uint8Array,
  options: { world: 'smg' | 'storage' },
): Promise<{ component: Uint8Array; core: Uint8Array; imports: string[]; dropped: string[] }>;
export declare function buildComponent(options: {
  entry: string;
  outFile: string;
  root: string;
  world: 'smg' | 'storage';
  coreOutFile?: string;
  flags?: string[];
}): Promise<{ size: number; coreSize: number; imports: string[]; dropped: string[] }>;
