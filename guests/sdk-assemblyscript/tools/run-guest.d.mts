// Types for run-guest.mjs.
export declare function findWasmgateCli(projectDir?: string): string;
export declare function runWasmgate(
  args: string[],
  options?: { input?: string; cwd?: string; env?: Record<string, string> },
): Promise<{ code: number | null; stdout: string; stderr: string }>;
export declare function canRun(abi: 'sentinel' | 'smg' | 'storage', cwd?: string): Promise<boolean>;
export declare function runGuest(options: {
  abi: 'sentinel' | 'smg' | 'storage';
  module: string;
  event: string;
  input?: object;
  config?: object;
  op?: string;
  context?: Record<string, string>;
  payload?: string;
  resultJson?: string;
  extra?: Record<string, string>;
  cwd?: string;
}): Promise<{ result: any; via: 'wasmgate run' | 'core-host' }>;
