package com.acme.helpdesk.notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Agents' notification preferences: per configurable type, the channels and immediate or digest delivery. A type an
 * agent never set has the default: in-app for everything, email as well for what needs acting on now (assignment,
 * customer replies, breaches, escalations), all immediate.
 */
@Component
class Preferences {

	record Preference(List<Channel> channels, Delivery delivery) {

		Preference {
			channels = List.copyOf(new java.util.LinkedHashSet<>(channels));
		}
	}

	static final Map<NotificationType, Preference> DEFAULTS;

	static {
		var defaults = new EnumMap<NotificationType, Preference>(NotificationType.class);
		var inApp = new Preference(List.of(Channel.IN_APP), Delivery.IMMEDIATE);
		var inAppAndEmail = new Preference(List.of(Channel.IN_APP, Channel.EMAIL), Delivery.IMMEDIATE);
		defaults.put(NotificationType.TICKET_ASSIGNED, inAppAndEmail);
		defaults.put(NotificationType.CUSTOMER_REPLIED, inAppAndEmail);
		defaults.put(NotificationType.STATUS_CHANGED, inApp);
		defaults.put(NotificationType.SLA_WARNING, inApp);
		defaults.put(NotificationType.SLA_BREACHED, inAppAndEmail);
		defaults.put(NotificationType.TICKET_ESCALATED, inAppAndEmail);
		DEFAULTS = java.util.Collections.unmodifiableMap(defaults);
	}

	private final JdbcClient jdbc;
	private final Clock clock;

	Preferences(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Every configurable type, with the agent's choice or the default. */
	@Transactional(readOnly = true)
	Map<NotificationType, Preference> of(UUID merchantId, UUID agentId) {
		var result = new EnumMap<>(DEFAULTS);
		jdbc.sql("SELECT type, channels, delivery FROM notification_preference WHERE agent_id = ? AND merchant_id = ?")
			.params(agentId, merchantId)
			.query((rs, row) -> {
				var channels = Arrays.stream((String[]) rs.getArray(2).getArray()).map(Channel::valueOf).toList();
				result.put(NotificationType.valueOf(rs.getString(1)),
						new Preference(channels, Delivery.valueOf(rs.getString(3))));
				return null;
			})
			.list();
		return result;
	}

	/** {@link #of(UUID, UUID)} for each of the agents, in one statement. */
	Map<UUID, Map<NotificationType, Preference>> of(UUID merchantId, Collection<UUID> agentIds) {
		var result = new HashMap<UUID, Map<NotificationType, Preference>>();
		agentIds.forEach(agentId -> result.put(agentId, new EnumMap<>(DEFAULTS)));
		if (agentIds.isEmpty()) {
			return result;
		}
		jdbc.sql("""
				SELECT agent_id, type, channels, delivery FROM notification_preference
				WHERE agent_id = ANY (?) AND merchant_id = ?""")
			.params(agentIds.toArray(UUID[]::new), merchantId)
			.query((rs, row) -> {
				var channels = Arrays.stream((String[]) rs.getArray(3).getArray()).map(Channel::valueOf).toList();
				result.get(rs.getObject(1, UUID.class))
					.put(NotificationType.valueOf(rs.getString(2)), new Preference(channels, Delivery.valueOf(rs.getString(4))));
				return null;
			})
			.list();
		return result;
	}

	/** The preference of one type: none for a type that cannot be configured. */
	static Preference ofType(Map<NotificationType, Preference> preferences, NotificationType type) {
		return preferences.getOrDefault(type, new Preference(List.of(), Delivery.IMMEDIATE));
	}

	/** Replaces the agent's preferences: the types given take their value, the others the default. */
	@Transactional
	Map<NotificationType, Preference> replace(UUID merchantId, UUID agentId, Map<NotificationType, Preference> types) {
		jdbc.sql("DELETE FROM notification_preference WHERE agent_id = ? AND merchant_id = ?")
			.params(agentId, merchantId)
			.update();
		var now = Timestamp.from(clock.instant());
		types.forEach((type, preference) -> jdbc.sql("""
				INSERT INTO notification_preference (merchant_id, agent_id, type, channels, delivery, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)""")
			.params(merchantId, agentId, type.name(),
					preference.channels().stream().map(Channel::name).toArray(String[]::new),
					preference.delivery().name(), now)
			.update());
		return of(merchantId, agentId);
	}
}
