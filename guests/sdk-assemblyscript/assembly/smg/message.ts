// What a Request and a Response share: the body, and the header list, read lazily from the lifted
// HeaderBlock until a handler reads or assigns `headers` as a whole.
import { Header, findHeader, findHeaders } from './header';
import { HeaderBlock } from './header-block';

export class Message {
  /** The whole body. */
  body: Uint8Array = new Uint8Array(0);
  /** The headers as lifted, until `headers` is read or assigned (then null and `list` rules). */
  private lifted: HeaderBlock | null = null;
  private list: Header[] | null = null;

  /**
   * Internal to the SDK: the exports lift the host's list<header> argument with this (and free its
   * buffers). A handler never has such an argument to pass.
   */
  takeHeaders(list: usize, count: usize): void {
    this.lifted = HeaderBlock.take(list, count);
    this.list = null;
  }

  /** Names in lower case, one entry per value. Reading it decodes every header once. */
  get headers(): Header[] {
    const list = this.list;
    if (list != null) return list;
    const lifted = this.lifted;
    const decoded = lifted == null ? new Array<Header>() : lifted.toHeaders();
    this.list = decoded;
    this.lifted = null;
    return decoded;
  }

  set headers(headers: Header[]) {
    this.list = headers;
    this.lifted = null;
  }

  /** The first value of header `name` (ASCII case ignored), or null. */
  header(name: string): string | null {
    const lifted = this.lifted;
    if (lifted == null) return findHeader(this.headers, name);
    const i = lifted.indexOf(name);
    return i < 0 ? null : lifted.valueAt(i);
  }

  /** Every value of header `name` (ASCII case ignored), in order. */
  headerValues(name: string): string[] {
    const lifted = this.lifted;
    if (lifted == null) return findHeaders(this.headers, name);
    const out = new Array<string>();
    for (let i = lifted.indexOf(name); i >= 0; i = lifted.indexOf(name, i + 1)) out.push(lifted.valueAt(i));
    return out;
  }

  /** True when at least one header is named `name` (ASCII case ignored). */
  hasHeader(name: string): bool {
    const lifted = this.lifted;
    if (lifted == null) return findHeader(this.headers, name) != null;
    return lifted.indexOf(name) >= 0;
  }

  /** The body decoded as UTF-8. */
  bodyText(): string {
    return String.UTF8.decodeUnsafe(this.body.dataStart, <usize>this.body.length);
  }
}
