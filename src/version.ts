// The tool version, recorded in every ingest run.
export const VERSION = '0.1.0';
