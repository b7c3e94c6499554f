// Ids as SMG's data connector makes them: a prefix, `_`, and 50 hex digits from 25 random bytes.
import { randomBytes } from 'node:crypto';

function randomHex(): string {
  return randomBytes(25).toString('hex');
}

/** `conv_<50 hex>`. */
export function newConversationId(): string {
  return `conv_${randomHex()}`;
}

const ITEM_PREFIXES: Readonly<Record<string, string>> = {
  message: 'msg',
  reasoning: 'rs',
  mcp_call: 'mcp',
  mcp_list_tools: 'mcpl',
  function_call: 'fc',
};

/** SMG's make_item_id: by item type, else the type's first three characters, else `itm`. */
export function newItemId(itemType: string): string {
  const prefix = ITEM_PREFIXES[itemType] ?? ([...itemType].slice(0, 3).join('') || 'itm');
  return `${prefix}_${randomHex()}`;
}
