import type { Logger } from '../../logger.js';
import { checkWorkflow } from './check.js';
import type { ComfyClient } from './client.js';
import type { ComfyModel } from './models.js';
import type { ServerPool } from './pool.js';

type ServerCheck = { at: number; problems: Map<string, string[]> } | { at: number; error: string };

/**
 * What each server can run, from its `/object_info`: read at start, when a server comes back,
 * and by `/readyz` when older than a minute. A model whose workflow fails the check on every
 * reachable server is unavailable, with the reason, rather than failing at run time.
 */
export class ModelChecks {
  private readonly results = new Map<ComfyClient, ServerCheck>();

  constructor(
    private readonly pool: ServerPool,
    private readonly models: ComfyModel[],
    private readonly log: Logger,
  ) {}

  async checkAll(): Promise<void> {
    await Promise.all(this.pool.clients.map((c) => this.checkServer(c)));
  }

  async checkServer(client: ComfyClient): Promise<void> {
    try {
      const info = await client.objectInfo();
      const problems = new Map<string, string[]>();
      for (const m of this.models) {
        const found = checkWorkflow(m.graph, m.bindings, info);
        problems.set(m.slug, found);
        if (found.length > 0)
          this.log.error({ server: client.base, model: m.slug, problems: found }, `ComfyUI at ${client.base} cannot run model ${m.slug}: ${found.join('; ')}`);
      }
      this.results.set(client, { at: Date.now(), problems });
    } catch (err) {
      this.results.set(client, { at: Date.now(), error: (err as Error).message });
      this.pool.markDown(client, `object_info: ${(err as Error).message}`);
    }
  }

  /** False only when the server's check found problems with this model (unknown is allowed). */
  canRun(client: ComfyClient, slug: string): boolean {
    const r = this.results.get(client);
    return !r || 'error' in r || (r.problems.get(slug)?.length ?? 0) === 0;
  }

  /** Why no server can run the model, when every checked server found problems; else undefined. */
  unavailable(slug: string): string | undefined {
    const reasons: string[] = [];
    for (const client of this.pool.clients) {
      const r = this.results.get(client);
      if (!r || 'error' in r) return undefined;
      const found = r.problems.get(slug) ?? [];
      if (found.length === 0) return undefined;
      reasons.push(`${client.base}: ${found.join('; ')}`);
    }
    return reasons.join(' | ');
  }

  async readiness(): Promise<Record<string, string>> {
    const stale = this.pool.clients.filter((c) => Date.now() - (this.results.get(c)?.at ?? 0) > 60_000);
    await Promise.all(stale.map((c) => this.checkServer(c)));
    const out: Record<string, string> = {};
    for (const client of this.pool.clients) {
      const r = this.results.get(client);
      out[`comfyui ${client.base}`] = !this.pool.healthOf(client) ? `unreachable${r && 'error' in r ? `: ${r.error}` : ''}` : 'ok';
    }
    for (const m of this.models) {
      const why = this.unavailable(m.slug);
      out[`model ${m.slug}`] = why ? `unavailable: ${why}` : 'ok';
    }
    return out;
  }
}
