// JUnit XML for CI: one <testsuite> per run, one <testcase> per check. The de-facto schema (Jenkins, GitLab,
// GitHub's test reporters): `failure` for a failed check with the cause as `message` and cause + remedy +
// evidence lines as text; `skipped` with the reason; warnings pass (JUnit has no warning) and say so in
// `system-out` and a `warning` property. Times are seconds.

import type { CheckResult } from '../runner/check-definition.js';
import { escapeMarkup as x } from './escape-markup.js';
import { formatCause } from './format-cause.js';
import type { CheckReport } from './report-schema.js';

export function renderJunitReport(report: CheckReport): string {
  const run = report.run;
  const name = `trunkline check ${run.target.terminationDomain}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(name)}" tests="${run.counts.total}" failures="${run.counts.fail}" errors="0" skipped="${run.counts.skipped}" time="${seconds(run.durationMs)}">`,
    `  <testsuite name="${x(name)}" id="${x(run.runId)}" tests="${run.counts.total}" failures="${run.counts.fail}" errors="0" skipped="${run.counts.skipped}" time="${seconds(run.durationMs)}" timestamp="${new Date(run.startedMs).toISOString()}">`,
    '    <properties>',
    property('target', run.target.terminationDomain),
    property('transport', run.target.transport),
    property('emulator', String(run.target.isEmulator)),
    property('verdict', run.verdict),
    property('schemaVersion', String(report.schemaVersion)),
    property('trunklineVersion', report.generator.version),
    '    </properties>',
    ...run.results.flatMap(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

function testcase(result: CheckResult): string[] {
  const open = `    <testcase classname="trunkline.checks.${x(result.id)}" name="${x(`${result.id}: ${result.title}`)}" time="${seconds(result.durationMs)}">`;
  const body: string[] = [];
  if (result.status === 'fail') {
    const message = result.cause?.summary ?? result.summary;
    body.push(
      `      <failure message="${x(message)}" type="${x(result.cause?.errorCode ?? (result.cause?.hangupCode !== undefined ? `hangup-${result.cause.hangupCode}` : 'check-failed'))}">${x(detail(result))}</failure>`,
    );
  } else if (result.status === 'skipped') {
    body.push(`      <skipped message="${x(result.summary)}"/>`);
  }
  if (result.status === 'warning') {
    body.push(
      '      <properties>',
      `        <property name="warning" value="${x(result.cause?.summary ?? result.summary)}"/>`,
      '      </properties>',
    );
  }
  const out = [
    ...(result.status === 'warning' ? [`WARNING: ${result.summary}`] : [result.summary]),
    ...result.measurements.map((m) => `${m.name} = ${String(m.value)}${m.unit ? ` ${m.unit}` : ''}`),
    ...(result.status !== 'fail' ? detailLines(result) : []),
  ];
  body.push(`      <system-out>${x(out.join('\n'))}</system-out>`);
  return [open, ...body, '    </testcase>'];
}

function detail(result: CheckResult): string {
  return [result.summary, ...detailLines(result)].join('\n');
}

function detailLines(result: CheckResult): string[] {
  const lines: string[] = [];
  if (result.cause) lines.push(`Cause: ${formatCause(result.cause)}`);
  if (result.remedy) lines.push(`Remedy: ${result.remedy}`);
  lines.push(...result.evidence.lines.map((line) => `Evidence: ${line}`));
  return lines;
}

function property(name: string, value: string): string {
  return `      <property name="${x(name)}" value="${x(value)}"/>`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
