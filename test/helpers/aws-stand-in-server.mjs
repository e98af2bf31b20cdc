// The LookupEvents stand-in's server (see aws-stand-in.ts): node aws-stand-in-server.mjs <events.json> <requests.ndjson>
// Binds 127.0.0.1 on a random port, prints "listening http://127.0.0.1:PORT", logs each request as one JSON line,
// and exits on SIGTERM or when its stdin closes (the test process that started it has gone).
import fs from 'node:fs';
import http from 'node:http';

const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';
const [eventsFile, logFile] = process.argv.slice(2);
const events = JSON.parse(fs.readFileSync(eventsFile, 'utf8'));

function matches(e, body) {
  for (const a of body.LookupAttributes ?? []) {
    const v = a.AttributeValue;
    const ok =
      a.AttributeKey === 'ResourceType'
        ? (e.Resources ?? []).some((r) => r.ResourceType === v)
        : a.AttributeKey === 'ResourceName'
          ? (e.Resources ?? []).some((r) => r.ResourceName === v)
          : e[a.AttributeKey] === v;
    if (!ok) return false;
  }
  const t = Date.parse(e.EventTime) / 1000;
  if (typeof body.StartTime === 'number' && t < body.StartTime) return false;
  if (typeof body.EndTime === 'number' && t > body.EndTime) return false;
  return true;
}

let n = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const target = req.headers['x-amz-target'];
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      /* an empty body: answered below */
    }
    fs.appendFileSync(logFile, `${JSON.stringify({ method: req.method, target, body })}\n`);
    const reply = (status, doc) => {
      const text = JSON.stringify(doc);
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': `req-${++n}` });
      res.end(text);
    };
    if (req.method !== 'POST' || target !== TARGET) {
      reply(400, { __type: 'UnknownOperationException', message: `unexpected ${req.method} ${target}` });
      return;
    }
    const size = typeof body.MaxResults === 'number' ? body.MaxResults : 50;
    const offset = typeof body.NextToken === 'string' ? Number(body.NextToken) : 0;
    const all = events.filter((e) => matches(e, body));
    // EventTime travels as epoch seconds in the JSON 1.1 protocol.
    const page = all.slice(offset, offset + size).map((e) => ({ ...e, EventTime: Date.parse(e.EventTime) / 1000 }));
    const doc = { Events: page };
    if (offset + size < all.length) doc.NextToken = String(offset + size);
    reply(200, doc);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`));
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
