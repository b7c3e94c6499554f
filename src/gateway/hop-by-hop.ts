// RFC 9110 §7.6.1: hop-by-hop fields are not forwarded: Connection and every field it lists,
// Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade.
import type { HeaderList } from './header-list.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export function removeHopByHop(headers: HeaderList): void {
  let listed: Set<string> | undefined;
  for (const [name, value] of headers.pairs) {
    if (name !== 'connection') continue;
    for (const token of value.split(',')) {
      const listedName = token.trim().toLowerCase();
      if (listedName) (listed ??= new Set()).add(listedName);
    }
  }
  // Runs on every request and response: one pass, and no closure unless Connection lists names.
  if (listed === undefined) headers.removeWhere(isHopByHop);
  else headers.removeWhere((name) => isHopByHop(name) || listed.has(name));
}

function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-');
}
