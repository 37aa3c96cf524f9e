-- The queue is worked, never emptied: items and reports stay; the record of actions is append-only.
SELECT hearth_protect_tenant_table('moderation_items');
--> statement-breakpoint
REVOKE DELETE ON moderation_items FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('moderation_reports');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON moderation_reports FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('moderation_actions');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON moderation_actions FROM hearth_app;
