-- A case is never deleted by the application; its timeline is append-only.
SELECT hearth_protect_tenant_table('safeguarding_cases');
--> statement-breakpoint
REVOKE DELETE ON safeguarding_cases FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('safeguarding_case_events');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON safeguarding_case_events FROM hearth_app;
