export * from './identity.js';
export * from './safeguarding.js';
export * from './tenancy.js';
