// `action` of smg:gateway: what a handler returns, and its lowering into the return area.
//
// Layout (canonical ABI; size 44, align 4), in the static return area:
//   0  u8  case: 0 continue, 1 reject, 2 modify
//   reject: 4 u16 status
//   modify: 4 u8 status.is-some, 6 u16 status,
//           8/12 headers-set, 16/20 headers-add (list<header>: 16-byte elements),
//           24/28 headers-remove (list<string>: 8-byte elements),
//           32 u8 body-replace.is-some, 36/40 body ptr/len
import { RETURN_AREA } from '../canonical/memory';
import { openResult, utf8Size, writeBytes, writeListHeader, writeString } from '../canonical/lower';
import { Header } from './header';

export enum ActionKind {
  Continue = 0,
  Reject = 1,
  Modify = 2,
}

export class Action {
  constructor(
    /** Which case of the variant. */
    readonly kind: ActionKind,
    /** The status of a reject (0 otherwise). */
    readonly rejectStatus: u16 = 0,
  ) {}
}

/** A `modify` action, built with chained calls: `modify().setHeader('a', '1').status(503)`. */
export class ModifyAction extends Action {
  /** -1 when the status is left alone, else the new status (the response side only: SMG ignores it on requests). */
  newStatus: i32 = -1;
  readonly headersSet: Header[] = [];
  readonly headersAdd: Header[] = [];
  readonly headersRemove: string[] = [];
  /** null leaves the body alone; an empty array empties it. */
  newBody: Uint8Array | null = null;

  constructor() {
    super(ActionKind.Modify);
  }

  /** Replaces every value of header `name` with `value`. */
  setHeader(name: string, value: string): ModifyAction {
    this.headersSet.push(new Header(name, value));
    return this;
  }

  /** Adds a value for header `name`, keeping existing ones. */
  addHeader(name: string, value: string): ModifyAction {
    this.headersAdd.push(new Header(name, value));
    return this;
  }

  /** Removes every value of header `name`. The host applies set, then add, then remove. */
  removeHeader(name: string): ModifyAction {
    this.headersRemove.push(name);
    return this;
  }

  /** Sets the response status (ignored by the host on the request side, as in SMG). */
  status(code: u16): ModifyAction {
    this.newStatus = <i32>code;
    return this;
  }

  /** Replaces the body with a string (sent as UTF-8) or a Uint8Array (sent as is). */
  replaceBody<T>(body: T): ModifyAction {
    if (isString<T>()) {
      this.newBody = Uint8Array.wrap(String.UTF8.encode(changetype<string>(body), false, String.UTF8.ErrorMode.REPLACE));
    } else if (idof<T>() == idof<Uint8Array>()) {
      this.newBody = changetype<Uint8Array>(body);
    } else {
      ERROR('replaceBody takes a string or a Uint8Array');
    }
    return this;
  }
}

export const CONTINUE_ACTION = new Action(ActionKind.Continue);

/** `continue`: let the request or response through unchanged. */
export function continue_(): Action {
  return CONTINUE_ACTION;
}

/** `reject(status)`: stop here and answer with `status` (on a request: an empty body). */
export function reject(status: u16): Action {
  return new Action(ActionKind.Reject, status);
}

/** `modify`: start a set of changes; chain setHeader / addHeader / removeHeader / status / replaceBody. */
export function modify(): ModifyAction {
  return new ModifyAction();
}

function headersData(headers: Header[]): usize {
  let size: usize = 0;
  for (let i = 0, n = headers.length; i < n; i++) {
    const h = unchecked(headers[i]);
    size += utf8Size(h.name) + utf8Size(h.value);
  }
  return size;
}

function writeHeaders(at: usize, headers: Header[]): void {
  const n = headers.length;
  const base = writeListHeader(at, n, 16);
  for (let i = 0; i < n; i++) {
    const h = unchecked(headers[i]);
    const el = base + (<usize>i << 4);
    writeString(el, h.name);
    writeString(el + 8, h.value);
  }
}

/** Lowers `action` into the return area (and one result block for a modify); returns the area. */
export function lowerAction(action: Action): usize {
  const ret = RETURN_AREA;
  memory.fill(ret, 0, 44);
  store<u8>(ret, <u8>action.kind);
  if (action.kind == ActionKind.Reject) {
    store<u16>(ret, action.rejectStatus, 4);
  } else if (action instanceof ModifyAction) {
    lowerModify(ret, changetype<ModifyAction>(action)); // safe: checked by instanceof
  }
  // A plain `new Action(ActionKind.Modify)` is a modify that changes nothing: the zeroed area.
  return ret;
}

function lowerModify(ret: usize, m: ModifyAction): void {
  const set = m.headersSet;
  const add = m.headersAdd;
  const remove = m.headersRemove;
  const body = m.newBody;
  let data = headersData(set) + headersData(add);
  for (let i = 0, n = remove.length; i < n; i++) data += utf8Size(unchecked(remove[i]));
  if (body != null) data += <usize>body.length;
  openResult((<usize>(set.length + add.length) << 4) + (<usize>remove.length << 3), data);

  if (m.newStatus >= 0) {
    store<u8>(ret, 1, 4);
    store<u16>(ret, <u16>m.newStatus, 6);
  }
  writeHeaders(ret + 8, set);
  writeHeaders(ret + 16, add);
  const removeBase = writeListHeader(ret + 24, remove.length, 8);
  for (let i = 0, n = remove.length; i < n; i++) writeString(removeBase + (<usize>i << 3), unchecked(remove[i]));
  if (body != null) {
    store<u8>(ret, 1, 32);
    writeBytes(ret + 36, body);
  }
}
