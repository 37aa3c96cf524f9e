import { expect, it } from 'vitest';
import * as core from './index.js';

// The server and client import these by name; removing one is a breaking change.
it('exports the public API', () => {
  expect(Object.keys(core).sort()).toEqual([
    'ageBandSchema',
    'ageBands',
    'brandingSchema',
    'brandingToCssVariables',
    'can',
    'capabilityIdSchema',
    'capabilityIds',
    'countCharacters',
    'cssVariablesToStyleText',
    'defaultFontFamily',
    'defaultTerminology',
    'definePolicy',
    'displayNameSchema',
    'emailSchema',
    'evaluate',
    'getSetting',
    'hearthPolicy',
    'httpsUrlSchema',
    'isUnder18',
    'mergePolicies',
    'parseTenantConfig',
    'passwordSchema',
    'phoneNumberSchema',
    'roleSchema',
    'roles',
    'safeText',
    'staffRoleSchema',
    'staffRoles',
    'tenantConfigSchema',
    'term',
    'termKeys',
    'usernameSchema',
  ]);
});
