// Types for compile-assemblyscript.mjs.
export declare const RELEASE_FLAGS: readonly string[];
export declare function compileAssemblyScriptToBytes(options: { entry: string; root: string; flags?: string[] }): Promise<Uint8Array>;
export declare function compileAssemblyScript(options: { entry: string; outFile: string; root: string; flags?: string[] }): Promise<number>;
