/**
 * `npm start`'s entry (after the build): serves the page and the Kinesis endpoint on one port.
 * HOST (default 127.0.0.1; 0.0.0.0 opens it to a LAN, with a presenter token) and PORT (default 4173).
 */
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tuneGarbageCollection } from './garbageCollection';
import { newToken, startServer } from './server';
import { Session } from './session';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4173);
const loopbackOnly = host === '127.0.0.1' || host === 'localhost' || host === '::1';

/** IPv4 addresses of this machine's network interfaces, for the LAN URLs. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => (a as { address: string }).address);
}

tuneGarbageCollection();
const session = new Session();
const token = loopbackOnly ? undefined : newToken();
try {
  const server = await startServer({ session, staticDir: join(ROOT, 'dist'), host, port, token });
  session.start();
  const local = `http://127.0.0.1:${server.port}`;
  const lines = [
    '',
    `  Shardlab is running at ${local}/${token ? `?token=${token}` : ''}  (Ctrl+C to stop)`,
    `Kinesis endpoint: ${local}`,
  ];
  if (!loopbackOnly) {
    lines.push(
      '',
      `  WARNING: HOST=${host} opens Shardlab to your network. Anyone who can reach this machine may call`,
      '  the Kinesis API and watch the page; only the page opened with the token above may change or reset',
      '  the simulation. Keep the token to yourself.',
    );
    for (const address of lanAddresses())
      lines.push(
        `  On the LAN: page http://${address}:${server.port}/  endpoint http://${address}:${server.port}`,
      );
  }
  lines.push(
    '',
    `  Try:  aws kinesis list-streams --endpoint-url ${local} --region us-east-1`,
    '        (any credentials work; AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x if none are set)',
    '',
  );
  console.log(lines.join('\n'));
  const stop = () => {
    session.stop();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${port} is in use: stop what uses it, or start on another port with PORT=${port + 1} npm start`
      : `Shardlab could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
