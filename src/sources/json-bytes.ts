// The bytes of JSON syntax, for the scanners that read JSON a byte at a time (json-scanner.ts, record-splitter.ts).

export const QUOTE = 0x22;
export const BS = 0x5c;
export const LB = 0x7b;
export const RB = 0x7d;
export const LS = 0x5b;
export const RS = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const NL = 0x0a;
