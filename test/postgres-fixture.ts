/**
 * PostgreSQL test fixtures: each store gets a fresh schema (khabar_test_<random>) in the database
 * named by KHABAR_PG_URL, dropped at cleanup, so test files can run at once against one server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../src/store/index.js';
import type { StoreFixture } from './store-contract.suite.js';

/** The test database URL, or null (tests that need it skip, saying why). */
export const PG_URL: string | null = process.env.KHABAR_PG_URL ?? null;
export const PG_SKIP = PG_URL ? false : 'KHABAR_PG_URL is not set: set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL tests';

/** The store URL of a schema in the test database. */
export function schemaUrl(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** A fresh schema name and its URL, with a function that drops the schema. */
export function freshSchema(base: string): { schema: string; url: string; drop: () => Promise<void> } {
  const schema = `khabar_test_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    url: schemaUrl(base, schema),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A store contract fixture on a fresh schema. */
export async function postgresFixture(base: string): Promise<StoreFixture> {
  const { url, drop } = freshSchema(base);
  return { open: () => openStore(url), cleanup: drop };
}
