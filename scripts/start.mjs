// `npm start`: install what is missing, build, and serve the app on 127.0.0.1.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, ROOT, run } from './ensure.mjs';

try {
  ensureDependencies();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const vite = join(ROOT, 'node_modules', '.bin', 'vite');
console.log('==> Building Shardlab');
const built = run(vite, ['build', '--logLevel', 'warn']);
if (built !== 0) process.exit(built);

const port = process.env.PORT ?? '4173';
const server = spawn(vite, ['preview', '--host', '127.0.0.1', '--port', port, '--strictPort'], {
  cwd: ROOT,
  stdio: ['inherit', 'pipe', 'inherit'],
});
let announced = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /127\.0\.0\.1/.test(String(chunk))) {
    announced = true;
    console.log(`\n  Shardlab is running at http://127.0.0.1:${port}/  (Ctrl+C to stop)\n`);
  }
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
