-- The audit trail is append-only for the application: entries can be added and read, never
-- changed or removed (retention is an operator's job, run as the owner).
SELECT hearth_protect_tenant_table('audit_events');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON audit_events FROM hearth_app;
