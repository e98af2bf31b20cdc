// What a trail-settings call takes out of the record: event selectors that drop management events, an UpdateTrail
// that narrows the trail. Pure over the call's requestParameters; triage's blind spots and the investigations'
// defence-evasion findings read the same words.

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** What a successful PutEventSelectors leaves out, in words; null when it still records every management event. */
export function selectorReduction(requestParameters: unknown): string | null {
  const p = (requestParameters ?? {}) as Record<string, unknown>;
  if (Array.isArray(p.eventSelectors)) {
    const sels = p.eventSelectors as Array<Record<string, unknown>>;
    if (sels.length === 0) return 'no event selectors: management events are no longer recorded';
    if (!sels.some((s) => s.includeManagementEvents !== false)) return 'includeManagementEvents is false on every selector: management events are no longer recorded';
    const rw = new Set(sels.filter((s) => s.includeManagementEvents !== false).map((s) => str(s.readWriteType) ?? 'All'));
    if (!rw.has('All') && rw.size === 1) return `readWriteType ${[...rw][0]}: only ${[...rw][0] === 'ReadOnly' ? 'read' : 'write'} management events are recorded`;
    const excluded = sels.flatMap((s) => (Array.isArray(s.excludeManagementEventSources) ? (s.excludeManagementEventSources as unknown[]).map(String) : []));
    if (excluded.length) return `management events of ${excluded.join(', ')} are excluded`;
    return null;
  }
  if (Array.isArray(p.advancedEventSelectors)) {
    const sels = p.advancedEventSelectors as Array<Record<string, unknown>>;
    const management = sels.filter((s) =>
      Array.isArray(s.fieldSelectors) &&
      (s.fieldSelectors as Array<Record<string, unknown>>).some((f) => f.field === 'eventCategory' && Array.isArray(f.equals) && (f.equals as unknown[]).includes('Management')),
    );
    if (management.length === 0) return 'no advanced selector records the Management category: management events are no longer recorded';
    return null;
  }
  return null;
}

/** What an UpdateTrail's parameters take away, in words; null when it narrows nothing. */
export function trailSettingReduction(requestParameters: unknown): string | null {
  const p = (requestParameters ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (p.isMultiRegionTrail === false) parts.push('single-region only');
  if (p.includeGlobalServiceEvents === false) parts.push('global service events (IAM, STS) left out');
  if (p.enableLogFileValidation === false) parts.push('log file validation (digests) turned off');
  return parts.length ? parts.join('; ') : null;
}
