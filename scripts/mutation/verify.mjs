// Checks the verdicts of the mutation runner (scripts/mutation/runner.mjs) without it: plants mutants of the last
// report (reports/mutation/mutation.json) in the real source, one at a time, and runs their test files the way
// `npm test` does (node --test, a process per file). A killed mutant must fail the file of the test that killed it; a
// survivor must pass every file that reaches it. The source is restored after each mutant, and on Ctrl-C.
//   node scripts/mutation/verify.mjs [how many of each, default 10] [--seed N]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const REPORT = 'reports/mutation/mutation.json';
const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
let seed = seedAt < 0 ? 1 : Number(args[seedAt + 1]) || 1;
// how many of each: the number that is not the seed
const each = Number(args.find((a, i) => /^\d+$/.test(a) && (seedAt < 0 || i !== seedAt + 1)) ?? 10);
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const mutants = Object.entries(report.files).flatMap(([file, { mutants }]) => mutants.map((m) => ({ file, ...m })));
/** The report names tests by number; testFiles gives each its file. */
const testFile = new Map(Object.entries(report.testFiles ?? {}).flatMap(([file, { tests }]) => tests.map((test) => [test.id, file])));
const fileOf = (testId) => testFile.get(testId) ?? testId.split(' › ')[0];

function sample(status) {
  const pool = mutants.filter((m) => m.status === status);
  const chosen = [];
  while (chosen.length < Math.min(each, pool.length)) {
    const m = pool[Math.floor(random() * pool.length)];
    if (!chosen.includes(m)) chosen.push(m);
  }
  return chosen;
}

/** The source with one mutant in place (the report's lines and columns count from 1). */
function plant(source, { location: { start, end }, replacement }) {
  const lines = source.split('\n');
  const offset = ({ line, column }) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return source.slice(0, offset(start)) + replacement + source.slice(offset(end));
}

let original;
let planted;
const restore = () => {
  if (planted) writeFileSync(planted, original);
  planted = undefined;
};
process.on('SIGINT', () => {
  restore();
  process.exit(130);
});

let disagreements = 0;
for (const m of [...sample('Killed'), ...sample('Survived')]) {
  const files = m.status === 'Killed' ? [fileOf(m.killedBy[0])] : [...new Set((m.coveredBy ?? []).map(fileOf))];
  original = readFileSync(m.file, 'utf8');
  planted = m.file;
  writeFileSync(m.file, plant(original, m));
  let passed;
  try {
    passed = spawnSync('node', ['--import', 'tsx', '--test', '--test-reporter=dot', ...files], { encoding: 'utf8' }).status === 0;
  } finally {
    restore();
  }
  const agrees = m.status === 'Killed' ? !passed : passed;
  if (!agrees) disagreements += 1;
  const where = `${m.file}:${m.location.start.line}:${m.location.start.column}`;
  console.log(
    `${agrees ? 'agrees  ' : 'DISAGREES'} ${m.status.padEnd(8)} ${where} ${m.mutatorName} → ${JSON.stringify(m.replacement).slice(0, 50)}  (${files.length} file${files.length === 1 ? '' : 's'})`,
  );
}
console.log(`${disagreements} disagreement(s)`);
process.exit(disagreements ? 1 : 0);
