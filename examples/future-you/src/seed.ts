import { dateInTimeZone } from '@hearth/core';
import type { HearthDb } from '@hearth/db';
import {
  createCallerFactory,
  findTenantByDomain,
  type Platform,
  provisionTenant,
  provisionUser,
} from '@hearth/server';
import { DEMO_PASSWORD, type DemoTenant } from './tenants.js';

/**
 * Creates each demo organisation and its accounts once; later starts leave them as they are.
 * Mentors' profiles and vetting are then recorded through the platform's own API, signed in as
 * the organisation's admin and as each mentor — the way an organisation would set them up.
 */
export async function seedDemoTenants(
  db: HearthDb,
  platform: Platform,
  tenants: DemoTenant[],
): Promise<void> {
  for (const tenant of tenants) {
    if (await findTenantByDomain(db, tenant.domains[0]!)) continue;
    const { tenantId } = await provisionTenant(db, {
      slug: tenant.slug,
      domains: tenant.domains,
      config: tenant.config,
    });
    const ids = new Map<string, string>();
    for (const { mentor: _mentor, ...account } of tenant.accounts) {
      const { userId } = await provisionUser(db, { tenantId, password: DEMO_PASSWORD, ...account });
      ids.set(account.username, userId);
    }
    const mentors = tenant.accounts.filter((a) => a.mentor);
    if (mentors.length === 0) continue;
    const admin = tenant.accounts.find((a) => a.roles.includes('org_admin'));
    if (!admin)
      throw new Error(`Demo tenant ${tenant.slug} has mentors but no org admin to vet them`);
    const host = tenant.domains[0]!;
    const asAdmin = await signedIn(platform, host, admin.username);
    const today = dateInTimeZone(new Date(), tenant.config.timeZone ?? 'Europe/London');
    for (const account of mentors) {
      const { clearedAgeBands, ...profile } = account.mentor!;
      await asAdmin.mentoring.vetting.update({
        mentorId: ids.get(account.username)!,
        expectedVersion: 0,
        backgroundCheck: {
          status: 'clear',
          expiresOn: `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`,
        },
        trainingCompletedOn: today,
        clearedAgeBands,
      });
      const asMentor = await signedIn(platform, host, account.username);
      await asMentor.mentoring.profile.update(profile);
    }
  }
}

/** A server-side caller signed in as `username` at `host`, holding its session cookie. */
async function signedIn(platform: Platform, host: string, username: string) {
  const createCaller = createCallerFactory(platform.router);
  const cookies = new Map<string, string>();
  const caller = () =>
    createCaller({
      runtime: platform.runtime,
      request: {
        host,
        cookies,
        address: '127.0.0.1',
        crossSite: false,
        secure: false,
        setCookie: (cookie) => {
          const [pair] = cookie.split(';');
          const at = pair!.indexOf('=');
          cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
        },
      },
    });
  await caller().identity.signIn({ username, password: DEMO_PASSWORD });
  return caller();
}
