import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for tests: POST /v1/chat/completions answered by a script,
 * either as one JSON completion or as server-sent events (`data: {...}` … `data: [DONE]`).
 */

export interface RecordedRequest {
  body: {
    model: string;
    messages: { role: string; content: string }[];
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    response_format?: { type: string };
    max_tokens?: number;
  };
  headers: IncomingHttpHeaders;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type Reply =
  | { kind: 'json'; content: string; usage?: Usage }
  | { kind: 'stream'; deltas: string[]; usage?: Usage; gapMs?: number; hangAfter?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'hang' };

export interface FakeLlm {
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-test',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'test-model',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

async function writeStream(res: ServerResponse, reply: Extract<Reply, { kind: 'stream' }>, closed: () => boolean) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  send(chunk({ role: 'assistant', content: '' }));
  for (let i = 0; i < reply.deltas.length; i++) {
    if (reply.hangAfter !== undefined && i >= reply.hangAfter) return; // keeps the response open, never finishing
    if (closed()) return;
    send(chunk({ content: reply.deltas[i] }));
    if (reply.gapMs) await new Promise((r) => setTimeout(r, reply.gapMs));
  }
  send(chunk({}, 'stop'));
  if (reply.usage) send({ ...chunk({}), choices: [], usage: { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens } });
  send('[DONE]');
  res.end();
}

/** Starts the server on port 0; `script` answers the n-th request (0-based). */
export async function startFakeLlm(script: (request: RecordedRequest, n: number) => Reply): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  let stopping = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const request: RecordedRequest = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers };
      requests.push(request);
      const reply = script(request, requests.length - 1);
      if (reply.kind === 'hang') return;
      if (reply.kind === 'status') {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body ?? { error: { message: `status ${reply.status}`, type: 'test' } }));
        return;
      }
      if (reply.kind === 'json') {
        const usage = reply.usage && { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens };
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'chatcmpl-test',
            object: 'chat.completion',
            created: 1,
            model: request.body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' }],
            ...(usage ? { usage } : {}),
          }),
        );
        return;
      }
      void writeStream(res, reply, () => stopping);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
