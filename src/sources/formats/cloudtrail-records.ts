// CloudTrail's own file shape, {"Records":[event, …]}: the log files of a trail bucket (CloudTrail/ and
// CloudTrail-Insight/ folders) and the console's JSON download. The key is matched case-insensitively; the
// elements are streamed one by one.

import type { JsonFormat } from './format.js';
import { eventElement } from './event-shape.js';

export const cloudTrailRecords: JsonFormat = {
  name: 'cloudtrail-records',
  syntax: 'json',
  family: 'records',
  kind: ({ hint }) => (hint === 'CloudTrail-Insight' ? 'cloudtrail-insight' : hint === 'CloudTrail' ? 'cloudtrail-log' : 'records-json'),
  container: (key) => key.toLowerCase() === 'records',
  containerEntry: eventElement,
};
