// Which requests the history API answers (SMG's route list), which it leaves to the proxy, and 405s.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchHistoryRoute } from '../../../../src/gateway/storage/history-routes.js';
import { MemoryHistoryStore } from '../../../../src/gateway/storage/memory-history-store.js';
import { HeaderList } from '../../../../src/gateway/header-list.js';

const request = { method: 'GET', path: '', query: '', headers: new HeaderList(), body: Buffer.alloc(0) };

describe('matchHistoryRoute', () => {
  it('answers the conversation and stored-response routes locally', () => {
    const local: Array<[string, string]> = [
      ['POST', '/v1/conversations'],
      ['GET', '/v1/conversations/conv_1'],
      ['POST', '/v1/conversations/conv_1'],
      ['DELETE', '/v1/conversations/conv_1'],
      ['GET', '/v1/conversations/conv_1/items'],
      ['POST', '/v1/conversations/conv_1/items'],
      ['GET', '/v1/conversations/conv_1/items/msg_1'],
      ['DELETE', '/v1/conversations/conv_1/items/msg_1'],
      ['GET', '/v1/responses/resp_1'],
      ['DELETE', '/v1/responses/resp_1'],
      ['GET', '/v1/responses/resp_1/input_items'],
    ];
    for (const [method, path] of local) assert.equal(matchHistoryRoute(method, path)?.kind, 'local', `${method} ${path}`);
  });

  it('POST /v1/responses is proxied and stored; everything else is left to the proxy', () => {
    assert.deepEqual(matchHistoryRoute('POST', '/v1/responses'), { kind: 'create-response' });
    for (const [method, path] of [
      ['GET', '/v1/responses'],
      ['POST', '/v1/responses/resp_1/cancel'],
      ['POST', '/v1/chat/completions'],
      ['GET', '/v1/conversations/'],
      ['GET', '/v1/conversations//items'],
      ['GET', '/v1/conversationsx'],
      ['GET', '/v1/conversations/a/b/c/d/e'],
    ]) {
      assert.equal(matchHistoryRoute(method!, path!), undefined, `${method} ${path}`);
    }
  });

  it('another method on a known path is 405 with Allow', async () => {
    const store = new MemoryHistoryStore();
    for (const [method, path, allow] of [
      ['GET', '/v1/conversations', 'POST'],
      ['PUT', '/v1/conversations/c', 'GET,POST,DELETE'],
      ['DELETE', '/v1/conversations/c/items', 'GET,POST'],
      ['POST', '/v1/conversations/c/items/i', 'GET,DELETE'],
      ['POST', '/v1/responses/r', 'GET,DELETE'],
      ['DELETE', '/v1/responses/r/input_items', 'GET'],
    ]) {
      const match = matchHistoryRoute(method!, path!);
      assert.equal(match?.kind, 'local');
      const reply = await (match as { handler: (s: unknown, r: unknown) => Promise<{ status: number; headers: string[][] }> }).handler(store, request);
      assert.equal(reply.status, 405);
      assert.deepEqual(reply.headers, [['allow', allow]]);
    }
  });

  it('percent-decodes path parameters; a malformed escape is not a history route', async () => {
    const store = new MemoryHistoryStore();
    await store.createConversation({ id: 'conv a' });
    const match = matchHistoryRoute('GET', '/v1/conversations/conv%20a');
    const reply = await (match as { handler: (s: unknown, r: unknown) => Promise<{ status: number; body: Buffer }> }).handler(store, request);
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.body.toString()).id, 'conv a');
    assert.equal(matchHistoryRoute('GET', '/v1/conversations/%zz'), undefined);
  });
});
