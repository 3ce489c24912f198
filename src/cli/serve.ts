/**
 * `khabar serve --db FILE`: the HTTP API and the web app on one port, until Ctrl-C. Read-only unless a
 * token is given (--token or KHABAR_TOKEN), which allows POST /api/articles with that bearer token.
 */
import { UsageError } from '../errors.js';
import { startServer } from '../server/app.js';
import { openStore } from '../store/index.js';
import { helpText, numberFlag, parseCommand, storeTarget, type CommandSpec } from './args.js';

const spec = {
  name: 'serve',
  summary: 'start the HTTP API and the web app',
  usage: 'khabar serve --db FILE [--port N] [--host ADDR] [--token T] [--max-body MB]',
  options: {
    db: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    'max-body': { type: 'string' },
  },
  help: [
    '--db FILE       the store to serve (or set KHABAR_DB)',
    '--port N        the port (default 8080; 0 picks a free one)',
    '--host ADDR     the address to listen on (default 127.0.0.1, this machine only)',
    '--token T       allow POST /api/articles with "Authorization: Bearer T" (or set KHABAR_TOKEN);',
    '                without a token the server is read-only',
    '--max-body MB   largest request body accepted, in megabytes (default 5)',
  ].join('\n'),
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = stop('SIGINT');
    const onTerm = stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  const db = storeTarget(values.db as string | undefined, 'serve');
  const port = numberFlag(values.port as string | undefined, '--port', 'serve') ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`khabar serve: --port takes a port number 0..65535, got ${port}`);
  const maxBodyMb = numberFlag(values['max-body'] as string | undefined, '--max-body', 'serve') ?? 5;
  if (maxBodyMb <= 0 || maxBodyMb > 1024) throw new UsageError(`khabar serve: --max-body takes megabytes from 0 to 1024, got ${maxBodyMb}`);
  const token = (values.token as string | undefined) ?? process.env.KHABAR_TOKEN ?? null;
  if (token !== null && token.length < 8) throw new UsageError('khabar serve: the token must be at least 8 characters long');
  const host = (values.host as string | undefined) ?? '127.0.0.1';

  // A read-only server on a store that does not exist would only show an empty app: say how to fill it.
  const store = await openStore(db, { mustExist: token === null });
  try {
    const server = await startServer({ store, port, host, token, maxBodyBytes: Math.round(maxBodyMb * 1024 * 1024) });
    process.stdout.write(`khabar serve: ${server.url} (store ${db}; ${token ? 'accepts POST /api/articles with the token' : 'read-only'}). Ctrl-C to stop.\n`);
    await untilStopped();
    process.stdout.write('khabar serve: stopping\n');
    await server.close();
    return 0;
  } finally {
    await store.close();
  }
}
