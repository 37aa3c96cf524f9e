-- The outbox tables are tenant tables like every other. The application writes events and
-- deliveries and moves them along (schedule, lease, outcome), but can neither rewrite what
-- happened (topic, payload, recipient, content) nor delete it: the record that an alert was
-- raised and delivered is part of the safeguarding record.
SELECT hearth_protect_tenant_table('outbox_events');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON outbox_events FROM hearth_app;
--> statement-breakpoint
GRANT UPDATE (available_at, claimed_until, claimed_by, completed_at, last_error)
  ON outbox_events TO hearth_app;
--> statement-breakpoint
SELECT hearth_protect_tenant_table('outbox_deliveries');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON outbox_deliveries FROM hearth_app;
--> statement-breakpoint
GRANT UPDATE (status, attempts, available_at, claimed_until, delivered_at, last_error)
  ON outbox_deliveries TO hearth_app;
--> statement-breakpoint
-- The dispatcher serves every tenant, but the application role sees one tenant at a time. This
-- function is its one way across: it claims the earliest due events of all tenants (unclaimed,
-- or whose lease has run out), leases them to `worker` and returns only which events they are;
-- the dispatcher then reads and handles each one in a transaction scoped to its tenant.
-- SECURITY DEFINER runs it as the migrating role, which owns the table. `as_of` lets a
-- dispatcher with its own clock (tests) decide what is due; by default it is the database's.
CREATE FUNCTION hearth_claim_outbox(
  batch integer,
  lease interval,
  worker text,
  as_of timestamptz DEFAULT NULL
) RETURNS TABLE (tenant_id uuid, id uuid, topic text)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    WITH due AS (
      SELECT e.tenant_id, e.id
      FROM public.outbox_events e
      WHERE e.completed_at IS NULL
        AND e.available_at <= coalesce(as_of, now())
        AND (e.claimed_until IS NULL OR e.claimed_until <= coalesce(as_of, now()))
      ORDER BY e.available_at
      LIMIT least(greatest(coalesce(batch, 0), 0), 1000)
      FOR UPDATE SKIP LOCKED
    )
    UPDATE public.outbox_events e
    SET claimed_until = coalesce(as_of, now()) + coalesce(lease, interval '30 seconds'),
        claimed_by = worker,
        attempts = e.attempts + 1
    FROM due
    WHERE e.tenant_id = due.tenant_id AND e.id = due.id
    RETURNING e.tenant_id, e.id, e.topic
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION hearth_claim_outbox(integer, interval, text, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION hearth_claim_outbox(integer, interval, text, timestamptz) TO hearth_app;
--> statement-breakpoint
-- FORCE ROW LEVEL SECURITY binds the table's owner too, so on a server where the migrating role
-- is not a superuser (managed PostgreSQL) the function above would see no rows at all. This
-- policy lets that role, and only it, see every tenant's events. It gives it nothing it does
-- not already have: an owner may turn row-level security off at will. The application role is
-- not a member of it (the schema tests check), so the policy never applies to the application.
CREATE POLICY hearth_outbox_claim ON outbox_events AS PERMISSIVE FOR ALL TO CURRENT_USER
  USING (true) WITH CHECK (true);
