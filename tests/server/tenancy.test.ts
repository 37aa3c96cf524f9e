import { getFieldErrors } from '@hearth/client';
import type { TenantConfigInput } from '@hearth/core';
import { tenantConfigVersions, tenantDomains, tenants } from '@hearth/db';
import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  addTenant,
  expectError,
  inTenant,
  MESSAGES,
  provisionAccount,
  signIn,
  signInAdmin,
  signUpMember,
  uniqueUsername,
} from '../support/identity.js';
import {
  type Browser,
  PASSWORD,
  startTestPlatform,
  type TestPlatform,
  type TestTenant,
  tenantConfig,
} from '../support/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const STALE =
  'The configuration changed since you opened it. Reload, then apply your change again.';

/** The stored state of a tenant's configuration: its current version and every version kept. */
async function configState(tenantId: string) {
  return inTenant(p, tenantId, async (tx) => {
    const [row] = await tx
      .select({ version: tenants.configVersion, config: tenants.currentConfig })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    const [versions] = await tx
      .select({ n: count() })
      .from(tenantConfigVersions)
      .where(eq(tenantConfigVersions.tenantId, tenantId));
    return { version: row!.version, config: row!.config, versions: versions!.n };
  });
}

/** Every host name served, with its tenant. The only table readable without a tenant. */
async function allDomains() {
  return inTenant(p, null, (tx) =>
    tx
      .select({ domain: tenantDomains.domain, tenantId: tenantDomains.tenantId })
      .from(tenantDomains)
      .orderBy(tenantDomains.domain),
  );
}

let tenantCount = 0;
/** A tenant of its own, so changing its configuration disturbs no other test. */
function freshTenant(): Promise<TestTenant> {
  tenantCount += 1;
  return addTenant(p, `cfg${tenantCount}`);
}

async function platformAdmin(): Promise<Browser> {
  const { username } = await provisionAccount(p, p.alpha.id, ['platform_admin'], 'platform');
  return signIn(p, p.alpha.host, username);
}

describe('branding', () => {
  test("is public and follows the request's host", async () => {
    const alpha = await p.browser(p.alpha.host).client.tenancy.branding.query();
    const beta = await p.browser(p.beta.host).client.tenancy.branding.query();
    expect(alpha.displayName).toBe('Alpha Youth Trust');
    expect(beta.displayName).toBe('Beta Mentoring');
    expect(alpha.branding.colors.primary).toBe('#0b6e4f');
    expect(alpha.cssVariables).toMatchObject({ '--hearth-color-primary': '#0b6e4f' });
    expect(alpha.helplines).toEqual([
      { name: 'Childline', phone: '0800 1111', url: 'https://www.childline.org.uk' },
    ]);
    expect(alpha.allowMemberSignUp).toBe(true);
    // A session elsewhere does not change which tenant a host serves.
    const { browser } = await signUpMember(p, p.alpha.host, { prefix: 'visitor' });
    const onBeta = p.browser(p.beta.host);
    for (const [name, value] of browser.cookies) onBeta.cookies.set(name, value);
    expect((await onBeta.client.tenancy.branding.query()).displayName).toBe('Beta Mentoring');
  });

  test('the host name is matched case-insensitively and without a trailing dot', async () => {
    const upper = p.browser(p.alpha.host.toUpperCase());
    expect((await upper.client.tenancy.branding.query()).displayName).toBe('Alpha Youth Trust');
    const dotted = p.browser(`${p.alpha.host}.`);
    expect((await dotted.client.tenancy.branding.query()).displayName).toBe('Alpha Youth Trust');
  });

  test('an unknown host is NOT_FOUND', async () => {
    const b = p.browser('nowhere.hearth.test');
    const error = await expectError(
      b.client.tenancy.branding.query(),
      'NOT_FOUND',
      MESSAGES.noTenant,
    );
    expect(error.data?.httpStatus).toBe(404);
    await expectError(
      b.client.identity.signIn.mutate({ username: p.alpha.admin.username, password: PASSWORD }),
      'NOT_FOUND',
      MESSAGES.noTenant,
    );
  });
});

describe('configuration', () => {
  test('an org admin reads and updates it; the history keeps every version with its author', async () => {
    const tenant = await freshTenant();
    const first = await signInAdmin(p, tenant);
    const second = await provisionAccount(p, tenant.id, ['org_admin'], 'admin2');
    const other = await signIn(p, tenant.host, second.username);

    const v1 = await first.client.tenancy.config.get.query();
    expect(v1.version).toBe(1);
    const name = `${tenant.host.split('.')[0]} trust`;
    expect(v1.config.displayName).toBe(name);

    const v2config = { ...v1.config, displayName: 'Renamed Once' };
    expect(
      await first.client.tenancy.config.update.mutate({ expectedVersion: 1, config: v2config }),
    ).toEqual({ version: 2 });
    const v3config = {
      ...v2config,
      displayName: 'Renamed Twice',
      branding: { ...v2config.branding, colors: { ...v2config.branding.colors, primary: '#ABC' } },
    };
    expect(
      await other.client.tenancy.config.update.mutate({ expectedVersion: 2, config: v3config }),
    ).toEqual({ version: 3 });

    const current = await first.client.tenancy.config.get.query();
    expect(current.version).toBe(3);
    expect(current.config.displayName).toBe('Renamed Twice');
    // Stored normalised, as the schema parses it.
    expect(current.config.branding.colors.primary).toBe('#abc');
    // Visitors see the change at once.
    const branding = await p.browser(tenant.host).client.tenancy.branding.query();
    expect(branding.displayName).toBe('Renamed Twice');

    const history = await first.client.tenancy.config.history.query();
    expect(history.map((h) => h.version)).toEqual([3, 2, 1]);
    expect(history.map((h) => h.config.displayName)).toEqual([
      'Renamed Twice',
      'Renamed Once',
      name,
    ]);
    expect(history.map((h) => h.createdBy)).toEqual([
      { id: second.userId, username: second.username },
      { id: tenant.adminId, username: tenant.admin.username },
      null, // the platform made the first version
    ]);
    expect(history[0]!.config).toEqual(current.config);
    const limited = await first.client.tenancy.config.history.query({ limit: 2 });
    expect(limited.map((h) => h.version)).toEqual([3, 2]);
    expect((await configState(tenant.id)).versions).toBe(3);
  });

  test('a stale expectedVersion is a CONFLICT and writes nothing', async () => {
    const tenant = await freshTenant();
    const admin = await signInAdmin(p, tenant);
    const { config } = await admin.client.tenancy.config.get.query();
    await admin.client.tenancy.config.update.mutate({
      expectedVersion: 1,
      config: { ...config, displayName: 'Newer' },
    });
    const before = await configState(tenant.id);

    const error = await expectError(
      admin.client.tenancy.config.update.mutate({
        expectedVersion: 1,
        config: { ...config, displayName: 'Based On Old' },
      }),
      'CONFLICT',
      STALE,
    );
    expect(getFieldErrors(error)).toEqual({ expectedVersion: [STALE] });
    expect(await configState(tenant.id)).toEqual(before);
    expect(before.version).toBe(2);
    await expectError(
      admin.client.tenancy.config.update.mutate({ expectedVersion: 3, config }),
      'CONFLICT',
      STALE,
    );
    expect(await configState(tenant.id)).toEqual(before);
  });

  test('two admins saving from the same version at once: exactly one wins', async () => {
    const tenant = await freshTenant();
    const a = await signInAdmin(p, tenant);
    const b = await signIn(
      p,
      tenant.host,
      (await provisionAccount(p, tenant.id, ['org_admin'])).username,
    );
    const { config } = await a.client.tenancy.config.get.query();
    const results = await Promise.allSettled([
      a.client.tenancy.config.update.mutate({
        expectedVersion: 1,
        config: { ...config, displayName: 'A' },
      }),
      b.client.tenancy.config.update.mutate({
        expectedVersion: 1,
        config: { ...config, displayName: 'B' },
      }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(getFieldErrors((lost[0] as PromiseRejectedResult).reason)).toEqual({
      expectedVersion: [STALE],
    });
    const state = await configState(tenant.id);
    expect(state).toMatchObject({ version: 2, versions: 2 });
  });

  test('members and mentors can neither read nor change it', async () => {
    const tenant = await freshTenant();
    const before = await configState(tenant.id);
    const { browser: member } = await signUpMember(p, tenant.host, { prefix: 'cfgmember' });
    const mentor = await signIn(
      p,
      tenant.host,
      (await provisionAccount(p, tenant.id, ['mentor'])).username,
    );
    const { config } = await (await signInAdmin(p, tenant)).client.tenancy.config.get.query();
    for (const browser of [member, mentor]) {
      await expectError(browser.client.tenancy.config.get.query(), 'FORBIDDEN', MESSAGES.forbidden);
      await expectError(
        browser.client.tenancy.config.history.query(),
        'FORBIDDEN',
        MESSAGES.forbidden,
      );
      await expectError(
        browser.client.tenancy.config.update.mutate({
          expectedVersion: 1,
          config: { ...config, displayName: 'Hijacked' },
        }),
        'FORBIDDEN',
        MESSAGES.forbidden,
      );
    }
    const anonymous = p.browser(tenant.host);
    await expectError(anonymous.client.tenancy.config.get.query(), 'UNAUTHORIZED', MESSAGES.signIn);
    await expectError(
      anonymous.client.tenancy.config.update.mutate({ expectedVersion: 1, config }),
      'UNAUTHORIZED',
      MESSAGES.signIn,
    );
    expect(await configState(tenant.id)).toEqual(before);
  });

  test('an invalid configuration is BAD_REQUEST naming the field, and writes nothing', async () => {
    const tenant = await freshTenant();
    const admin = await signInAdmin(p, tenant);
    const { config } = await admin.client.tenancy.config.get.query();
    const before = await configState(tenant.id);

    const badColour = await expectError(
      admin.client.tenancy.config.update.mutate({
        expectedVersion: 1,
        config: {
          ...config,
          branding: { ...config.branding, colors: { ...config.branding.colors, primary: 'red' } },
        },
      }),
      'BAD_REQUEST',
    );
    expect(getFieldErrors(badColour)).toEqual({
      'config.branding.colors.primary': ['Colours must be a hex code like #1a2b3c or #abc'],
    });

    const unknownKey = await expectError(
      admin.client.tenancy.config.update.mutate({
        expectedVersion: 1,
        config: {
          ...config,
          branding: { ...config.branding, shade: 'dark' },
        } as TenantConfigInput,
      }),
      'BAD_REQUEST',
    );
    const fields = getFieldErrors(unknownKey);
    expect(Object.keys(fields)).toEqual(['config.branding']);
    expect(fields['config.branding']!.join(' ')).toContain('shade');

    const both = getFieldErrors(
      await expectError(
        admin.client.tenancy.config.update.mutate({
          expectedVersion: 1,
          config: { ...config, displayName: '', helplines: [{ name: 'No way to reach' }] },
        }),
        'BAD_REQUEST',
      ),
    );
    expect(Object.keys(both).sort()).toEqual(['config.displayName', 'config.helplines.0']);

    expect(await configState(tenant.id)).toEqual(before);
  });
});

describe('creating tenants', () => {
  test('a platform admin creates a tenant whose first admin accepts and sees its config', async () => {
    const operator = await platformAdmin();
    const result = await operator.client.tenancy.tenants.create.mutate({
      slug: 'gamma',
      domains: ['Gamma.Hearth.Test', 'www.gamma.hearth.test'],
      config: tenantConfig('Gamma Futures'),
      firstAdminEmail: 'Founder@Gamma.example.org',
    });
    expect(result.slug).toBe('gamma');
    expect(result.firstAdminInvitationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const domains = await allDomains();
    expect(domains.filter((d) => d.tenantId === result.tenantId).map((d) => d.domain)).toEqual([
      'gamma.hearth.test',
      'www.gamma.hearth.test',
    ]);
    // The platform admin's own session is unaffected.
    expect((await operator.client.identity.me.query())?.roles).toEqual(['platform_admin']);

    const host = 'gamma.hearth.test';
    const visitor = p.browser(host);
    expect((await visitor.client.tenancy.branding.query()).displayName).toBe('Gamma Futures');
    const username = uniqueUsername('founder');
    const me = await visitor.client.identity.invitations.accept.mutate({
      token: result.firstAdminInvitationToken,
      username,
      password: PASSWORD,
      displayName: 'Gamma Founder',
    });
    expect(me).toMatchObject({ kind: 'staff', username, roles: ['org_admin'] });

    const config = await visitor.client.tenancy.config.get.query();
    expect(config.version).toBe(1);
    expect(config.config.displayName).toBe('Gamma Futures');
    const invitations = await visitor.client.identity.invitations.list.query();
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({
      email: 'founder@gamma.example.org',
      role: 'org_admin',
      status: 'accepted',
    });
    const users = await visitor.client.identity.users.list.query();
    expect(users.users.map((u) => u.username)).toEqual([username]);
    // The second host name serves the same tenant.
    expect(
      (await p.browser('www.gamma.hearth.test').client.tenancy.branding.query()).displayName,
    ).toBe('Gamma Futures');
    // The token is single-use.
    await expectError(
      p.browser(host).client.identity.invitations.accept.mutate({
        token: result.firstAdminInvitationToken,
        username: uniqueUsername('second'),
        password: PASSWORD,
        displayName: 'Late',
      }),
      'NOT_FOUND',
      MESSAGES.invitationInvalid,
    );
  });

  test('a slug or host name already in use is a CONFLICT and writes nothing', async () => {
    const operator = await platformAdmin();
    const before = await allDomains();

    const slugTaken = await expectError(
      operator.client.tenancy.tenants.create.mutate({
        slug: 'alpha',
        domains: ['alpha-two.hearth.test'],
        config: tenantConfig('Alpha Again'),
        firstAdminEmail: 'someone@example.org',
      }),
      'CONFLICT',
    );
    expect(getFieldErrors(slugTaken)).toEqual({ slug: ['This slug is already in use'] });

    const domainTaken = await expectError(
      operator.client.tenancy.tenants.create.mutate({
        slug: 'delta',
        domains: ['delta.hearth.test', p.beta.host],
        config: tenantConfig('Delta'),
        firstAdminEmail: 'someone@example.org',
      }),
      'CONFLICT',
    );
    expect(getFieldErrors(domainTaken)).toEqual({
      domains: [`Already serving another organisation: ${p.beta.host}`],
    });
    expect(await allDomains()).toEqual(before);
    await expectError(
      p.browser('delta.hearth.test').client.tenancy.branding.query(),
      'NOT_FOUND',
      MESSAGES.noTenant,
    );
    // Beta still serves its own host.
    expect((await p.browser(p.beta.host).client.tenancy.branding.query()).displayName).toBe(
      'Beta Mentoring',
    );

    // Neither the slug nor the first host name was left behind by the failed attempt.
    const delta = await operator.client.tenancy.tenants.create.mutate({
      slug: 'delta',
      domains: ['delta.hearth.test'],
      config: tenantConfig('Delta'),
      firstAdminEmail: 'someone@example.org',
    });
    const tenantsNamedDelta = await inTenant(p, delta.tenantId, (tx) =>
      tx
        .select({ id: tenants.id })
        .from(tenants)
        .where(inArray(tenants.slug, ['delta'])),
    );
    expect(tenantsNamedDelta).toEqual([{ id: delta.tenantId }]);
    expect((await p.browser('delta.hearth.test').client.tenancy.branding.query()).displayName).toBe(
      'Delta',
    );
  });

  test('org admins and members cannot create tenants', async () => {
    const before = await allDomains();
    const admin = await signInAdmin(p, p.alpha);
    const { browser: member } = await signUpMember(p, p.alpha.host, { prefix: 'creator' });
    for (const browser of [admin, member]) {
      await expectError(
        browser.client.tenancy.tenants.create.mutate({
          slug: 'sneaky',
          domains: ['sneaky.hearth.test'],
          config: tenantConfig('Sneaky'),
          firstAdminEmail: 'sneaky@example.org',
        }),
        'FORBIDDEN',
        MESSAGES.forbidden,
      );
    }
    await expectError(
      p.browser(p.alpha.host).client.tenancy.tenants.create.mutate({
        slug: 'sneaky',
        domains: ['sneaky.hearth.test'],
        config: tenantConfig('Sneaky'),
        firstAdminEmail: 'sneaky@example.org',
      }),
      'UNAUTHORIZED',
      MESSAGES.signIn,
    );
    expect(await allDomains()).toEqual(before);
  });

  test('a platform admin gets no rights inside an organisation from that role', async () => {
    const operator = await platformAdmin();
    await expectError(operator.client.tenancy.config.get.query(), 'FORBIDDEN', MESSAGES.forbidden);
    await expectError(operator.client.identity.users.list.query(), 'FORBIDDEN', MESSAGES.forbidden);
  });
});
