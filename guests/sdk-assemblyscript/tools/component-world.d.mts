// Types for component-world.mjs.
export declare const WORLDS: Readonly<Record<'smg' | 'storage', string>>;
export declare const ALLOWED_IMPORTS: Readonly<Record<string, ReadonlySet<string>>>;
export declare const WIT_FILES: readonly string[];
export declare function witSource(): string;
export declare function checkImports(core: Uint8Array): string[];
