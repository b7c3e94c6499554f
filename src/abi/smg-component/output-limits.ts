// Caps on what a component guest can make the host read, decode or log. They belong with the other
// guest-facing limits in runtime/limits.ts; they live here until that file takes them.

/** Entries in one lifted list of records (headers, extra columns). Blocks a 10-million-entry list
 *  whose elements all alias the same bytes from costing the host seconds and gigabytes. */
export const MAX_GUEST_LIST_ENTRIES = 10_000;

/** Total bytes of strings and lists lifted from one call's result, on top of max_body_size for the
 *  body itself. Blocks aliasing blow-ups: many entries pointing at the same large string. */
export const MAX_GUEST_RESULT_TEXT_BYTES = 1024 * 1024;

/** Guest stdout + stderr bytes logged per call; the rest is counted and dropped with one note. */
export const MAX_GUEST_OUTPUT_BYTES_PER_CALL = 64 * 1024;

/** Longest line logged as one event; longer lines are split. */
export const MAX_GUEST_LINE_BYTES = 4096;

/** Largest `wasi:random` request served in one call (the WASI API takes a u64 length). */
export const MAX_GUEST_RANDOM_BYTES = 1024 * 1024;
