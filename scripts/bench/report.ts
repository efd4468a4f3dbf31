// Renders the bench: one summary row per figure of issue 8's table (measured, goal, met or missed),
// then the detail behind each figure, as Markdown tables, so docs/PERFORMANCE.md can take them as
// printed.

export interface Figure {
  figure: string;
  measured: string;
  goal: string;
  met: boolean;
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

export function figuresTable(figures: readonly Figure[]): string[] {
  return markdownTable(
    ['figure', 'measured', 'goal', ''],
    figures.map((f) => [f.figure, f.measured, f.goal, f.met ? 'met' : '**missed**']),
  );
}

export const fmt = {
  ms: (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`,
  ratio: (value: number) => `${value.toFixed(2)}×`,
  int: (value: number) => Math.round(value).toLocaleString('en-US'),
};
