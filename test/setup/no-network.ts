// Every test runs with outbound networking disabled: any attempt to open a socket throws, so a code path
// that tries to reach the network fails its test. test/no-network.test.ts proves the guard itself works.
import net from 'node:net';
import dns from 'node:dns';

const refuse = (what: string) => () => {
  throw new Error(`trailhound must not use the network (attempted ${what})`);
};

net.Socket.prototype.connect = refuse('net.Socket.connect') as never;
(net as { connect: unknown }).connect = refuse('net.connect');
(net as { createConnection: unknown }).createConnection = refuse('net.createConnection');
dns.lookup = refuse('dns.lookup') as never;
