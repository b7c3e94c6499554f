// The decision helpers a handler returns: allow, block, deny, redirect.
import { Result } from './result';

/** Let the request or response through. */
export function allow(): Result {
  return Result.of('allow');
}

/** Answer the client with `status` and `body` instead of proxying. */
export function block(status: i32 = 403, body: string | null = null): Result {
  const result = Result.of('block');
  result.status = status;
  result.body = body;
  return result;
}

/** Same as block; with status 0 (the default) the host answers 403. */
export function deny(status: i32 = 0, body: string | null = null): Result {
  const result = Result.of('deny');
  result.status = status;
  result.body = body;
  return result;
}

/** Redirect the client to `url`; status 0 leaves it to the host's default, 302. */
export function redirect(url: string, status: i32 = 302): Result {
  const result = Result.of('redirect');
  result.status = status;
  result.body = url;
  return result;
}
