package com.acme.helpdesk.assignment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Who the merchant's agents are, for other modules. Read with SQL: notifications ask for every event, and the
 * entity's query with a list parameter is translated anew on every call.
 */
@Service
public class Agents {

	private static final String CONTACT = "SELECT id, merchant_id, name, email FROM agent ";

	private final JdbcClient jdbc;

	Agents(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<AgentContact> find(UUID merchantId, UUID agentId) {
		if (merchantId == null || agentId == null) {
			return Optional.empty();
		}
		return jdbc.sql(CONTACT + "WHERE id = ? AND merchant_id = ?")
			.params(agentId, merchantId)
			.query(Agents::contact)
			.optional();
	}

	/** The merchant's agents among {@code agentIds}; unknown ids and other merchants' agents are left out. */
	public List<AgentContact> findAll(UUID merchantId, Collection<UUID> agentIds) {
		if (agentIds.isEmpty()) {
			return List.of();
		}
		return jdbc.sql(CONTACT + "WHERE merchant_id = ? AND id = ANY (?)")
			.params(merchantId, agentIds.toArray(UUID[]::new))
			.query(Agents::contact)
			.list();
	}

	private static AgentContact contact(ResultSet row, int number) throws SQLException {
		return new AgentContact(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getString(3),
				row.getString(4));
	}
}
