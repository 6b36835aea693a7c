import { expect } from 'chai';
import pg from 'pg';
import { createTestDatabase } from '@il/event-store/testing';
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
});
