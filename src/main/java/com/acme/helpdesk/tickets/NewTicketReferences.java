package com.acme.helpdesk.tickets;

import java.sql.Array;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a new ticket needs from the database, in one round trip: its number, its category's routing and
 * which of its tags exist, all scoped to the merchant.
 */
@Component
class NewTicketReferences {

	record References(long number, boolean categoryFound, RoutingStrategy routing, List<UUID> knownTagIds) {
	}

	private final JdbcClient jdbc;

	NewTicketReferences(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	References load(UUID merchantId, UUID categoryId, List<UUID> tagIds) {
		return jdbc.sql("""
				SELECT nextval('%s'),
				       (SELECT routing_strategy FROM category WHERE id = :category AND merchant_id = :merchant),
				       (SELECT coalesce(array_agg(id), '{}') FROM tag WHERE merchant_id = :merchant AND id = ANY(:tags))"""
			.formatted(TicketNumbers.sequence(merchantId)))
			.param("merchant", merchantId)
			.param("category", categoryId, java.sql.Types.OTHER)
			.param("tags", tagIds.toArray(UUID[]::new))
			.query((rs, row) -> {
				var routing = rs.getString(2);
				Array tags = rs.getArray(3);
				return new References(rs.getLong(1), routing != null, routing == null ? null : RoutingStrategy.valueOf(routing),
						List.of((UUID[]) tags.getArray()));
			})
			.single();
	}
}
