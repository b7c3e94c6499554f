// RFC 9110 §7.6.1: hop-by-hop fields are not forwarded: Connection and every field it lists,
// Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade.
import type { HeaderList } from './header-list.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export function removeHopByHop(headers: HeaderList): void {
  // Runs on every request and response: no Set or closure unless Connection lists other names.
  const listed = listedNames(headers);
  if (listed === undefined) headers.removeWhere(isHopByHop);
  else headers.removeWhere((name) => isHopByHop(name) || listed.has(name));
}

/** The names Connection lists that are not hop-by-hop anyway (`Connection: keep-alive` lists none). */
function listedNames(headers: HeaderList): Set<string> | undefined {
  let listed: Set<string> | undefined;
  for (const [name, value] of headers.pairs) {
    if (name !== 'connection') continue;
    for (const token of value.includes(',') ? value.split(',') : [value]) {
      const listedName = token.trim().toLowerCase();
      if (listedName && !isHopByHop(listedName)) (listed ??= new Set()).add(listedName);
    }
  }
  return listed;
}

function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-');
}
