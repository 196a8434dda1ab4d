/**
 * A loopback HTTP server standing in for an outside webhook (Slack): it records every request and
 * answers "ok" as Slack's incoming webhooks do.
 */
import { createServer } from 'node:http';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface WebhookStub {
  url: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export function startWebhookStub(path: string): Promise<WebhookStub> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += String(chunk)));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}${path}`,
        requests,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
