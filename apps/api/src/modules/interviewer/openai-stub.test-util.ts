import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stub answers: as a model would, with HTTP 500, or never (until the client gives up). */
export type StubMode = 'ok' | 'fail' | 'hang';

export interface StubRequest {
  authorization: string | undefined;
  body: { model: string; stream?: boolean; messages: Array<{ role: string; content: string }>; response_format?: unknown };
}

export const STUB_USAGE = { prompt_tokens: 321, completion_tokens: 23 };

/**
 * A local OpenAI-compatible chat completions endpoint (`POST /v1/chat/completions`) for the tests:
 * streamed replies (server-sent events, usage in the last chunk) for the interviewer's next move, JSON
 * verdicts for the judge (one `met` per `target:` line of the prompt), and the modes above.
 */
export class OpenAiStub {
  mode: StubMode = 'ok';
  readonly requests: StubRequest[] = [];
  private asked = 0;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<OpenAiStub> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stub = new OpenAiStub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void stub.handle(req, res));
    return stub;
  }

  /** The question the stub writes n-th (1-based). */
  static question(n: number): string {
    return `Stub question ${n}: your invoice total is a float, so how do sums over a year stay exact to the cent?`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(raw) as StubRequest['body'];
    this.requests.push({ authorization: req.headers.authorization, body });
    if (this.mode === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'stub failure', type: 'server_error' } }));
      return;
    }
    if (this.mode === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (body.stream) {
      const text = OpenAiStub.question(++this.asked);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, extra: object = {}) =>
        res.write(`data: ${JSON.stringify({ id: 'stub', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`);
      chunk({ role: 'assistant', content: '' });
      for (const piece of text.match(/.{1,24}/g) ?? []) chunk({ content: piece });
      res.write(`data: ${JSON.stringify({ id: 'stub', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage: { ...STUB_USAGE, total_tokens: STUB_USAGE.prompt_tokens + STUB_USAGE.completion_tokens } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    const prompt = body.messages.map((m) => m.content).join('\n');
    const targets = [...prompt.matchAll(/target: (\S+)/g)].map((m) => m[1]);
    const content = JSON.stringify({ verdicts: targets.map((target) => ({ target, verdict: 'met', rationale: `Stub judge: ${target} names integer minor units and a currency.` })) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'stub',
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { ...STUB_USAGE, total_tokens: STUB_USAGE.prompt_tokens + STUB_USAGE.completion_tokens },
      }),
    );
  }
}
