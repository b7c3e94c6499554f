// Which requests the history API answers, and with what. Paths as SMG's router (path parameters
// percent-decoded); a known path with another method is 405. POST /v1/responses is proxied to the
// upstream (and its answer stored); every other /v1/responses* request (cancel, list, ...) is
// proxied untouched.
import * as conversations from './conversation-routes.js';
import type { HistoryStore } from './history-store.js';
import { methodNotAllowed, type LocalReply, type LocalRequest } from './local-reply.js';
import * as responses from './response-routes.js';

export type RouteHandler = (store: HistoryStore, request: LocalRequest) => Promise<LocalReply>;

export type RouteMatch = { readonly kind: 'local'; readonly handler: RouteHandler } | { readonly kind: 'create-response' } | undefined;

type Methods = Readonly<Record<string, (params: readonly string[]) => RouteHandler>>;

interface Route {
  /** Literal segments, `*` for a parameter. */
  readonly pattern: readonly string[];
  readonly methods: Methods;
}

const ROUTES: readonly Route[] = [
  { pattern: ['v1', 'conversations'], methods: { POST: () => (s, r) => conversations.createConversation(s, r) } },
  {
    pattern: ['v1', 'conversations', '*'],
    methods: {
      GET: ([id]) => (s) => conversations.getConversation(s, id!),
      POST: ([id]) => (s, r) => conversations.updateConversation(s, id!, r),
      DELETE: ([id]) => (s) => conversations.deleteConversation(s, id!),
    },
  },
  {
    pattern: ['v1', 'conversations', '*', 'items'],
    methods: {
      GET: ([id]) => (s, r) => conversations.listItems(s, id!, r),
      POST: ([id]) => (s, r) => conversations.createItems(s, id!, r),
    },
  },
  {
    pattern: ['v1', 'conversations', '*', 'items', '*'],
    methods: {
      GET: ([id, item]) => (s) => conversations.getItem(s, id!, item!),
      DELETE: ([id, item]) => (s) => conversations.deleteItem(s, id!, item!),
    },
  },
  {
    pattern: ['v1', 'responses', '*'],
    methods: {
      GET: ([id]) => (s) => responses.getResponse(s, id!),
      DELETE: ([id]) => (s) => responses.deleteResponse(s, id!),
    },
  },
  { pattern: ['v1', 'responses', '*', 'input_items'], methods: { GET: ([id]) => (s) => responses.listInputItems(s, id!) } },
];

function matchPattern(pattern: readonly string[], segments: readonly string[]): string[] | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const segment = segments[i]!;
    if (pattern[i] === '*') {
      if (segment === '') return undefined;
      try {
        params.push(decodeURIComponent(segment));
      } catch {
        return undefined;
      }
    } else if (pattern[i] !== segment) {
      return undefined;
    }
  }
  return params;
}

/** What to do with `method path` (path without query); undefined: not a history route, proxy it. */
export function matchHistoryRoute(method: string, path: string): RouteMatch {
  if (!path.startsWith('/v1/conversations') && !path.startsWith('/v1/responses')) return undefined;
  if (path === '/v1/responses') return method === 'POST' ? { kind: 'create-response' } : undefined;
  const segments = path.slice(1).split('/');
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    const make = route.methods[method];
    if (make) return { kind: 'local', handler: make(params) };
    const allow = Object.keys(route.methods).join(',');
    return { kind: 'local', handler: async () => methodNotAllowed(allow) };
  }
  return undefined;
}
