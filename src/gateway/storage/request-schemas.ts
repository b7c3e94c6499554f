// Request bodies and queries of the history routes, checked with zod. Rules and messages follow
// SMG's handlers where it has them (metadata ≤ 16 properties, ≤ 20 items per request, supported
// item types, `role` required on messages); a failed check answers 400 `{"error": "<message>"}`.
import { z } from 'zod';
import type { Json, Metadata } from './history-types.js';

export const MAX_METADATA_PROPERTIES = 16;
export const MAX_ITEMS_PER_REQUEST = 20;
export const MAX_LIST_LIMIT = 100;
export const DEFAULT_LIST_LIMIT = 100;

/** Item types SMG accepts on the conversation items API. */
export const SUPPORTED_ITEM_TYPES: readonly string[] = [
  'message',
  'reasoning',
  'mcp_list_tools',
  'mcp_call',
  'item_reference',
  'function_call',
  'function_call_output',
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'mcp_approval_request',
  'mcp_approval_response',
  'custom_tool_call',
  'custom_tool_call_output',
];

/** Accepted and stored, but SMG warns that they are not implemented. */
export const IMPLEMENTED_ITEM_TYPES: readonly string[] = ['message', 'reasoning', 'mcp_list_tools', 'mcp_call', 'item_reference'];

const metadata = z
  .record(z.string(), z.json(), { error: 'metadata must be an object' })
  .refine((m) => Object.keys(m).length <= MAX_METADATA_PROPERTIES, { error: `metadata cannot have more than ${MAX_METADATA_PROPERTIES} properties` });

/** An item as a client sends it (other fields are kept: non-message items are stored whole). */
export const itemInput = z
  .looseObject(
    {
      type: z.string({ error: 'item type must be a string' }).optional(),
      id: z.string({ error: 'item id must be a string' }).min(1, { error: 'item id must not be empty' }).optional(),
      role: z.string({ error: 'item role must be a string' }).optional(),
      status: z.string({ error: 'item status must be a string' }).optional(),
      content: z.json().optional(),
    },
    { error: 'each item must be an object' },
  )
  .superRefine((item, ctx) => {
    const type = item.type ?? 'message';
    if (!SUPPORTED_ITEM_TYPES.includes(type)) {
      ctx.addIssue({ code: 'custom', message: `Unsupported item type '${type}'. Supported types: ${SUPPORTED_ITEM_TYPES.join(', ')}` });
    } else if (type === 'message' && item.role === undefined) {
      ctx.addIssue({ code: 'custom', message: "Message items require 'role' field" });
    } else if (type === 'item_reference' && item.id === undefined) {
      ctx.addIssue({ code: 'custom', message: "item_reference requires 'id' field" });
    }
  });
export type ItemInput = z.infer<typeof itemInput>;

const items = z
  .array(itemInput, { error: "Missing or invalid 'items' field" })
  .max(MAX_ITEMS_PER_REQUEST, { error: `Cannot add more than ${MAX_ITEMS_PER_REQUEST} items at a time` });

const body = { error: 'request body must be a JSON object' };

export const createConversationBody = z.looseObject({ metadata: metadata.optional(), items: items.optional() }, body);
export const updateConversationBody = z.looseObject({ metadata: z.record(z.string(), z.json(), { error: 'metadata must be an object' }).optional() }, body);
export const createItemsBody = z.looseObject({ items }, body);

const wholeNumber = /^\d+$/;
export const listItemsQuery = z.object({
  limit: z
    .string()
    .regex(wholeNumber, { error: `limit must be a whole number in 1..${MAX_LIST_LIMIT}` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_LIST_LIMIT, { error: `limit must be a whole number in 1..${MAX_LIST_LIMIT}` })
    .optional(),
  order: z.enum(['asc', 'desc'], { error: 'order must be asc or desc' }).optional(),
  after: z.string().min(1, { error: 'after must not be empty' }).optional(),
});

export type ParseResult<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly message: string };

/** The first problem as one sentence (the issue's path, when it adds something). */
export function check<T>(schema: z.ZodType<T>, value: unknown): ParseResult<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const at = issue.path.filter((p) => typeof p === 'number');
  const where = at.length > 0 && issue.path[0] === 'items' ? ` (items[${String(at[0])}])` : '';
  return { ok: false, message: `${issue.message}${where}` };
}

/** SMG's update rule: metadata keys patch the current ones, a null value removes a key. */
export function patchMetadata(current: Metadata | undefined, patch: Record<string, Json> | undefined): ParseResult<Metadata | null> {
  if (patch === undefined) return { ok: true, data: current ?? null };
  const next: Metadata = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > MAX_METADATA_PROPERTIES) return { ok: false, message: `metadata cannot have more than ${MAX_METADATA_PROPERTIES} properties` };
  return { ok: true, data: Object.keys(next).length === 0 ? null : next };
}
