ALTER TABLE "events" ADD COLUMN "purge_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "media_file_id_idx" ON "media" USING btree (left("storage_key", 32));