// Canonical ABI of the two smg:gateway exports, written out for their fixed types.
//
// on-request(req: request) -> action. `request` flattens to 13 core values (six strings/lists as
// ptr+len pairs, then the u64 as i64): within MAX_FLAT_PARAMS = 16, so it is passed flat, not by
// pointer. on-response(resp: response) -> action flattens to 5 (status as i32, two ptr+len pairs).
// `action` flattens to 12 values, more than MAX_FLAT_RESULTS = 1, so the core function returns a
// pointer to it in memory. Layout (align 4, size 44):
//   0 u8 case (0 continue, 1 reject, 2 modify)
//   reject: 4 u16 status
//   modify: 4 u8 status.is-some, 6 u16 status, 8/12 headers-set ptr/len, 16/20 headers-add,
//           24/28 headers-remove (list<string>, 8-byte elements), 32 u8 body.is-some, 36/40 body ptr/len
// `header` is {name: string, value: string}: 16 bytes, align 4.
import type { CoreEntry } from './component/instantiate-component.js';
import { CanonicalMemory, badOutput } from './canonical/canonical-memory.js';
import type { SmgAction, SmgHeader, SmgRequest, SmgResponse } from './types.js';

export const ON_REQUEST_PARAMS = 13;
export const ON_RESPONSE_PARAMS = 5;
const ACTION_SIZE = 44;

const headerName = (h: SmgHeader): string => h.name;
const headerValue = (h: SmgHeader): string => h.value;
const makeHeader = (name: string, value: string): SmgHeader => ({ name, value });

/** `now-epoch-ms` as the i64 the core function takes; checked before any guest code runs. */
export function nowToU64(value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`now-epoch-ms must be a non-negative integer, got ${value}`);
  return BigInt(value);
}

export function callOnRequest(mem: CanonicalMemory, entry: CoreEntry, req: SmgRequest, now: bigint, maxBodySize: number): SmgAction {
  mem.begin();
  const mp = mem.writeString(req.method);
  const ml = mem.lastLength;
  const pp = mem.writeString(req.path);
  const pl = mem.lastLength;
  const qp = mem.writeString(req.query);
  const ql = mem.lastLength;
  const hp = mem.writePairs(req.headers, headerName, headerValue);
  const bp = mem.writeBytes(req.body);
  const rp = mem.writeString(req.requestId);
  const rl = mem.lastLength;
  const ret = entry.fn(mp, ml, pp, pl, qp, ql, hp, req.headers.length, bp, req.body.byteLength, rp, rl, now) >>> 0;
  const action = liftAction(mem, ret, maxBodySize);
  entry.postReturn?.(ret);
  return action;
}

export function callOnResponse(mem: CanonicalMemory, entry: CoreEntry, res: SmgResponse, maxBodySize: number): SmgAction {
  mem.begin();
  const hp = mem.writePairs(res.headers, headerName, headerValue);
  const bp = mem.writeBytes(res.body);
  const ret = entry.fn(res.status & 0xffff, hp, res.headers.length, bp, res.body.byteLength) >>> 0;
  const action = liftAction(mem, ret, maxBodySize);
  entry.postReturn?.(ret);
  return action;
}

export function liftAction(mem: CanonicalMemory, ret: number, maxBodySize: number): SmgAction {
  mem.begin();
  mem.check(ret, ACTION_SIZE, 4, 'action');
  switch (mem.discriminant(ret, 3, 'action')) {
    case 0:
      return { tag: 'continue' };
    case 1:
      return { tag: 'reject', status: mem.u16(ret + 4) };
    default: {
      const modify: SmgAction & { tag: 'modify' } = {
        tag: 'modify',
        modify: {
          headersSet: mem.readPairs(mem.u32(ret + 8), mem.u32(ret + 12), 'headers-set', makeHeader),
          headersAdd: mem.readPairs(mem.u32(ret + 16), mem.u32(ret + 20), 'headers-add', makeHeader),
          headersRemove: mem.readStrings(mem.u32(ret + 24), mem.u32(ret + 28), 'headers-remove'),
        },
      };
      if (mem.discriminant(ret + 4, 2, 'modify-action.status') === 1) modify.modify.status = mem.u16(ret + 6);
      if (mem.discriminant(ret + 32, 2, 'modify-action.body-replace') === 1) {
        modify.modify.bodyReplace = mem.readBytes(mem.u32(ret + 36), mem.u32(ret + 40), maxBodySize, 'body-replace');
      }
      return modify;
    }
  }
}

// ---- the same through jco's glue (fallback, and the reference the fast path is tested against) ----

type GlueAction = { tag: 'continue' } | { tag: 'reject'; val: number } | { tag: 'modify'; val: GlueModify };
interface GlueModify {
  status?: number;
  headersSet: SmgHeader[];
  headersAdd: SmgHeader[];
  headersRemove: string[];
  bodyReplace?: Uint8Array;
}

export function requestToGlue(req: SmgRequest, now: bigint): Record<string, unknown> {
  return { ...req, nowEpochMs: now };
}

/** Converts (and size-checks) the glue's lifted action; the glue already checked bounds and cases. */
export function actionFromGlue(value: unknown, maxBodySize: number): SmgAction {
  const action = value as GlueAction;
  switch (action?.tag) {
    case 'continue':
      return { tag: 'continue' };
    case 'reject':
      return { tag: 'reject', status: action.val };
    case 'modify': {
      const m = action.val;
      if (m.bodyReplace && m.bodyReplace.byteLength > maxBodySize) {
        throw badOutput(`body-replace is ${m.bodyReplace.byteLength} bytes, more than the ${maxBodySize}-byte limit`);
      }
      const out: SmgAction & { tag: 'modify' } = {
        tag: 'modify',
        modify: {
          headersSet: m.headersSet.map((h) => makeHeader(h.name, h.value)),
          headersAdd: m.headersAdd.map((h) => makeHeader(h.name, h.value)),
          headersRemove: [...m.headersRemove],
        },
      };
      if (m.status !== undefined) out.modify.status = m.status;
      if (m.bodyReplace !== undefined) out.modify.bodyReplace = m.bodyReplace;
      return out;
    }
    default:
      throw badOutput('glue returned an unknown action');
  }
}
