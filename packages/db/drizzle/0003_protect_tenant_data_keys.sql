-- Data keys are added, never changed or removed by the application: a rotated key stays to
-- decrypt what it encrypted. Retiring a key (retired_at) is the one permitted update.
SELECT hearth_protect_tenant_table('tenant_data_keys');
--> statement-breakpoint
REVOKE DELETE ON tenant_data_keys FROM hearth_app;
--> statement-breakpoint
REVOKE UPDATE ON tenant_data_keys FROM hearth_app;
--> statement-breakpoint
GRANT UPDATE (retired_at) ON tenant_data_keys TO hearth_app;
