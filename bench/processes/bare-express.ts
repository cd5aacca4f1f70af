// B2's ceiling: a bare Express 5 server that reads the SOAP body and answers one fixed SOAP reply. Whatever
// this machine can push through Express and HTTP is the most the gateway could ever reach.
import express from 'express';

const port = Number(process.env.BENCH_PORT);
const reply = process.env.BENCH_REPLY ?? '';
const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
// Reading the body (as the gateway must) keeps the comparison honest: only parsing, mapping and journal differ.
app.post('/soap/acme-pos', express.text({ type: '*/*', limit: '1mb' }), (_req, res) => {
  res.type('text/xml; charset=utf-8').send(reply);
});
const server = app.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
