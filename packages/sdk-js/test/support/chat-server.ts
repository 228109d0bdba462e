/**
 * A local HTTP server speaking the OpenAI chat-completions wire format (JSON and server-sent events),
 * for the `openai` wrapper tests: no network. The last user message picks the answer:
 * "use a tool" → a tool call, "fail" → a 400 error, anything else → "Hello there!".
 */
import { createServer, type Server } from 'node:http';

export interface ChatServer {
  url: string;
  requests: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const model = 'gpt-4o-mini-2024-07-18';
const usage = { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 0 } };
const toolCall = { id: 'call_abc123', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"NW-50977"}' } };

function completion(id: string, wantsTool: boolean): Record<string, unknown> {
  const message = wantsTool
    ? { role: 'assistant', content: null, refusal: null, tool_calls: [toolCall] }
    : { role: 'assistant', content: 'Hello there!', refusal: null, annotations: [] };
  return {
    id, object: 'chat.completion', created: 1_749_718_443, model, system_fingerprint: 'fp_test',
    choices: [{ index: 0, message, logprobs: null, finish_reason: wantsTool ? 'tool_calls' : 'stop' }], usage,
  };
}

function chunks(id: string, wantsTool: boolean, includeUsage: boolean): Array<Record<string, unknown>> {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id, object: 'chat.completion.chunk', created: 1_749_718_443, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const deltas = wantsTool
    ? [
        chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: 'lookup_order', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"order_id":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"NW-50977"}' } }] }),
        chunk({}, 'tool_calls'),
      ]
    : [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hello' }), chunk({ content: ' there' }), chunk({ content: '!' }), chunk({}, 'stop')];
  return includeUsage ? [...deltas, { id, object: 'chat.completion.chunk', created: 1_749_718_443, model, choices: [], usage }] : deltas;
}

export async function startChatServer(): Promise<ChatServer> {
  const requests: Array<Record<string, unknown>> = [];
  let n = 0;
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (c: Buffer) => (raw += c.toString()));
    request.on('end', () => {
      const body = JSON.parse(raw) as { messages: Array<{ role: string; content: unknown }>; stream?: boolean; stream_options?: { include_usage?: boolean } };
      requests.push(body);
      const last = String(body.messages.findLast((m) => m.role === 'user')?.content ?? '');
      const id = `chatcmpl-test${++n}`;
      if (last.includes('fail')) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'Invalid value for temperature', type: 'invalid_request_error', param: 'temperature', code: null } }));
        return;
      }
      const wantsTool = last.includes('use a tool');
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${n}` });
        response.end(JSON.stringify(completion(id, wantsTool)));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${n}` });
      for (const c of chunks(id, wantsTool, body.stream_options?.include_usage === true)) response.write(`data: ${JSON.stringify(c)}\n\n`);
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
