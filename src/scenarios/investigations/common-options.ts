// The sentence every code investigation's registry description ends with: the options all of them take.

export const COMMON_OPTIONS = 'Common options: --db, --start-time/--end-time, --account, --region, --tz, --format table|json|md.';
