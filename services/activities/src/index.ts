export * from './activitiesRouter.js';
