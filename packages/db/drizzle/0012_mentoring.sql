CREATE TABLE "mentor_profiles" (
	"tenant_id" uuid NOT NULL,
	"mentor_id" uuid NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"interests" text[] DEFAULT '{}'::text[] NOT NULL,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"availability" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"capacity" integer,
	"cleared_age_bands" text[] DEFAULT '{}'::text[] NOT NULL,
	"background_check_status" text DEFAULT 'pending' NOT NULL,
	"background_check_expires_on" date,
	"training_completed_on" date,
	"training_valid_for_months" integer,
	"supervisor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"profile_updated_at" timestamp with time zone,
	"vetting_updated_at" timestamp with time zone,
	"vetting_updated_by" uuid,
	"vetting_version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "mentor_profiles_tenant_id_mentor_id_pk" PRIMARY KEY("tenant_id","mentor_id"),
	CONSTRAINT "mentor_profiles_capacity_range" CHECK ("mentor_profiles"."capacity" between 0 and 20),
	CONSTRAINT "mentor_profiles_training_validity_range" CHECK ("mentor_profiles"."training_valid_for_months" between 1 and 120),
	CONSTRAINT "mentor_profiles_check_status" CHECK ("mentor_profiles"."background_check_status" in ('pending', 'clear', 'failed')),
	CONSTRAINT "mentor_profiles_not_own_supervisor" CHECK ("mentor_profiles"."supervisor_id" <> "mentor_profiles"."mentor_id"),
	CONSTRAINT "mentor_profiles_vetting_version" CHECK ("mentor_profiles"."vetting_version" >= 0)
);
--> statement-breakpoint
CREATE TABLE "mentoring_relationships" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"mentor_id" uuid,
	"status" text DEFAULT 'requested' NOT NULL,
	"matching" text NOT NULL,
	"request" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"help_text" text,
	"help_text_id" uuid,
	"help_text_state" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decline_reason" text,
	"started_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"close_reason" text,
	"safeguarding_case_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "mentoring_relationships_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "mentoring_relationships_help_text_id_key" UNIQUE("tenant_id","help_text_id"),
	CONSTRAINT "mentoring_relationships_status_known" CHECK ("mentoring_relationships"."status" in ('requested', 'active', 'paused', 'declined', 'closed')),
	CONSTRAINT "mentoring_relationships_matched_has_mentor" CHECK ("mentoring_relationships"."status" in ('requested', 'declined') or "mentoring_relationships"."mentor_id" is not null),
	CONSTRAINT "mentoring_relationships_not_self" CHECK ("mentoring_relationships"."mentor_id" <> "mentoring_relationships"."member_id"),
	CONSTRAINT "mentoring_relationships_closed_has_reason" CHECK (("mentoring_relationships"."status" = 'closed') = ("mentoring_relationships"."close_reason" is not null)),
	CONSTRAINT "mentoring_relationships_concern_has_case" CHECK ("mentoring_relationships"."close_reason" is distinct from 'concern' or "mentoring_relationships"."safeguarding_case_id" is not null),
	CONSTRAINT "mentoring_relationships_help_text_has_id_and_state" CHECK (("mentoring_relationships"."help_text" is null) = ("mentoring_relationships"."help_text_id" is null) and ("mentoring_relationships"."help_text" is null) = ("mentoring_relationships"."help_text_state" is null)),
	CONSTRAINT "mentoring_relationships_version_positive" CHECK ("mentoring_relationships"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "supervision_sessions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"supervisor_id" uuid NOT NULL,
	"mentor_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"duration_minutes" integer,
	"notes" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervision_sessions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "supervision_sessions_duration_range" CHECK ("supervision_sessions"."duration_minutes" between 1 and 600),
	CONSTRAINT "supervision_sessions_not_self" CHECK ("supervision_sessions"."supervisor_id" <> "supervision_sessions"."mentor_id")
);
--> statement-breakpoint
ALTER TABLE "mentor_profiles" ADD CONSTRAINT "mentor_profiles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentor_profiles" ADD CONSTRAINT "mentor_profiles_mentor_fk" FOREIGN KEY ("tenant_id","mentor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentor_profiles" ADD CONSTRAINT "mentor_profiles_supervisor_fk" FOREIGN KEY ("tenant_id","supervisor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentor_profiles" ADD CONSTRAINT "mentor_profiles_vetting_updated_by_fk" FOREIGN KEY ("tenant_id","vetting_updated_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentoring_relationships" ADD CONSTRAINT "mentoring_relationships_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentoring_relationships" ADD CONSTRAINT "mentoring_relationships_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentoring_relationships" ADD CONSTRAINT "mentoring_relationships_mentor_fk" FOREIGN KEY ("tenant_id","mentor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentoring_relationships" ADD CONSTRAINT "mentoring_relationships_decided_by_fk" FOREIGN KEY ("tenant_id","decided_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentoring_relationships" ADD CONSTRAINT "mentoring_relationships_closed_by_fk" FOREIGN KEY ("tenant_id","closed_by") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentoring_relationships" ADD CONSTRAINT "mentoring_relationships_case_fk" FOREIGN KEY ("tenant_id","safeguarding_case_id") REFERENCES "public"."safeguarding_cases"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_sessions" ADD CONSTRAINT "supervision_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_sessions" ADD CONSTRAINT "supervision_sessions_supervisor_fk" FOREIGN KEY ("tenant_id","supervisor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_sessions" ADD CONSTRAINT "supervision_sessions_mentor_fk" FOREIGN KEY ("tenant_id","mentor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mentor_profiles_supervisor_idx" ON "mentor_profiles" USING btree ("tenant_id","supervisor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mentoring_relationships_one_open_per_member" ON "mentoring_relationships" USING btree ("tenant_id","member_id") WHERE "mentoring_relationships"."status" in ('requested', 'active', 'paused');--> statement-breakpoint
CREATE INDEX "mentoring_relationships_mentor_idx" ON "mentoring_relationships" USING btree ("tenant_id","mentor_id","status");--> statement-breakpoint
CREATE INDEX "mentoring_relationships_member_idx" ON "mentoring_relationships" USING btree ("tenant_id","member_id","requested_at");--> statement-breakpoint
CREATE INDEX "mentoring_relationships_status_idx" ON "mentoring_relationships" USING btree ("tenant_id","status","requested_at");--> statement-breakpoint
CREATE INDEX "supervision_sessions_mentor_idx" ON "supervision_sessions" USING btree ("tenant_id","mentor_id","held_on");