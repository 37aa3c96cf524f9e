-- Profiles and relationships outlive their use: a mentor who leaves, or a relationship that
-- ended, stays on record (a pair closed for a concern must never be matched again). Supervision
-- records are append-only.
SELECT hearth_protect_tenant_table('mentor_profiles');
--> statement-breakpoint
REVOKE DELETE ON mentor_profiles FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('mentoring_relationships');
--> statement-breakpoint
REVOKE DELETE ON mentoring_relationships FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('supervision_sessions');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON supervision_sessions FROM hearth_app;
