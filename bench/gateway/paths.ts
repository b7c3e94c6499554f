// Paths shared by the gateway bench processes.
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The transpile cache the test run fills (so 11 MB componentize-js guests are not re-transpiled). */
export const CACHE_DIR = join(REPO_ROOT, 'build', 'cache', 'components');
