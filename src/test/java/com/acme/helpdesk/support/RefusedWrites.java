package com.acme.helpdesk.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Makes PostgreSQL refuse chosen writes, as a database that fails them would: a trigger on a table raises an error for
 * a row whose key column holds a refused key and that matches the trigger's condition. The triggers are dropped again
 * by {@link #close()}, so other tests sharing the database write as before.
 *
 * <pre>{@code
 * try (var refused = new RefusedWrites(jdbc)) {
 *     refused.on("ticket", "UPDATE", "OLD.priority IS DISTINCT FROM NEW.priority", "id");
 *     refused.refuse(ticketId);   // raising the ticket's priority fails
 *     refused.allow(ticketId);    // and works again
 * }
 * }</pre>
 */
public final class RefusedWrites implements AutoCloseable {

	private static final Pattern NAME = Pattern.compile("[a-z_]+");

	private final JdbcClient jdbc;
	private final List<String> triggers = new ArrayList<>();

	public RefusedWrites(JdbcClient jdbc) {
		this.jdbc = jdbc;
		jdbc.sql("CREATE TABLE IF NOT EXISTS test_refused_write (row_key TEXT PRIMARY KEY)").update();
		jdbc.sql("""
				CREATE OR REPLACE FUNCTION test_refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				  IF EXISTS (SELECT 1 FROM test_refused_write WHERE row_key = to_jsonb(NEW) ->> TG_ARGV[0]) THEN
				    RAISE EXCEPTION 'test: % of % refused for %', TG_OP, TG_TABLE_NAME, to_jsonb(NEW) ->> TG_ARGV[0];
				  END IF;
				  RETURN NEW;
				END $$""").update();
	}

	/**
	 * Refuses {@code operation} ({@code INSERT} or {@code UPDATE}) of rows of {@code table} matching {@code condition}
	 * (a trigger's {@code WHEN} condition on {@code NEW}, and {@code OLD} for an update) whose {@code keyColumn} holds
	 * a refused key.
	 */
	public RefusedWrites on(String table, String operation, String condition, String keyColumn) {
		if (!NAME.matcher(table).matches() || !NAME.matcher(keyColumn).matches()
				|| !List.of("INSERT", "UPDATE").contains(operation)) {
			throw new IllegalArgumentException(table + " " + operation + " " + keyColumn);
		}
		var trigger = "test_refuse_" + table + "_" + triggers.size();
		jdbc.sql("CREATE TRIGGER " + trigger + " BEFORE " + operation + " ON " + table + " FOR EACH ROW WHEN ("
				+ condition + ") EXECUTE FUNCTION test_refuse_write('" + keyColumn + "')").update();
		triggers.add(trigger + " ON " + table);
		return this;
	}

	public void refuse(Object key) {
		jdbc.sql("INSERT INTO test_refused_write (row_key) VALUES (?) ON CONFLICT DO NOTHING").param(key.toString())
			.update();
	}

	public void allow(Object key) {
		jdbc.sql("DELETE FROM test_refused_write WHERE row_key = ?").param(key.toString()).update();
	}

	@Override
	public void close() {
		triggers.forEach(trigger -> jdbc.sql("DROP TRIGGER IF EXISTS " + trigger).update());
		triggers.clear();
		jdbc.sql("DELETE FROM test_refused_write").update();
	}
}
