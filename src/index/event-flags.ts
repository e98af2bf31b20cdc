// Bits of events.flags (re-exported so that sources/ingest need not import the schema module).
export { EVENT_FLAGS } from './schema.js';
