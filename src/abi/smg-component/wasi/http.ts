// wasi:http for a sandboxed guest: it may build an outgoing request (headers, body), but sending it
// fails with `HTTP-request-denied`, the error the upstream host gives when outgoing HTTP is not
// allowed. Incoming-side resources exist only as types: a middleware guest is never handed one.
// Host-side state a guest can grow (header fields) is capped so it cannot use the host's memory.
import type { ComponentLog } from '../component/component-log.js';
import { InputStream, OutputStream, Pollable, discardSink, wasiError } from './io.js';

/** Entries and bytes one `fields` resource may hold. */
const MAX_FIELD_ENTRIES = 256;
const MAX_FIELD_BYTES = 64 * 1024;

type FieldEntry = [string, Uint8Array];

class Fields {
  #entries: FieldEntry[] = [];
  #bytes = 0;

  static fromList(entries: FieldEntry[]): Fields {
    const fields = new Fields();
    for (const [name, value] of entries) fields.append(name, value);
    return fields;
  }
  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.#entries.filter(([n]) => n === key).map(([, v]) => v);
  }
  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.#entries.some(([n]) => n === key);
  }
  set(name: string, values: Uint8Array[]): void {
    this.delete(name);
    for (const value of values) this.append(name, value);
  }
  delete(name: string): void {
    const key = name.toLowerCase();
    const kept: FieldEntry[] = [];
    for (const entry of this.#entries) {
      if (entry[0] === key) this.#bytes -= entry[0].length + entry[1].byteLength;
      else kept.push(entry);
    }
    this.#entries = kept;
  }
  append(name: string, value: Uint8Array): void {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw wasiError({ tag: 'invalid-syntax' });
    const size = name.length + value.byteLength;
    if (this.#entries.length >= MAX_FIELD_ENTRIES || this.#bytes + size > MAX_FIELD_BYTES) throw wasiError({ tag: 'forbidden' });
    this.#entries.push([name.toLowerCase(), value.slice()]);
    this.#bytes += size;
  }
  entries(): FieldEntry[] {
    return this.#entries.map(([n, v]) => [n, v.slice()]);
  }
  clone(): Fields {
    return Fields.fromList(this.#entries);
  }
}

class OutgoingBody {
  write(): OutputStream {
    return new OutputStream(discardSink);
  }
  static finish(_body: OutgoingBody, _trailers: Fields | undefined): void {}
}

type Method = { tag: string; val?: string };
type Scheme = { tag: string; val?: string };

class OutgoingRequest {
  readonly #headers: Fields;
  #method: Method = { tag: 'get' };
  #pathWithQuery: string | undefined;
  #scheme: Scheme | undefined;
  #authority: string | undefined;
  #body: OutgoingBody | undefined;

  constructor(headers: Fields) {
    this.#headers = headers;
  }
  body(): OutgoingBody {
    if (this.#body) throw wasiError(undefined);
    this.#body = new OutgoingBody();
    return this.#body;
  }
  method(): Method {
    return this.#method;
  }
  setMethod(method: Method): void {
    this.#method = method;
  }
  pathWithQuery(): string | undefined {
    return this.#pathWithQuery;
  }
  setPathWithQuery(value: string | undefined): void {
    this.#pathWithQuery = value;
  }
  scheme(): Scheme | undefined {
    return this.#scheme;
  }
  setScheme(value: Scheme | undefined): void {
    this.#scheme = value;
  }
  authority(): string | undefined {
    return this.#authority;
  }
  setAuthority(value: string | undefined): void {
    this.#authority = value;
  }
  headers(): Fields {
    return this.#headers;
  }
  describe(): string {
    const scheme = this.#scheme ? (this.#scheme.val ?? this.#scheme.tag).toLowerCase() : 'http';
    return `${this.#method.val ?? this.#method.tag.toUpperCase()} ${scheme}://${this.#authority ?? ''}${this.#pathWithQuery ?? ''}`.slice(0, 512);
  }
}

class RequestOptions {
  #timeouts: Record<string, bigint | undefined> = {};
  connectTimeout(): bigint | undefined {
    return this.#timeouts.connect;
  }
  setConnectTimeout(d: bigint | undefined): void {
    this.#timeouts.connect = d;
  }
  firstByteTimeout(): bigint | undefined {
    return this.#timeouts.firstByte;
  }
  setFirstByteTimeout(d: bigint | undefined): void {
    this.#timeouts.firstByte = d;
  }
  betweenBytesTimeout(): bigint | undefined {
    return this.#timeouts.betweenBytes;
  }
  setBetweenBytesTimeout(d: bigint | undefined): void {
    this.#timeouts.betweenBytes = d;
  }
}

// Never handed to a guest; they exist because the glue looks every resource type up.
class FutureIncomingResponse {
  subscribe(): Pollable {
    return new Pollable();
  }
  get(): undefined {
    return undefined;
  }
}
class FutureTrailers {
  subscribe(): Pollable {
    return new Pollable();
  }
  get(): undefined {
    return undefined;
  }
}
class IncomingBody {
  stream(): InputStream {
    return new InputStream();
  }
  static finish(_body: IncomingBody): FutureTrailers {
    return new FutureTrailers();
  }
}
class IncomingRequest {}
class IncomingResponse {}
class OutgoingResponse {}
class ResponseOutparam {
  static set(): void {}
}

export function httpInterfaces(module: string, log: ComponentLog): Record<string, object> {
  return {
    'wasi:http/types': {
      Fields,
      FutureIncomingResponse,
      FutureTrailers,
      IncomingBody,
      IncomingRequest,
      IncomingResponse,
      OutgoingBody,
      OutgoingRequest,
      OutgoingResponse,
      RequestOptions,
      ResponseOutparam,
      httpErrorCode: () => undefined,
    },
    'wasi:http/outgoing-handler': {
      handle(request: OutgoingRequest, _options: RequestOptions | undefined): never {
        const detail = request instanceof OutgoingRequest ? request.describe() : 'request';
        log('guest.denied', { module, interface: 'wasi:http/outgoing-handler', detail });
        throw wasiError({ tag: 'HTTP-request-denied' });
      },
    },
  };
}
