-- The event log is the audit trail: rows may be added, never changed or removed.
CREATE OR REPLACE FUNCTION thread_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'thread_events is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER thread_events_no_update_delete
  BEFORE UPDATE OR DELETE ON thread_events
  FOR EACH ROW EXECUTE FUNCTION thread_events_append_only();
