import express from 'express';

/** The baseline: an express app that parses the same JSON and answers 202, nothing else. */
const app = express();
app.disable('x-powered-by');
app.post('/webhooks/servicenow', express.json({ limit: '1mb' }), (req, res) => {
  res.status(202).json({ accepted: true, id: String((req.body as { sys_id?: string } | undefined)?.sys_id ?? '') });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
