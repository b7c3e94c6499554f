// Whether a nullable string reference is null, without a call.

/**
 * Whether a string reference is null. `s == null` on a `string | null` calls the string equality
 * operator (a function call); this is a plain comparison.
 */
// @ts-ignore: decorator
@inline
export function isNull(s: string | null): bool {
  return changetype<usize>(s) == 0;
}
