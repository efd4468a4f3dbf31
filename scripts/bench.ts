/**
 * `npm run bench`: what the product costs a user, measured against the in-repo emulators in one run
 * of a few minutes, for every figure of the goals in docs/PERFORMANCE.md. Prints a table per figure
 * (Markdown) and, last, one JSON line with every number. Benchmarks report; they never fail the
 * build: the exit code is 0 whether a goal is met or missed, and 1 only when a measurement could
 * not be taken (a bundle failed, a goal's scenario did not run).
 *
 * The actions run as the committed bundles (dist/, as the runner runs them), so the figures are the
 * product's as built: after changing sources, run `npm run build` first. The deploy wait, the
 * commit-back race and the farm timings run the same library code in this process (see each module
 * in scripts/bench/ for why).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureColdStarts, ROUNDS } from './bench/cold-start.js';
import { measureApiCommits, measureGitCommits, WRITERS, type ConcurrentCommits } from './bench/commits.js';
import { FARM_SIZES, measureFarm } from './bench/farm.js';
import { measureJournalCosts, measureWallTime, THREAD_LENGTHS, type JournalCost } from './bench/journal.js';
import { measureLife } from './bench/life.js';
import { figuresTable, fmt, markdownTable, type Figure } from './bench/report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ACTIONS = ['provision-sandbox', 'deploy-sandbox', 'journal-step', 'destroy-sandbox'];
const BUILD_MINUTES = [1, 10, 30];
const RAILWAY_GOALS: Record<number, number> = { 1: 20, 10: 40, 30: 80 };
const WALL_RUNS = 7;
/** A repository's GITHUB_TOKEN: 1,000 REST requests an hour, 1,000 GraphQL points, 500 writes. */
const HOURLY = { rest: 1_000, points: 1_000, writes: 500 };

const say = (line = '') => process.stdout.write(`${line}\n`);
const progress = (what: string) => process.stderr.write(`bench: ${what}…\n`);
const benchStarted = Date.now();

const missing = ACTIONS.filter((name) => !existsSync(join(ROOT, 'dist', name, 'index.js')));
if (missing.length > 0) {
  console.error(
    `bench: ${missing.map((n) => `dist/${n}/index.js`).join(', ')} missing; run \`npm run build\`.`,
  );
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
try {
  progress('building the reference bundles with the same ncc options as dist/');
  const buildInto = (entry: string, name: string, extra: string[] = []): string => {
    const outDir = join(scratch, name);
    execFileSync(
      process.execPath,
      [join(ROOT, 'scripts', 'build.mjs'), '--entry', entry, '--out', outDir, ...extra],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    return join(outDir, 'index.js');
  };
  const baselineBundle = buildInto(join(ROOT, 'scripts', 'bench', 'baseline-action.ts'), 'baseline');
  const coreOnlyBundle = buildInto(join(ROOT, 'scripts', 'bench', 'core-only-action.ts'), 'core-only');
  const undiciOnlyBundle = buildInto(join(ROOT, 'scripts', 'bench', 'undici-only-action.ts'), 'undici-only');
  const minifiedJournal = buildInto(
    join(ROOT, 'actions', 'journal-step', 'main.ts'),
    'journal-step-minified',
    ['--minify'],
  );

  progress(`cold starts (${ROUNDS} rounds)`);
  const cold = measureColdStarts([
    ...ACTIONS.map((name) => ({ name, path: join(ROOT, 'dist', name, 'index.js') })),
    { name: 'journal-step, minified (not shipped)', path: minifiedJournal },
    { name: 'baseline: @actions/core + @actions/github, one comment', path: baselineBundle },
    { name: 'floor: @actions/core alone', path: coreOnlyBundle },
    { name: 'floor: undici alone (loaded by @actions/core and @actions/github)', path: undiciOnlyBundle },
  ]);

  progress('journal-step at each thread length');
  const journal: JournalCost[] = [];
  for (const comments of THREAD_LENGTHS) journal.push(...(await measureJournalCosts(comments)));

  progress('journal-step against the baseline action');
  const wall = await measureWallTime(baselineBundle, WALL_RUNS);

  progress('whole issue lives');
  const lives = [];
  for (const minutes of BUILD_MINUTES) lives.push(await measureLife(minutes));

  progress('farm files');
  const farms = FARM_SIZES.map((rows) => measureFarm(rows));

  progress(`${WRITERS} concurrent commit-backs, api mode`);
  const commits: ConcurrentCommits[] = [await measureApiCommits()];
  progress(`${WRITERS} concurrent commit-backs, git mode`);
  commits.push(await measureGitCommits());

  // ── Figures against the goals ──
  const requestsOf = (c: { rest: number; graphql: number }) => c.rest + c.graphql;
  const perRun = journal.map((j) => requestsOf(j.next));
  const firstSteps = journal.map((j) => requestsOf(j.first));
  // Every run after an issue's first: the first step of an issue journaled without a sandbox walks
  // the thread once to be sure no status comment exists, which the table shows apart.
  const constant = (['bound', 'unbound'] as const).every((binding) => {
    const counts = journal.filter((j) => j.binding === binding).map((j) => requestsOf(j.next));
    return counts.every((n) => n === counts[0]);
  });
  const life = lives[0];
  if (life === undefined) throw new Error('no issue life was measured');
  const lifeRequests = requestsOf(life.github);
  const limits = {
    rest: HOURLY.rest / Math.max(1, life.github.rest),
    points: life.github.points === 0 ? Infinity : HOURLY.points / life.github.points,
    writes: HOURLY.writes / Math.max(1, life.github.writes),
  };
  const livesPerHour = Math.min(limits.rest, limits.points, limits.writes);
  const limitedBy = (Object.keys(limits) as Array<keyof typeof limits>).find(
    (k) => limits[k] === livesPerHour,
  );
  const farm10k = farms.find((f) => f.rows === 10_000);
  const figures: Figure[] = [
    {
      figure: 'GitHub requests per journal-step run (bound and unbound; 0, 1,000, 5,000 comments)',
      measured: `${Math.min(...perRun)}–${Math.max(...perRun)}${constant ? ', the same at every length' : ', growing with the thread'}; GraphQL points ${Math.max(...journal.flatMap((j) => [j.first.points, j.next.points]))} (an issue's first step: ${Math.min(...firstSteps)}–${Math.max(...firstSteps)})`,
      goal: '≤ 5, the same at every length',
      met: Math.max(...perRun) <= 5 && constant,
    },
    {
      figure: "GitHub requests for one issue's life (provision, deploy, two steps, destroy)",
      measured: `${lifeRequests} (${life.steps.map((s) => requestsOf(s.github)).join(' + ')})`,
      goal: '≤ 25',
      met: lifeRequests <= 25,
    },
    {
      figure: "issue lives per hour on one repository's GITHUB_TOKEN",
      measured: `${fmt.int(Math.floor(livesPerHour))} (limited by ${limitedBy === 'writes' ? `content creation: ${life.github.writes} writes a life, 500 an hour` : limitedBy === 'points' ? `GraphQL points: ${life.github.points} a life` : `REST: ${life.github.rest} requests a life`})`,
      goal: '≥ 50',
      met: livesPerHour >= 50,
    },
    {
      figure: 'journal-step wall time vs a one-comment @actions/github action',
      measured: `${fmt.ratio(wall.ratio)} (${fmt.ms(wall.journalMs)} vs ${fmt.ms(wall.baselineMs)}, median of ${wall.runs})`,
      goal: '≤ 1.3×',
      met: wall.ratio <= 1.3,
    },
    {
      figure: `cold start vs bare node (median of ${ROUNDS})`,
      measured: cold.bundles
        .filter((b) => ACTIONS.includes(b.name))
        .map((b) => `${b.name} ${fmt.ratio(b.ratio)}`)
        .join(', '),
      goal: '≤ 2.0× each',
      met: cold.bundles.filter((b) => ACTIONS.includes(b.name)).every((b) => b.ratio <= 2),
    },
    ...lives.map((l) => ({
      figure: `Railway requests for a whole life, ${l.buildMinutes}-minute build`,
      measured: `${l.railway} (deploy ${l.steps.find((s) => s.step === 'deploy-sandbox')?.railway ?? '?'}; ${l.deploymentStatus ?? 'no status'})`,
      goal: `≤ ${RAILWAY_GOALS[l.buildMinutes] ?? '?'}`,
      met: l.deploymentStatus === 'SUCCESS' && l.railway <= (RAILWAY_GOALS[l.buildMinutes] ?? 0),
    })),
    {
      figure: 'getMapping and one update, farm of 10,000 rows',
      measured:
        farm10k === undefined
          ? 'not measured'
          : `${fmt.ms(farm10k.getMappingMs)} and ${fmt.ms(farm10k.updateMs)}`,
      goal: '≤ 20 ms and ≤ 100 ms',
      met: farm10k !== undefined && farm10k.getMappingMs <= 20 && farm10k.updateMs <= 100,
    },
    ...commits.map((c) => ({
      figure: `${WRITERS} concurrent commit-backs of different issues, ${c.mode} mode`,
      measured: `${c.landed} / ${c.writers} landed`,
      goal: `${WRITERS} / ${WRITERS}`,
      met: c.landed === c.writers,
    })),
  ];

  const baselineStart = cold.bundles.find((b) => b.name.startsWith('baseline'))?.medianMs;
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };

  say(`# npm run bench — ${new Date().toISOString().slice(0, 10)}`);
  say();
  say(`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}.`);
  say();
  for (const line of figuresTable(figures)) say(line);
  say();
  say('## GitHub requests per journal-step run');
  say();
  for (const line of markdownTable(
    [
      'comments',
      'issue',
      'first step: requests (REST + GraphQL)',
      'GraphQL points',
      'next step: requests',
      'GraphQL points',
      'writes',
    ],
    journal.map((j) => [
      fmt.int(j.comments),
      j.binding,
      `${requestsOf(j.first)} (${j.first.rest} + ${j.first.graphql})`,
      String(j.first.points),
      `${requestsOf(j.next)} (${j.next.rest} + ${j.next.graphql})`,
      String(j.next.points),
      String(j.next.writes),
    ]),
  ))
    say(line);
  say();
  for (const j of journal.filter((j) => j.comments === Math.max(...THREAD_LENGTHS)))
    say(`- next step, ${j.binding}, ${fmt.int(j.comments)} comments: ${j.nextOperations}`);
  say();
  say('## One issue’s life (1-minute build)');
  say();
  for (const line of markdownTable(
    ['step', 'GitHub requests', 'of which writes', 'GraphQL points', 'Railway requests'],
    [
      ...life.steps.map((s) => [
        s.step,
        String(requestsOf(s.github)),
        String(s.github.writes),
        String(s.github.points),
        String(s.railway),
      ]),
      [
        'total',
        String(lifeRequests),
        String(life.github.writes),
        String(life.github.points),
        String(life.railway),
      ],
    ],
  ))
    say(line);
  say();
  for (const s of life.steps) say(`- ${s.step}: ${s.githubOperations}`);
  say();
  say(
    `Lives an hour: REST ${fmt.int(Math.floor(limits.rest))}, GraphQL ${Number.isFinite(limits.points) ? fmt.int(Math.floor(limits.points)) : 'unlimited (no GraphQL)'}, ` +
      `content creation ${fmt.int(Math.floor(limits.writes))} (500 an hour; 80 a minute allows ${fmt.int(Math.floor(80 / Math.max(1, life.github.writes)))} lives a minute in a burst).`,
  );
  say();
  say('## Railway requests per life, by build length (emulator clock)');
  say();
  for (const line of markdownTable(
    ['build', 'provision', 'deploy', 'destroy', 'total', 'deployment'],
    lives.map((l) => [
      `${l.buildMinutes} min`,
      ...['provision-sandbox', 'deploy-sandbox', 'destroy-sandbox'].map((step) =>
        String(l.steps.find((s) => s.step === step)?.railway ?? '?'),
      ),
      String(l.railway),
      l.deploymentStatus ?? '?',
    ]),
  ))
    say(line);
  say();
  for (const l of lives)
    say(
      `- deploy, ${l.buildMinutes}-minute build: ${l.steps.find((s) => s.step === 'deploy-sandbox')?.railwayOperations ?? '?'}`,
    );
  say();
  say('## Wall time, journal-step vs the baseline action (same emulator, no write spacing)');
  say();
  for (const line of markdownTable(
    ['program', `median of ${wall.runs}`, 'GitHub requests a run'],
    [
      ['journal-step', fmt.ms(wall.journalMs), String(wall.journalRequests)],
      ['baseline: one comment with @actions/github', fmt.ms(wall.baselineMs), String(wall.baselineRequests)],
    ],
  ))
    say(line);
  say();
  say(`## Cold start (no inputs: load, refuse, exit; median of ${ROUNDS}, side by side)`);
  say();
  for (const line of markdownTable(
    ['program', 'median', 'vs bare node', 'vs the baseline action', 'with NODE_COMPILE_CACHE'],
    [
      ['node -e 0', fmt.ms(cold.bareMs), '1.00×', '', ''],
      ...cold.bundles.map((b) => [
        b.name,
        fmt.ms(b.medianMs),
        fmt.ratio(b.ratio),
        baselineStart === undefined ? '' : fmt.ratio(b.medianMs / baselineStart),
        b.cachedMs === undefined || b.cachedRatio === undefined
          ? `n/a on Node ${process.versions.node}`
          : `${fmt.ms(b.cachedMs)} (${fmt.ratio(b.cachedRatio)})`,
      ]),
    ],
  ))
    say(line);
  say();
  say('## Farm file');
  say();
  for (const line of markdownTable(
    ['rows', 'file size', 'parse alone', 'parse + getMapping', 'parse + one update + serialise'],
    farms.map((f) => [
      fmt.int(f.rows),
      `${(f.bytes / 1_048_576).toFixed(2)} MiB`,
      fmt.ms(f.parseMs),
      fmt.ms(f.getMappingMs),
      fmt.ms(f.updateMs),
    ]),
  ))
    say(line);
  say();
  say(`## ${WRITERS} concurrent commit-backs of different issues`);
  say();
  for (const line of markdownTable(
    ['mode', 'landed', 'failed', 'attempts (median, max)', 'requests', 'wall time'],
    commits.map((c) => [
      c.mode,
      `${c.landed} / ${c.writers}`,
      String(c.failed),
      `${c.attemptsMedian}, ${c.attemptsMax}`,
      `${fmt.int(c.requests)} ${c.mode === 'api' ? 'GitHub requests' : 'git fetches and pushes'}`,
      fmt.ms(c.wallMs),
    ]),
  ))
    say(line);
  for (const c of commits)
    for (const reason of c.reasons) say(`- ${c.mode} mode, a writer gave up: ${reason}`);
  say();
  say(`Bench took ${((Date.now() - benchStarted) / 1000).toFixed(0)} s.`);
  say(
    JSON.stringify({
      bench: 'trinity-issue-sandbox',
      at: new Date().toISOString(),
      machine,
      figures,
      journal,
      wall,
      lives,
      livesPerHour: { ...limits, points: Number.isFinite(limits.points) ? limits.points : null },
      cold,
      farms,
      commits,
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
