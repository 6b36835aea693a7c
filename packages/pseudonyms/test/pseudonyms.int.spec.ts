import { expect } from 'chai';
import pg from 'pg';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import { createPseudonymKeyStore, pseudonymize } from '../src/index.js';

describe('keyed pseudonyms', () => {
  it('give one person one pseudonym per project, whatever the spelling of case and spaces', () => {
    const key = Buffer.alloc(32, 7);
    expect(pseudonymize(key, ' Anna@Example.lv ')).to.equal(pseudonymize(key, 'anna@example.lv'));
    expect(pseudonymize(key, 'anna@example.lv')).to.not.equal(pseudonymize(key, 'janis@example.lv'));
    expect(pseudonymize(key, 'anna@example.lv')).to.match(/^p_[A-Za-z0-9_-]{22}$/);
    expect(pseudonymize(Buffer.alloc(32, 8), 'anna@example.lv')).to.not.equal(pseudonymize(key, 'anna@example.lv'));
  });

  it('keeps a key per project until it is destroyed; afterwards the old pseudonyms cannot be linked to anyone', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.connectionString });
    pool.on('error', () => undefined);
    try {
      const keys = await createPseudonymKeyStore(pool);
      const before = pseudonymize(await keys.keyFor('LLI-317'), '120389-12345');
      expect(pseudonymize(await keys.keyFor('LLI-317'), '120389-12345')).to.equal(before);
      expect(pseudonymize(await keys.keyFor('LLI-425'), '120389-12345')).to.not.equal(before);
      expect(await keys.destroy('LLI-317')).to.equal(true);
      const after = pseudonymize(await keys.keyFor('LLI-317'), '120389-12345');
      expect(after).to.not.equal(before);
      const stored = await pool.query('select count(*)::int as n from il_pseudonym_keys');
      expect(stored.rows[0].n).to.equal(2);
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  it('creates, uses and destroys a key concurrently without an error: each use gets a whole key', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.connectionString, max: 20 });
    pool.on('error', () => undefined);
    try {
      const keys = await createPseudonymKeyStore(pool);
      // Uses racing destructions on many connections: 12 loops asking for the key, 4 deleting it (destroy()'s own
      // delete, without its vacuum, so they come often enough to land between the statements of a use).
      const errors: string[] = [];
      const uses = Array.from({ length: 12 }, async () => {
        for (let i = 0; i < 150; i++) {
          const key = await keys.keyFor('LLI-317').catch((e: unknown) => void errors.push(String(e)));
          if (key) expect(key.length).to.equal(32);
        }
      });
      const destructions = Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 150; i++) await pool.query(`delete from il_pseudonym_keys where project_id = 'LLI-317'`);
      });
      await Promise.all([...uses, ...destructions]);
      expect(await keys.destroy('LLI-317')).to.be.a('boolean');
      expect(errors).to.deep.equal([]);
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
