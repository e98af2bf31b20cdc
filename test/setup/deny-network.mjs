// Preloaded into CLI child processes by test/no-network.test.ts (node --import): any attempt to open a
// socket, resolve a name or fetch is recorded in $TRAILHOUND_NET_LOG and refused.
import fs from 'node:fs';
import net from 'node:net';
import dns from 'node:dns';
import dgram from 'node:dgram';

const log = process.env.TRAILHOUND_NET_LOG;
const refuse = (what) =>
  function refused() {
    if (log) fs.appendFileSync(log, `${what}\n`);
    throw new Error(`network access refused (${what})`);
  };
net.Socket.prototype.connect = refuse('net.Socket.connect');
net.connect = refuse('net.connect');
net.createConnection = refuse('net.createConnection');
dns.lookup = refuse('dns.lookup');
dns.resolve = refuse('dns.resolve');
dgram.createSocket = refuse('dgram.createSocket');
globalThis.fetch = refuse('fetch');
