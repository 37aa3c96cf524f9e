-- Row-level security is Hearth's backstop for tenant isolation: the application connects as
-- (or switches to) `hearth_app`, which owns no table and cannot bypass RLS, and it sees only
-- the rows of the tenant named by the transaction-local setting `app.tenant_id`. With no tenant
-- set, tenant tables return no rows. Every later migration that adds a tenant table must call
-- hearth_protect_tenant_table(); a schema test fails for any table that is left out.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hearth_app') THEN
    CREATE ROLE hearth_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO hearth_app;
--> statement-breakpoint
CREATE FUNCTION hearth_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION hearth_protect_tenant_table(target regclass, tenant_column text DEFAULT 'tenant_id')
  RETURNS void LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY hearth_tenant_isolation ON %s USING (%I = hearth_current_tenant()) WITH CHECK (%I = hearth_current_tenant())',
    target, tenant_column, tenant_column);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO hearth_app', target);
END
$$;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('tenants', 'id');
--> statement-breakpoint
REVOKE DELETE ON tenants FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('tenant_config_versions');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON tenant_config_versions FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('users');
--> statement-breakpoint
REVOKE DELETE ON users FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('invitations');
--> statement-breakpoint
SELECT hearth_protect_tenant_table('sessions');
--> statement-breakpoint
SELECT hearth_protect_tenant_table('sign_in_failures');
--> statement-breakpoint
-- Host names are public and carry no personal data, and anonymous requests need them to find
-- their tenant before any tenant is set: anyone may read them. A host can only be added for
-- the tenant of the current transaction, and never moved or removed by the application.
ALTER TABLE tenant_domains ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenant_domains FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hearth_domains_read ON tenant_domains FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY hearth_domains_add ON tenant_domains FOR INSERT
  WITH CHECK (tenant_id = hearth_current_tenant());
--> statement-breakpoint
GRANT SELECT, INSERT ON tenant_domains TO hearth_app;
