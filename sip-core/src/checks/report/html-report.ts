// A self-contained HTML report: one file, no script, no external resource (a Content-Security-Policy of
// `default-src 'none'` says so to the browser too), readable offline and attachable to a ticket. Summary, then
// per check: cause and remedy first (what to do), measurements, evidence lines, the SIP ladder of each exchange
// (diagnostics/ladder, as text) with the raw messages folded away, and waveforms when an audio check gave any.
// Every string from a check, a peer or the user goes through `escapeMarkup`.

import { renderLadder } from '../../diagnostics/index.js';
import { exchangeLadder } from './exchange-ladder.js';
import type { CheckResult, SipExchangeEvidence } from '../runner/check-definition.js';
import { escapeMarkup as h } from './escape-markup.js';
import type { CheckReport } from './report-schema.js';
import { renderWaveformSvg } from './waveform-svg.js';

const STATUS_LABEL: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warning: 'WARN',
  skipped: 'SKIP',
};

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#111}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.status{font-weight:700;border-radius:4px;padding:1px 6px;color:#fff;display:inline-block;min-width:40px;text-align:center}
.pass{background:#15803d}.fail{background:#b91c1c}.warning{background:#b45309}.skipped{background:#6b7280}
.verdict-passed{color:#15803d}.verdict-failed{color:#b91c1c}
section.check{border:1px solid #ddd;border-radius:6px;padding:8px 16px;margin:16px 0}
.cause{background:#fef2f2;border-left:4px solid #b91c1c;padding:6px 10px}.cause.of-warning{background:#fffbeb;border-left-color:#b45309}.remedy{background:#f0fdf4;border-left:4px solid #15803d;padding:6px 10px}
pre{background:#f8f8f8;padding:8px;overflow-x:auto;font:12px/1.3 ui-monospace,monospace}
.muted{color:#555}svg.waveform{display:block;border:1px solid #eee;margin:4px 0}
`;

export function renderHtmlReport(report: CheckReport): string {
  const run = report.run;
  const target = run.target;
  const title = `Trunkline check — ${target.terminationDomain}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${h(title)}</h1>`,
    `<p id="verdict" class="verdict-${run.verdict}"><strong>${run.verdict === 'passed' ? 'Passed' : 'Failed'}</strong>: ` +
      `${run.counts.pass} passed, ${run.counts.warning} with warnings, ${run.counts.fail} failed, ${run.counts.skipped} skipped` +
      `${run.aborted ? ' (aborted)' : ''}.</p>`,
    `<p class="muted">Run ${h(run.runId)} · started ${h(new Date(run.startedMs).toISOString())} · ${(run.durationMs / 1000).toFixed(1)} s · Trunkline ${h(report.generator.version)} · report schema ${report.schemaVersion}</p>`,
    '<h2>Target</h2>',
    renderTarget(report),
    '<h2>Summary</h2>',
    '<table id="summary"><thead><tr><th>Check</th><th>Status</th><th>Result</th><th>Time</th></tr></thead><tbody>',
    ...run.results.map(
      (r) =>
        `<tr data-check="${h(r.id)}"><td><a href="#check-${h(r.id)}">${h(r.title)}</a></td><td>${badge(r.status)}</td><td>${h(r.summary)}</td><td>${(r.durationMs / 1000).toFixed(2)} s</td></tr>`,
    ),
    '</tbody></table>',
    '<h2>Checks</h2>',
    ...run.results.map(renderCheck),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderTarget(report: CheckReport): string {
  const t = report.run.target;
  const rows: Array<[string, string]> = [
    ['Termination domain', t.terminationDomain],
    ['Port / transport', `${t.port} / ${t.transport.toUpperCase()}`],
    ...(t.outboundProxy ? ([['Outbound proxy', t.outboundProxy]] as Array<[string, string]>) : []),
    ['Credentials', t.username !== undefined ? `${t.username} (password given)` : 'none (IP ACL)'],
    ...(t.callerId ? ([['Caller ID', t.callerId]] as Array<[string, string]>) : []),
    ...(t.testNumber ? ([['Test number', t.testNumber]] as Array<[string, string]>) : []),
    ...(t.region ? ([['Expected region', t.region]] as Array<[string, string]>) : []),
    ['Kind', t.isEmulator ? 'Trunkline emulator' : 'real trunk (emulator-only probes never run)'],
  ];
  return `<table id="target"><tbody>${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</tbody></table>`;
}

function renderCheck(result: CheckResult): string {
  const parts = [
    `<section class="check" id="check-${h(result.id)}" data-status="${result.status}">`,
    `<h3>${badge(result.status)} ${h(result.title)} <span class="muted">(${h(result.id)}, ${result.safety})</span></h3>`,
    `<p class="muted">${h(result.description)}</p>`,
    `<p class="summary">${h(result.summary)}</p>`,
  ];
  if (result.cause) {
    const code =
      result.cause.hangupCode !== undefined
        ? ` <strong>Hangup code ${result.cause.hangupCode}${result.cause.hangupCauseName ? ` ${h(result.cause.hangupCauseName)}` : ''}</strong>.`
        : '';
    const status = result.cause.sipStatus !== undefined ? ` SIP ${result.cause.sipStatus}.` : '';
    parts.push(
      `<p class="cause of-${result.status}"><strong>Cause:</strong> ${h(result.cause.summary)}${code}${status}</p>`,
    );
  }
  if (result.remedy) parts.push(`<p class="remedy"><strong>Remedy:</strong> ${h(result.remedy)}</p>`);
  if (result.measurements.length > 0) {
    parts.push(
      '<table class="measurements"><thead><tr><th>Measured</th><th>Value</th></tr></thead><tbody>',
      ...result.measurements.map(
        (m) => `<tr><td>${h(m.name)}</td><td>${h(String(m.value))}${m.unit ? ` ${h(m.unit)}` : ''}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }
  if (result.evidence.lines.length > 0) {
    parts.push(`<ul class="evidence">${result.evidence.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul>`);
  }
  for (const exchange of result.evidence.sip) parts.push(renderExchange(exchange));
  if (result.evidence.captureFile) {
    parts.push(`<p>Capture: <code>${h(result.evidence.captureFile)}</code></p>`);
  }
  for (const waveform of result.evidence.waveforms) {
    parts.push(
      `<figure class="waveform-slot"><figcaption>${h(waveform.label)}</figcaption>${renderWaveformSvg(waveform)}</figure>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function renderExchange(exchange: SipExchangeEvidence): string {
  if (exchange.messages.length === 0) return '';
  const ladder = renderLadder(exchangeLadder(exchange), {
    width: 100,
  });
  return [
    `<h4>${h(exchange.label)}</h4>`,
    `<pre class="ladder">${h(ladder)}</pre>`,
    `<details><summary>${exchange.messages.length} SIP messages</summary>`,
    ...exchange.messages.map((m) => `<pre class="sip">${h(m.text)}</pre>`),
    '</details>',
  ].join('\n');
}

function badge(status: CheckResult['status']): string {
  return `<span class="status ${status}">${STATUS_LABEL[status]}</span>`;
}
