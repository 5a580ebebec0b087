import { loadConfig } from '../config.js';
import { describeAdminError, httpAdmin, localAdmin } from './admin-client.js';
import { adminOp, parseAdminArgs } from './admin-commands.js';
import { UsageError } from './usage-error.js';

/**
 * `reelay accounts|keys|credits ...`: over HTTP when a server is named (--server / REELAY_SERVER,
 * with an admin key in --key / REELAY_API_KEY), otherwise directly on the local data dir.
 */
export async function adminCommand(group: string, argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [verb, ...rest] = argv;
  const args = parseAdminArgs(group, rest);
  const op = adminOp(group, verb, args);
  const server = args.values.server ?? env.REELAY_SERVER;
  const key = args.values.key ?? env.REELAY_API_KEY;
  if (server && !key) throw new UsageError('talking to a server needs an admin key: --key or REELAY_API_KEY', group);
  const client = server && key ? httpAdmin(server, key) : await localAdmin(loadConfig(env));
  try {
    const result = await client.run(op);
    if (group === 'keys' && verb === 'create' && !args.values.json) {
      process.stdout.write(`${String(result.key)}\n(key ${String(result.id)}, scopes ${(result.scopes as string[]).join(',')}; shown once, store it now)\n`);
    } else {
      process.stdout.write(`${JSON.stringify(result, null, args.values.json ? undefined : 2)}\n`);
    }
  } catch (err) {
    const described = describeAdminError(err);
    if (!described) throw err;
    process.stderr.write(`${described}\n`);
    process.exitCode = 1;
  } finally {
    await client.close();
  }
}
