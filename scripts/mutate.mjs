// `npm run mutate`: Stryker over src/server and src/lib (stryker.config.mjs), then the score per folder.
//   npm run mutate                 incremental: only mutants whose code or tests changed since the last run are tested
//   npm run mutate -- --force      every mutant again
//   npm run mutate -- --mutate 'src/lib/**/*.ts'   one folder only
//   node scripts/mutate.mjs --report   the table from the last report only
// It writes reports/mutation/mutation.json (Stryker's JSON report, not committed), the score table into README.md
// (between the mutation markers) and the equivalent mutants, with the reason given in the source, into
// stryker.equivalent.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { EQUIVALENT } from '../stryker.config.mjs';

const REPORT = 'reports/mutation/mutation.json';
const START = '<!-- mutation:start (written by `npm run mutate`) -->';
const END = '<!-- mutation:end -->';
const FOLDERS = ['src/server', 'src/server/routes', 'src/lib', 'src/controllers'];
const LOG = 'reports/mutation/stryker.log';
/** Reasons of mutants ignored by a rule of the configuration rather than one by one in the source. */
const RULES = [/^A log line/, /^Static mutant/];

if (!process.argv.includes('--report')) {
  // Stryker's output goes to the terminal and to the log, whose last lines say how long the run took
  const run = spawn('npx', ['stryker', 'run', ...process.argv.slice(2)], {
    stdio: ['inherit', 'pipe', 'inherit'],
    env: { ...process.env, MUTATION_RUN: '1' },
  });
  let log = '';
  run.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    log += chunk;
  });
  const code = await new Promise((resolve) => run.on('close', resolve));
  mkdirSync('reports/mutation', { recursive: true });
  writeFileSync(LOG, log);
  if (code !== 0) process.exit(code ?? 1);
}

const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const entries = Object.entries(report.files).flatMap(([file, { mutants }]) => mutants.map((m) => ({ file, ...m })));

// survivors judged equivalent (stryker.config.mjs EQUIVALENT), matched by place, mutator and replacement
const isUndetected = (m) => m.status === 'Survived' || m.status === 'NoCoverage';
const listed = (m) =>
  EQUIVALENT.find((e) => e.at === `${m.file}:${m.location.start.line}` && e.mutator === m.mutatorName && e.replacement === (m.replacement ?? ''));
const stale = EQUIVALENT.filter((e) => !entries.some((m) => isUndetected(m) && listed(m) === e));

/** Stryker's mutation score: detected (killed or timed out) over every valid mutant that could have been detected. */
function tally(mutants) {
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const undetected = count('Survived', 'NoCoverage');
  return {
    mutants: mutants.length,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    equivalent: mutants.filter((m) => isUndetected(m) && listed(m)).length,
    ignored: count('Ignored'),
    invalid: count('CompileError', 'RuntimeError'),
    score: detected + undetected ? (100 * detected) / (detected + undetected) : 100,
  };
}

// a run narrowed with --mutate reports only the folders it mutated
const rows = FOLDERS.map((folder) => [folder, tally(entries.filter((m) => m.file.startsWith(`${folder}/`)))]).filter(([, t]) => t.mutants > 0);
const table = [
  '| folder | mutants | killed | timed out | survived | no coverage | of these, equivalent | ignored | not valid TypeScript | score |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ([folder, t]) =>
      `| \`${folder}/\`${folder === 'src/server' ? ' (with routes)' : ''} | ${t.mutants} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${t.equivalent} | ${t.ignored} | ${t.invalid} | ${t.score.toFixed(1)} % |`,
  ),
].join('\n');
console.log(`\n${table}\n`);

const survivors = entries.filter(isUndetected);
for (const m of survivors)
  console.log(
    `${m.status.padEnd(10)} ${m.file}:${m.location.start.line} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}${listed(m) ? ' (equivalent)' : ''}`,
  );
for (const e of stale) console.log(`Stale: EQUIVALENT names ${e.at} ${e.mutator} ${JSON.stringify(e.replacement)}, which is not a survivor of this run`);

// ignored mutants: the equivalent ones, disabled in the source with their reason, one by one; those ignored by a
// rule of the configuration (log lines, code that runs once at start-up) counted by rule
const ignored = entries.filter((m) => m.status === 'Ignored');
const byRule = new Map();
for (const m of ignored.filter((m) => RULES.some((rule) => rule.test(m.statusReason ?? '')))) byRule.set(m.statusReason, (byRule.get(m.statusReason) ?? 0) + 1);
const equivalent = ignored
  .filter((m) => !RULES.some((rule) => rule.test(m.statusReason ?? '')))
  .map(
    (m) =>
      `- \`${m.file}:${m.location.start.line}\` ${m.mutatorName} → \`${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}\`: ${m.statusReason ?? ''}`,
  );
writeFileSync(
  'stryker.equivalent.md',
  [
    '# Ignored mutants',
    '',
    'Written by `npm run mutate` from its last report.',
    '',
    '## Equivalent mutants',
    '',
    'Mutants that no test can kill because they change nothing a user, a merchant or the API can observe.',
    '',
    '### Survivors listed in stryker.config.mjs (`EQUIVALENT`)',
    '',
    'They share their line with mutants that tests do kill, so a disable comment would hide those too. They count as',
    'survivors in the score.',
    '',
    ...(EQUIVALENT.length
      ? EQUIVALENT.map(
          (e) => `- \`${e.at}\` ${e.mutator} → \`${e.replacement}\`: ${e.reason}${stale.includes(e) ? ' **(stale: not a survivor of the last run)**' : ''}`,
        )
      : ['None.']),
    '',
    '### Disabled in the source',
    '',
    'Each by a `// Stryker disable next-line <mutator>: <reason>` comment; they are not counted.',
    '',
    ...(equivalent.length ? equivalent : ['None.']),
    '',
    '## Ignored by rule (stryker.config.mjs)',
    '',
    ...[...byRule].map(([reason, n]) => `- ${n} mutants: ${reason}`),
    '',
  ].join('\n'),
);

// the README gets the table whenever the report is read (the manual: no run times in it); how long the run took, from
// Stryker's own log, is printed for the run log in bench/README.md
const log = existsSync(LOG) ? stripVTControlCharacters(readFileSync(LOG, 'utf8')) : '';
const took = log.match(/Done in ([^.]+)\./)?.[1];
const reused = log.match(/Result:\s+(\d+) of (\d+) mutant result\(s\) are reused/);
if (took) console.log(`A run of ${took}${reused ? `, ${reused[1]} of ${reused[2]} results reused from the last run` : ', every mutant tested'}.`);
const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error('README.md has no mutation markers');
writeFileSync('README.md', `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`);
