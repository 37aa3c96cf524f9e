export * from './identity.js';
export * from './mentoring.js';
export * from './messaging.js';
export * from './outbox.js';
export * from './privacy.js';
export * from './safeguarding.js';
export * from './tenancy.js';
