// The rule languages trailhound reads, for the loader: Sigma (detect/sigma) and CloudWatch Logs filter patterns
// (detect/cloudwatch).

import { parseFilterPattern } from './cloudwatch/compile.js';
import type { Compilers } from './load.js';
import { compileSigmaDetection } from './sigma/compile.js';

export const COMPILERS: Compilers = {
  sigma: (detection, options) => compileSigmaDetection(detection, options),
  cloudwatch: (pattern) => parseFilterPattern(pattern),
};
