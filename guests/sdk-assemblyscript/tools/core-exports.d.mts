// Types for core-exports.mjs.
export declare const EXPORT_NAMES: Readonly<Record<'smg' | 'storage', Readonly<Record<string, string>>>>;
export declare function exportNames(bytes: Uint8Array): string[];
export declare function renameExports(bytes: Uint8Array, world: 'smg' | 'storage'): { bytes: Uint8Array; dropped: string[] };
