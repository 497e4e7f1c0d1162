CREATE TABLE "change_stamps" (
	"stripe" smallint PRIMARY KEY NOT NULL,
	"n" bigint NOT NULL
);
--> statement-breakpoint
-- Runs at commit (a deferred constraint trigger), once per transaction: a writer holds its stripe
-- only while it commits, after all its other locks are taken, so it cannot deadlock on it.
CREATE OR REPLACE FUNCTION public.toasoan_stamp_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('toasoan.change_stamped', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('toasoan.change_stamped', 'on', true);
  INSERT INTO change_stamps (stripe, n) VALUES (pg_backend_pid() % 64, 1)
    ON CONFLICT (stripe) DO UPDATE SET n = change_stamps.n + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER articles_change_stamp AFTER INSERT OR UPDATE OR DELETE ON articles
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.toasoan_stamp_change();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER article_live_change_stamp AFTER INSERT OR UPDATE OR DELETE ON article_live
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.toasoan_stamp_change();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER categories_change_stamp AFTER INSERT OR UPDATE OR DELETE ON categories
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.toasoan_stamp_change();
--> statement-breakpoint
-- TRUNCATE has no row triggers: it stamps at once (it holds an exclusive lock until commit anyway).
CREATE TRIGGER articles_truncate_stamp AFTER TRUNCATE ON articles FOR EACH STATEMENT EXECUTE FUNCTION public.toasoan_stamp_change();
--> statement-breakpoint
CREATE TRIGGER article_live_truncate_stamp AFTER TRUNCATE ON article_live FOR EACH STATEMENT EXECUTE FUNCTION public.toasoan_stamp_change();
--> statement-breakpoint
CREATE TRIGGER categories_truncate_stamp AFTER TRUNCATE ON categories FOR EACH STATEMENT EXECUTE FUNCTION public.toasoan_stamp_change();
