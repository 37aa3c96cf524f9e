-- Conversations and their members change (titles, read receipts, leaving) but are never deleted
-- by the application; messages change state (held, released, removed) and are never deleted.
SELECT hearth_protect_tenant_table('conversations');
--> statement-breakpoint
REVOKE DELETE ON conversations FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('conversation_members');
--> statement-breakpoint
REVOKE DELETE ON conversation_members FROM hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('messages');
--> statement-breakpoint
REVOKE DELETE ON messages FROM hearth_app;
