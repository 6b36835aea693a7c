import { expect } from 'chai';
import { loadConfig } from '../src/index.js';

describe('configuration: engine selection', () => {
  it('defaults to PostgreSQL for events and views', () => {
    expect(loadConfig({})).to.include({
      EVENT_STORE: 'postgres',
      READ_MODELS: 'postgres',
      MONGODB_DATABASE: 'indicator_ledger',
    });
  });

  it('selects KurrentDB and MongoDB by configuration, accepting esdb:// too', () => {
    const c = loadConfig({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'esdb://127.0.0.1:2113?tls=false',
      READ_MODELS: 'mongodb',
      MONGODB_URL: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
    });
    expect(c).to.include({ EVENT_STORE: 'kurrentdb', READ_MODELS: 'mongodb' });
  });

  it('refuses an engine selected without its address, naming every missing variable', () => {
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb', READ_MODELS: 'mongodb' })).to.throw(
      /KURRENTDB_URL: is required when EVENT_STORE=kurrentdb[\s\S]*MONGODB_URL: is required when READ_MODELS=mongodb/,
    );
  });

  it('refuses unknown engines and malformed addresses', () => {
    expect(() => loadConfig({ EVENT_STORE: 'mysql' })).to.throw(/EVENT_STORE/);
    expect(() => loadConfig({ READ_MODELS: 'mongodb', MONGODB_URL: 'http://mongo' })).to.throw(
      /MONGODB_URL: must be a mongodb/,
    );
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'tcp://x:1113' })).to.throw(
      /KURRENTDB_URL: must be a kurrentdb/,
    );
  });
});
