// `npm start`: install what is missing, build the page, and serve it with the Kinesis endpoint on one port
// (src/server/main.ts prints the page URL and the line `Kinesis endpoint: http://127.0.0.1:PORT`).
// HOST (default 127.0.0.1) and PORT (default 4173) choose where it listens.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, ROOT, run } from './ensure.mjs';

try {
  ensureDependencies();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
console.log('==> Building Shardlab');
const built = run(bin('vite'), ['build', '--logLevel', 'warn']);
if (built !== 0) process.exit(built);

const server = spawn(bin('tsx'), [join(ROOT, 'src', 'server', 'main.ts')], { cwd: ROOT, stdio: 'inherit' });
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
