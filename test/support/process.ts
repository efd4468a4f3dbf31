import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program in its own process, collecting its output; `stdin` is written and closed. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string; onSpawn?: (child: ChildProcess) => void },
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
    options.onSpawn?.(child);
  });
}
