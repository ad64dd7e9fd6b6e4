// The real programs that read shipshape's machine output in the wild, driven by the tests: Perl's
// `prove` and its TAP::Parser (TAP::Harness 3.x), `xmllint --schema` with Jenkins' junit-10.xsd, and
// Prometheus' `promtool`. A test that needs one skips, naming it, on a developer machine without it,
// and fails under CI, which installs them all.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { createProbe } from '../lib/probe.js'
import { findJunitXsd, need } from './gate.js'

const probe = createProbe({ env: process.env })

/** Jenkins' junit-10.xsd, through the gate: skipped by name without it, a failure under CI. */
export async function junitXsd(t: TestContext): Promise<string | null> {
  return (await need(t, 'junit-xsd', 'xmllint')) ? findJunitXsd() : null
}

async function withFile<T>(name: string, text: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'shipshape-consumer-'))
  try {
    const file = join(dir, name)
    await writeFile(file, text)
    return await use(file)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** prove's verdict on a TAP document: its exit code (0 when the harness passes) and what it printed. */
export function prove(tap: string): Promise<{ passed: boolean; output: string }> {
  return withFile('doctor.tap', tap, async (file) => {
    const r = await probe(['prove', '--verbose', '--exec', 'cat', file], { timeoutMs: 30_000 })
    if (r.code === null) throw new Error(`prove did not finish: ${r.stderr}`)
    return { passed: r.code === 0, output: r.stdout + r.stderr }
  })
}

export interface PerlTest {
  ok: boolean
  number: number
  description: string
  directive: string
  explanation: string
  yaml: Record<string, unknown> | null
}

// TAP::Parser itself, the reader under prove, with each test's YAMLish diagnostics as it read them.
const PERL_READER = String.raw`
use strict; use warnings; use TAP::Parser; use JSON::PP;
local $/; my $tap = <STDIN>;
my $p = TAP::Parser->new({ tap => $tap });
my @tests;
while (my $r = $p->next) {
  if ($r->is_test) { push @tests, { ok => $r->is_ok ? JSON::PP::true : JSON::PP::false, number => $r->number + 0,
    description => $r->description, directive => $r->directive, explanation => $r->explanation, yaml => undef } }
  elsif ($r->is_yaml && @tests) { $tests[-1]{yaml} = $r->data }
}
print JSON::PP->new->canonical->encode({ version => $p->version + 0, tests => \@tests, parse_errors => [$p->parse_errors],
  passed => ($p->has_problems ? JSON::PP::false : JSON::PP::true) });
`

export async function perlTapParser(tap: string): Promise<{ version: number; tests: PerlTest[]; parse_errors: string[]; passed: boolean }> {
  const r = await probe(['perl', '-e', PERL_READER], { input: tap, timeoutMs: 30_000 })
  if (!r.ok) throw new Error(`TAP::Parser died: ${r.stderr}`)
  return JSON.parse(r.stdout)
}

/** `xmllint --schema XSD --noout`: null when valid, else what xmllint said. */
export function xmllintSchema(xml: string, xsd: string): Promise<string | null> {
  return withFile('doctor.xml', xml, async (file) => {
    const r = await probe(['xmllint', '--noout', '--schema', xsd, file], { timeoutMs: 30_000 })
    return r.ok ? null : r.stderr + r.stdout
  })
}

/** `promtool check metrics` (reads stdin): null when it accepts the text, else what it said. */
export async function promtoolCheck(text: string): Promise<string | null> {
  const r = await probe(['promtool', 'check', 'metrics'], { input: text, timeoutMs: 30_000 })
  return r.ok ? null : r.stderr + r.stdout
}
