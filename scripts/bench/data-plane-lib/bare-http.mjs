// The baseline: a bare node:http server that reads the request body and answers a fixed JSON
// body of the same size class as a boolean evaluation. Prints `{"port":N}` once listening.
import { createServer } from 'node:http';

const body = JSON.stringify({
  enabled: true,
  reason: 'DEFAULT_EVALUATION_REASON',
  requestId: '00000000-0000-4000-8000-000000000000',
  requestDurationMillis: 0.01,
  timestamp: '2026-01-01T00:00:00.000Z',
  flagKey: 'kill-switch',
  segmentKeys: [],
});
const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`),
);
process.on('SIGTERM', () => process.exit(0));
