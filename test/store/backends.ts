import { join } from 'node:path';
import { renderWebhookBody } from '../../src/api/segmind/webhook-body.js';
import type { Store, StoreOptions } from '../../src/store/store.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { dropSchema, PG_URL, uniqueSchema } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';

export interface OpenedStore {
  store: Store;
  dispose(): Promise<void>;
}

/** Stores write webhook bodies in the Segmind format, as the server wires them. */
const STORE_OPTIONS: StoreOptions = { renderWebhook: renderWebhookBody };

/** Every store backend the contract suites run against; a new backend adds itself here. */
export const STORE_BACKENDS: Array<[string, () => Promise<OpenedStore>]> = [
  [
    'sqlite',
    async () => {
      // Opened in beforeEach: the directory goes when the test finishes, after dispose() closed the store.
      const dir = await tempDir('reelay-store-');
      const store = await openSqliteStore(join(dir, 'test.db'), STORE_OPTIONS);
      return {
        store,
        async dispose() {
          await store.close();
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const schema = uniqueSchema();
      const store = await openPostgresStore({ url: PG_URL, schema }, STORE_OPTIONS);
      return {
        store,
        async dispose() {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
  ],
];
