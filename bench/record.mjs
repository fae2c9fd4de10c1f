// Records a benchmark's report in BENCHMARKS.md, between `<!-- NAME:start -->` and
// `<!-- NAME:end -->` (the benchmarks' `--write`).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

/** Replaces the text between the markers of `name` with `report`; throws when they are missing. */
export function recordSection(name, report) {
  const text = readFileSync(FILE, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  if (!text.includes(start) || !text.includes(end)) throw new Error(`BENCHMARKS.md needs ${start} and ${end}`);
  writeFileSync(FILE, `${text.slice(0, text.indexOf(start) + start.length)}\n${report}\n${text.slice(text.indexOf(end))}`);
}
