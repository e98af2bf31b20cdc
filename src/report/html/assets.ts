// The report's only stylesheet and script, inlined, and the Content-Security-Policy that admits exactly these two
// blocks by their SHA-256 hashes: nothing else can run or style the page, and nothing can be fetched (default-src
// 'none'; images only as data: URLs). Event details use content-visibility:auto, so thousands of cited events
// are laid out only when scrolled to (a 5,000-event page opens several times faster). The script is an enhancement: the page is complete without it (JavaScript off,
// printing). It adds the filter box and sort buttons to the findings table, opens the detail a link points at, and
// expands every detail for printing. It never calls eval, never reads the network and never builds markup from text
// (textContent only).

import { createHash } from 'node:crypto';

export const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--accent:#0969da;--bar:#8c959f;--flag:#cf222e}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);margin:0 auto;padding:16px 24px 48px;max-width:1280px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:32px 0 8px;padding-top:8px;border-top:2px solid var(--line)}h3{font-size:15px;margin:20px 0 6px}
a{color:var(--accent)}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{overflow-wrap:anywhere}pre{background:var(--soft);border:1px solid var(--line);padding:8px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}
.meta,.note,.more,.none{color:var(--muted)}.note{margin:4px 0 8px}
nav.toc ol{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:8px 0;list-style:none}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--soft);font-weight:600}
table.findings td:nth-child(2){min-width:16em}table.findings td:nth-child(3){min-width:6.5em}table.findings td:nth-child(4){min-width:7.5em}table.findings td:nth-child(5){min-width:10em}table.findings td:nth-child(6){min-width:10em}table.findings td:nth-child(7){min-width:7em}table.findings td:nth-child(9){min-width:9em}
table.blind-spots td:nth-child(2){min-width:8em}table.blind-spots td:nth-child(3){min-width:8.5em}table.blind-spots td:nth-child(4){min-width:6em}table.blind-spots td:nth-child(5){min-width:10em}table.blind-spots td:nth-child(7){min-width:8em}td.num,th.num{text-align:right;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;font-weight:600;color:#fff;background:#57606a;white-space:nowrap}
.badge.level-critical{background:#82071e}.badge.level-high{background:#cf222e}.badge.level-medium{background:#bc4c00}.badge.level-low{background:#9a6700}.badge.level-informational{background:#57606a}
.badge.sev-high{background:#cf222e}.badge.sev-medium{background:#bc4c00}.badge.sev-info{background:#57606a}
.badge.new{background:#8250df}.badge.ran{background:#1a7f37}.badge.skipped{background:#57606a}.badge.failed{background:#cf222e}
.badge.reverted{background:#1a7f37}.badge.partly-reverted{background:#9a6700}.badge.not-reverted{background:#cf222e}.badge.not-applicable{background:#8c959f}
.badge.succeeded{background:#cf222e}.badge.mixed{background:#bc4c00}.badge.outcome-failed{background:#57606a}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.counts span{border:1px solid var(--line);border-radius:6px;padding:4px 10px}
.integrity{font-weight:600}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0;padding:8px;background:var(--soft);border:1px solid var(--line)}
.filters input{min-width:18em}
button.sort{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
button.sort::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending] button.sort::after{content:" \\2191"}th[aria-sort=descending] button.sort::after{content:" \\2193"}
tr:target,article:target{outline:2px solid var(--accent);background:#ddf4ff}
.event{content-visibility:auto;contain-intrinsic-size:auto 560px}
.actor,.event{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:10px 0}
.actor h3,.event h3{margin:0 0 4px}
pre.facts{background:none;border:0;padding:0;margin:4px 0}
svg{max-width:100%;height:auto;display:block}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
svg .axis{stroke:var(--line)}svg .bar{fill:var(--bar)}svg .flag{fill:var(--flag)}
svg .mark{stroke-width:1;stroke-dasharray:3 2}
svg .level-critical{fill:#82071e;stroke:#82071e}svg .level-high{fill:#cf222e;stroke:#cf222e}svg .level-medium{fill:#bc4c00;stroke:#bc4c00}svg .level-low{fill:#9a6700;stroke:#9a6700}svg .level-informational{fill:#57606a;stroke:#57606a}
svg .heat-1{fill:#dafbe1}svg .heat-2{fill:#aceebb}svg .heat-3{fill:#6fdd8b}svg .heat-4{fill:#2da44e}svg .heat-5{fill:#116329}
svg .gap{fill:url(#gap-hatch);stroke:#cf222e;stroke-width:.5}svg .hatch-line{stroke:#cf222e;stroke-width:1.2}
svg.barline{width:160px;height:10px}svg.barline rect{fill:var(--bar)}svg.barline rect.err{fill:var(--flag)}
.legend{display:flex;flex-wrap:wrap;gap:12px;align-items:center;color:var(--muted);font-size:12px}
.legend svg{display:inline-block;width:14px;height:14px;vertical-align:middle}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.omitted{color:var(--muted);text-decoration:line-through dotted}
@media print{
  body{max-width:none;padding:0;font-size:11px}
  .filters,button.sort::after{display:none}
  nav.toc{display:none}
  a{color:inherit;text-decoration:none}
  h2,h3{break-after:avoid}tr,.actor,svg,dl.facts,pre.facts{break-inside:avoid}thead{display:table-header-group}
  .event{break-inside:auto;border:0;border-top:1px solid #999;border-radius:0;padding:4px 0;margin:6px 0}
  code,pre{font-size:9px;line-height:1.3}pre{padding:4px}
  .event{content-visibility:visible}
  details::details-content{content-visibility:visible;display:block}
  details>summary{list-style:none}
  pre{white-space:pre-wrap;max-height:none;overflow:visible}
  .badge{border:1px solid #000;print-color-adjust:exact;-webkit-print-color-adjust:exact}
  svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
`;

export const SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  doc.documentElement.classList.add('js');
  var table = doc.getElementById('findings-table');
  var clearFilters = function () {};
  if (table && table.tBodies.length > 0 && table.tHead) enhance(table);

  function enhance(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var box = doc.createElement('div');
    box.className = 'filters';
    var textLabel = doc.createElement('label');
    textLabel.textContent = 'Filter ';
    var input = doc.createElement('input');
    input.type = 'search';
    input.id = 'finding-filter';
    input.placeholder = 'text in any column';
    textLabel.appendChild(input);
    var levelLabel = doc.createElement('label');
    levelLabel.textContent = 'Level ';
    var select = doc.createElement('select');
    select.id = 'finding-level';
    var levels = ['', 'critical', 'high', 'medium', 'low', 'informational'];
    levels.forEach(function (level) {
      if (level && !rows.some(function (r) { return r.getAttribute('data-level') === level; })) return;
      var option = doc.createElement('option');
      option.value = level;
      option.textContent = level || 'all levels';
      select.appendChild(option);
    });
    levelLabel.appendChild(select);
    var shown = doc.createElement('span');
    shown.className = 'filter-count';
    shown.setAttribute('aria-live', 'polite');
    box.appendChild(textLabel);
    box.appendChild(levelLabel);
    box.appendChild(shown);
    table.parentNode.insertBefore(box, table);

    function apply() {
      var q = input.value.trim().toLowerCase();
      var level = select.value;
      var n = 0;
      rows.forEach(function (r) {
        var ok = (!level || r.getAttribute('data-level') === level) && (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
        r.hidden = !ok;
        if (ok) n++;
      });
      shown.textContent = n + ' of ' + rows.length + ' findings shown';
    }
    clearFilters = function () {
      input.value = '';
      select.value = '';
      apply();
    };
    input.addEventListener('input', apply);
    select.addEventListener('change', apply);
    apply();

    function key(row, i) {
      var cell = row.cells[i];
      var k = cell.getAttribute('data-sort');
      return k !== null ? k : cell.textContent.trim().toLowerCase();
    }
    function sortBy(i, th) {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      var numeric = th.getAttribute('data-type') === 'number';
      var sign = dir === 'ascending' ? 1 : -1;
      var order = rows.slice().sort(function (a, b) {
        var x = key(a, i);
        var y = key(b, i);
        if (numeric) {
          var nx = x === '' ? -Infinity : Number(x);
          var ny = y === '' ? -Infinity : Number(y);
          return nx === ny ? 0 : nx < ny ? -sign : sign;
        }
        return x === y ? 0 : x < y ? -sign : sign;
      });
      order.forEach(function (r) { body.appendChild(r); });
    }
    heads.forEach(function (th, i) {
      if (th.hasAttribute('data-nosort')) return;
      var button = doc.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = th.textContent;
      button.title = 'Sort by ' + th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () { sortBy(i, th); });
    });
  }

  function openTarget() {
    var id = location.hash.slice(1);
    if (!id) return;
    var el = doc.getElementById(id);
    if (!el) return;
    if (el.hidden) clearFilters();
    Array.prototype.forEach.call(el.querySelectorAll('details'), function (d) { d.open = true; });
    var parent = el.closest('details');
    if (parent) parent.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(doc.querySelectorAll('details:not([open])'), function (d) {
      d.setAttribute('data-print-opened', '');
      d.open = true;
    });
  });
  window.addEventListener('afterprint', function () {
    Array.prototype.forEach.call(doc.querySelectorAll('details[data-print-opened]'), function (d) {
      d.removeAttribute('data-print-opened');
      d.open = false;
    });
  });
})();
`;

/** The CSP source for an inline block: `'sha256-<base64>'` of its exact text. */
export function cspHash(block: string): string {
  return `'sha256-${createHash('sha256').update(block, 'utf8').digest('base64')}'`;
}

/** The policy for a page whose only inline blocks are `style` and `script`. */
export function contentSecurityPolicy(style: string, script: string): string {
  return `default-src 'none'; style-src ${cspHash(style)}; script-src ${cspHash(script)}; img-src data:; base-uri 'none'; form-action 'none'`;
}
