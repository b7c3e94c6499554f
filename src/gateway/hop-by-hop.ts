// RFC 9110 §7.6.1: hop-by-hop fields are not forwarded: Connection and every field it lists,
// Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade.
import type { HeaderList } from './header-list.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export function removeHopByHop(headers: HeaderList): void {
  let listed: Set<string> | undefined;
  const list = (token: string): void => {
    const name = token.trim().toLowerCase();
    // `Connection: keep-alive` (every keep-alive response) lists a name that goes anyway.
    if (name && !isHopByHop(name)) (listed ??= new Set()).add(name);
  };
  for (const pair of headers.pairs) {
    if (pair[0] !== 'connection') continue;
    const value = pair[1];
    if (value.includes(',')) value.split(',').forEach(list);
    else list(value);
  }
  // Runs on every request and response: no Set or closure for the removal unless Connection lists
  // other names.
  const names = listed;
  if (names === undefined) headers.removeWhere(isHopByHop);
  else headers.removeWhere((name) => isHopByHop(name) || names.has(name));
}

function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-');
}
