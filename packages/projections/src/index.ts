export * from './viewChange.js';
export * from './projectEvent.js';
export * from './postgres/viewSchema.js';
export * from './postgres/applyChanges.js';
export * from './postgres/postgresProjector.js';
export * from './postgres/projectIndicators.js';
