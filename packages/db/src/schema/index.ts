export * from './identity.js';
export * from './tenancy.js';
