import { emailSchema, tenantConfigSchema } from '@hearth/core';
import { z } from 'zod';
import { authedProcedure, router, tenantProcedure } from '../../trpc.js';
import {
  configHistory,
  createTenantWithAdmin,
  publicBranding,
  readConfig,
  updateConfig,
} from './service.js';

const hostName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'Must be a host name such as support.example.org',
  );

export const slugSchema = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'Use 1–40 lower-case letters, digits or hyphens',
  );

export const tenancyRouter = router({
  /** Public: what a visitor's page needs to look like this organisation. */
  branding: tenantProcedure
    .meta({ action: 'tenancy.branding.read' })
    .query(({ ctx }) => publicBranding(ctx)),

  config: router({
    get: authedProcedure
      .meta({ action: 'tenancy.config.read' })
      .query(({ ctx }) => readConfig(ctx)),
    update: authedProcedure
      .meta({ action: 'tenancy.config.update' })
      .input(z.object({ expectedVersion: z.number().int().min(1), config: tenantConfigSchema }))
      .mutation(({ ctx, input }) => updateConfig(ctx, input)),
    history: authedProcedure
      .meta({ action: 'tenancy.config.history' })
      .input(
        z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }),
      )
      .query(({ ctx, input }) => configHistory(ctx, input)),
  }),

  tenants: router({
    create: authedProcedure
      .meta({ action: 'tenancy.tenants.create' })
      .input(
        z.object({
          slug: slugSchema,
          domains: z.array(hostName).min(1, 'Add at least one host name').max(10),
          config: tenantConfigSchema,
          firstAdminEmail: emailSchema,
        }),
      )
      .mutation(({ ctx, input }) => createTenantWithAdmin(ctx, input)),
  }),
});
