// RFC 9110 §7.6.1: hop-by-hop fields are not forwarded: Connection and every field it lists,
// Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade.
import type { HeaderList } from './header-list.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export function removeHopByHop(headers: HeaderList): void {
  const listed = new Set<string>();
  for (const value of headers.getAll('connection')) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) listed.add(name);
    }
  }
  headers.removeWhere((name) => HOP_BY_HOP.has(name) || name.startsWith('proxy-') || listed.has(name));
}
