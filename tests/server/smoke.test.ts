import { afterAll, beforeAll, expect, test } from 'vitest';
import { PASSWORD, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

test('member signs up and sees themselves', async () => {
  const b = p.browser(p.alpha.host);
  expect(await b.client.identity.me.query()).toBeNull();
  const me = await b.client.identity.signUp.mutate({
    username: 'Sky_Blue',
    password: PASSWORD,
    ageBand: '13-15',
  });
  expect(me.username).toBe('sky_blue');
  const again = await b.client.identity.me.query();
  expect(again?.id).toBe(me.id);
  const branding = await b.client.tenancy.branding.query();
  expect(branding.displayName).toBe('Alpha Youth Trust');
});
