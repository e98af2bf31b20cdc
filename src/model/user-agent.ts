// A user agent's family: the product and version that identify the client, without the per-run suffixes that make
// every call's string different (aws-cli's `command/iam.list-roles`, SDK `md/…` and `exec-env/…` parts, request
// ids). Stack counts and baselines compare families; the full strings stay in the evidence.

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg\/(\d+)/, 'Edge'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\bChrome\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[^ ]* Safari\//, 'Safari'],
];

const PLATFORMS: ReadonlyArray<[RegExp, string]> = [
  [/\bkali\b/i, 'Kali'],
  [/Windows|win32|win64/i, 'Windows'],
  [/Darwin|Mac OS X|macOS/i, 'macOS'],
  [/Android/i, 'Android'],
  [/iPhone|iPad/i, 'iOS'],
  [/Linux/i, 'Linux'],
];

function platform(ua: string): string | null {
  for (const [re, name] of PLATFORMS) if (re.test(ua)) return name;
  return null;
}

/**
 * The family of a user agent: for a browser "Chrome 121 on Windows"; for a tool or SDK its first product/version
 * token and platform ("aws-cli/2.15.17 on Linux", "Boto3/1.26.90 on Kali"); AWS's own callers ("AWS Internal",
 * "ec2.amazonaws.com") as they are. Empty stays empty.
 */
export function userAgentFamily(ua: string): string {
  const s = ua.trim();
  if (s === '') return '';
  if (/^\[?[A-Za-z0-9.-]+\.amazonaws\.com\]?$/.test(s) || s === 'AWS Internal') return s;
  if (/^Mozilla\//.test(s)) {
    const os = platform(s);
    for (const [re, name] of BROWSERS) {
      const m = re.exec(s);
      if (m) return `${name} ${m[1]}${os ? ` on ${os}` : ''}`;
    }
    return `Browser${os ? ` on ${os}` : ''}`;
  }
  const first = s.replace(/^\[/, '').split(/[\s,]+/)[0] ?? s;
  const os = platform(s.slice(first.length));
  return `${first.length > 80 ? `${first.slice(0, 80)}…` : first}${os ? ` on ${os}` : ''}`;
}
